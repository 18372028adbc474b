"""OCR of page images — scanned PDF pages and image files — with Tesseract's Vietnamese model.

Runs inside the limited child (`archive.extract.sandbox`): the page is rendered by poppler's
`pdftoppm`, cleaned here (coloured ink dropped, lighting flattened, skew undone, table rules and dust
removed), read by the `tesseract` command (its word boxes and confidences, TSV), rid of the dust it
read as dashes and full stops (judged by the ink's shape), and laid out again: words into lines, the
two columns of a decision's header and signature block one after the other, a ruled table into rows
of cells. Each line is repaired (`archive.normalize.ocr`); a line read with low confidence is read
again alone at three scales and taken as sure only when two agree, else marked. Both programs
inherit the child's memory limit and get a timeout per page.

Why not OCRmyPDF: it writes a new PDF with a text layer, which the archive does not keep, and gives
neither word confidences nor boxes; Tesseract's TSV gives both.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from archive.extract.readers import ExtractionError
from archive.normalize.ocr import (
    WORD_CONFIDENCE_FLOOR,
    doubtful,
    mark_low_confidence,
    repair_line,
    restore_entry_stops,
)
from archive.normalize.text import nfc

LANGUAGE = "vie"
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")
OCR_DPI = 300  # what Tesseract's models were trained on; lower-resolution scans are scaled up to it
MAX_IMAGE_PIXELS = 80_000_000  # an A3 page scanned at 600 dpi is 70 MP; more is a bomb, not a scan
MAX_PAGE_PIXELS = 40_000_000  # a rendered page above this is rendered at a lower resolution
MAX_OCR_PAGES = 300
CELL_SEPARATOR = " | "
GUTTER_MM = 2  # the narrowest white between two columns of text
GUTTER_OVER_SPACE = 2.5  # how many times the row's usual word space a gutter clearly is
SURE_WORD = 30  # Tesseract's confidence under which a word is as likely dust as print
# A thin rule scanned in black and white comes in dashes, with white of up to this many pixels (at
# OCR_DPI) between them; a word's letters are as close, so a rule found across such gaps must be far
# longer than a word (horizontal) or a letter's height over two lines (vertical), mm.
RULE_GAP_PX = 6
BROKEN_RULE_MM = (25, 12)
GAP_OVER_SPACE = 1.4  # a space less wide than this, times the usual, is a justified line's space
# A seal is a ring 30-45 mm across; these bounds admit a square seal and one the page edge cuts, and no
# paragraph or the page's grain, which are wider or spread over the whole page.
STAMP_MM = (15, 60)
STAMP_TONE_GAP = 40  # grey levels between the print's ink and a seal's, at the least (seen: 70)
STAMP_CELL_MM = 1  # the grid the page's mid-grey ink is counted on
STAMP_CELL_SHARE = 0.08  # of a cell's pixels mid-grey: a seal's ring and lettering (text cells: under 4%)
SCRAWL_LINES = 4  # a signature spans this many letters' height, both ways (a letter, one)
SCRAWL_FILL = 0.2  # of its box a signature's stroke covers at most (a letter, 0.3 and more)
SEAL_RADIUS_MM = (12, 30)  # round seals are 30-45 mm across, a few larger; in radius, with margin
SEAL_TRIES = 300  # circles tried per seal: with a third of a blob's ink on the ring, ample
SEAL_COVER = 1 / 3  # of its circle a ring's ink runs round, at least (letters over it break it up)
SEAL_RING_PX = 20  # how far from the circle a ring's stroke may reach: its width and the fit's error
SEAL_PEAK = 2  # times the ink of either band beside it a ring's band holds, at least (seen: 2.3-2.7)

Progress = Callable[[int, int], None]  # (page about to be read, pages to read)
Box = tuple[int, int, int, int]  # (left, top, right, bottom), page pixels
Reread = Callable[[Box, Box | None, float], list["Word"]]  # a second reading of a line's crop (within a cell)


@dataclass
class Word:
    text: str
    conf: float
    left: int
    top: int
    right: int
    bottom: int
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class OcrPage:
    lines: list[str]
    tables: list[list[list[str]]] = field(default_factory=list)
    confidence: float | None = None  # mean word confidence, None when no word was read
    words: int = 0


# ---------------------------------------------------------------------------------------------------
# The engine


def _tessdata() -> Path | None:
    for folder in (os.environ.get("TESSDATA_PREFIX"), *TESSDATA_DIRS):
        if folder and (Path(folder) / f"{LANGUAGE}.traineddata").is_file():
            return Path(folder)
    return None


@cache
def engine() -> str:
    """ "tesseract 5.3.0 vie 1a2b3c4d5e6f": the engine's version and the model's hash, or an error."""
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        raise ExtractionError("OCR unavailable: tesseract or pdftoppm is not installed (make install)")
    data = _tessdata()
    if data is None:
        raise ExtractionError(f"OCR unavailable: no {LANGUAGE}.traineddata (Debian tesseract-ocr-{LANGUAGE})")
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30, check=False)
    first = (out.stdout or out.stderr).splitlines()[:1] or ["tesseract"]
    digest = hashlib.sha256((data / f"{LANGUAGE}.traineddata").read_bytes()).hexdigest()[:12]
    return f"{first[0].strip()} {LANGUAGE} {digest}"


def check_pixels(width: int, height: int, what: str = "image") -> None:
    if width <= 0 or height <= 0:
        raise ExtractionError(f"malformed {what}: {width} × {height} pixels")
    if width * height > MAX_IMAGE_PIXELS:
        raise ExtractionError(
            f"{what} too large to OCR: {width} × {height} pixels (limit {MAX_IMAGE_PIXELS // 1_000_000} MP)"
        )


def _run(command: list[str], timeout: float, what: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per page: pages of other files use the rest
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(f"OCR timeout after {timeout:g} s ({what})") from exc
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        if done.returncode < 0 or "alloc" in stderr.lower() or "memory" in stderr.lower():
            raise MemoryError(f"{what}: {stderr.strip()[-200:]}")
        raise ExtractionError(f"OCR failed ({what}): {stderr.strip().splitlines()[-1:] or ['']}"[:300])
    return done


# ---------------------------------------------------------------------------------------------------
# Images in, cleaned page images out


def render_pdf_page(path: Path, page: int, width_pt: float, height_pt: float, timeout: float) -> Any:
    """One PDF page as a PIL image at OCR_DPI (lower for a huge page), rendered by pdftoppm."""
    from PIL import Image

    dpi = OCR_DPI
    pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
    if pixels > MAX_PAGE_PIXELS:
        dpi = max(36, int(dpi * (MAX_PAGE_PIXELS / pixels) ** 0.5))
    with tempfile.TemporaryDirectory(prefix="tdkt-ocr-") as scratch:
        prefix = os.path.join(scratch, "page")
        # PPM, not PNG: pdftoppm spends seconds compressing a noisy scan into PNG.
        command = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path), prefix]
        _run(command, timeout, f"rendering page {page}")
        rendered = sorted(Path(scratch).iterdir())
        if not rendered:
            raise ExtractionError(f"OCR failed: page {page} did not render")
        with Image.open(rendered[0]) as image:
            image.load()
            return image.copy(), dpi


def open_image(path: Path) -> list[tuple[Any, int]]:
    """The frames of an image file (a TIFF may hold many), each with its resolution, size checked first."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"image too large to OCR: {exc}") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError(f"malformed image: {exc}") from exc
    frames = []
    with image:
        for index in range(min(getattr(image, "n_frames", 1), MAX_OCR_PAGES)):
            image.seek(index)
            check_pixels(*image.size)
            dpi = image.info.get("dpi", (0, 0))[0] or _guess_dpi(image.size)
            try:
                image.load()
            except Image.DecompressionBombError as exc:
                raise ExtractionError(f"image too large to OCR: {exc}") from exc
            except (OSError, ValueError, SyntaxError) as exc:
                raise ExtractionError(f"malformed image: {exc}") from exc
            frames.append((image.copy(), int(dpi)))
    return frames


def _guess_dpi(size: tuple[int, int]) -> int:
    """A resolution for an image that states none, from its size as an A4 page (the usual scan)."""
    return max(72, round(min(size) / (210 / 25.4)))


def prepare(image: Any, dpi: int) -> Any:
    """A greyscale page at OCR_DPI with coloured ink (stamps, signatures in blue) dropped, the lighting
    flattened, the skew undone, and table rules and isolated dust removed."""
    import numpy as np
    from PIL import Image, ImageChops, ImageFilter

    if image.mode in ("RGB", "RGBA", "P", "CMYK"):
        r, g, b = image.convert("RGB").split()
        # Black ink is dark in every channel; red and blue ink are light in at least one.
        grey = ImageChops.lighter(ImageChops.lighter(r, g), b)
    else:
        grey = image.convert("L")
    if dpi and abs(dpi - OCR_DPI) > 20:
        scale = OCR_DPI / dpi
        grey = grey.resize(
            (max(1, round(grey.width * scale)), max(1, round(grey.height * scale))), Image.LANCZOS
        )
    # Lighting: divide by the paper's own brightness, estimated on a coarse grid.
    small = grey.resize((max(1, grey.width // 16), max(1, grey.height // 16)), Image.BOX)
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(3)).resize(grey.size)
    pixels = np.asarray(grey, dtype=np.float32)
    flat = np.clip(pixels * 255.0 / np.maximum(np.asarray(paper, dtype=np.float32), 1.0), 0, 255).astype(
        np.uint8
    )
    grey = Image.fromarray(flat)
    angle = skew_angle(grey)
    if abs(angle) >= 0.1:
        grey = grey.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    return clean(grey)


def drop_grey_stamps(grey: Any, seals: list[Seal] | None = None) -> Any:
    """The page with the ink of a seal scanned in grey whitened: a red seal scanned in greyscale is a
    mid grey, lighter than the black print it is stamped over, and the colour test of `prepare` cannot
    see it. Mid-grey ink is ink lighter than the page's own dark class and not at the edge of dark ink
    (where a letter's antialiased rim is); it is whitened only inside a dense patch of a seal's size
    and shape, so a page with no seal, or faint print spread over the page, is left as it is. Each
    seal found is added to `seals`."""
    import numpy as np
    from PIL import Image, ImageFilter
    from scipy import ndimage

    values = np.asarray(grey)
    ink = values < min(_otsu(values), 200)
    if ink.sum() < 100:
        return grey
    dark = values < _otsu(values[ink])
    # Only a page whose ink has two tones: most of it dark (the print), some clearly lighter. A page
    # of black and white alone (a bilevel scan) or of one faint tone has no seal to tell apart.
    if dark.sum() < 0.2 * ink.sum() or ink.sum() - dark.sum() < 0.05 * ink.sum():
        return grey
    if float(values[ink & ~dark].mean()) - float(values[dark].mean()) < STAMP_TONE_GAP:
        return grey
    rims = np.asarray(Image.fromarray(dark.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(5))) > 0
    mid = ink & ~rims
    cell = max(1, round(STAMP_CELL_MM * OCR_DPI / 25.4))
    rows, columns = values.shape[0] // cell, values.shape[1] // cell
    counts = mid[: rows * cell, : columns * cell].reshape(rows, cell, columns, cell).sum(axis=(1, 3))
    dense = ndimage.binary_closing(counts >= STAMP_CELL_SHARE * cell * cell, iterations=3)
    labels, _ = ndimage.label(dense)
    low, high = (round(mm / STAMP_CELL_MM) for mm in STAMP_MM)
    cleaned = None
    for found in ndimage.find_objects(labels):
        height, width = (part.stop - part.start for part in found)
        if not (low <= height <= high and low <= width <= high and 0.6 <= height / width <= 1.7):
            continue
        if cleaned is None:
            cleaned = values.copy()
        box = tuple(slice(part.start * cell, part.stop * cell) for part in found)
        cleaned[box][mid[box]] = 255
        if seals is not None:
            (top, bottom), (left, right) = ((side.start, side.stop) for side in box)
            seals.append(Seal((top + bottom) / 2, (left + right) / 2, max(bottom - top, right - left) / 2))
    return grey if cleaned is None else Image.fromarray(cleaned)


def drop_scrawls(values: Any, seals: list[Seal] | None = None) -> Any:
    """`values` (a greyscale page array, changed in place) with the ink of signatures and seal rings
    whitened: a stroke of ink that wanders over many lines' height and width yet covers little of its
    box, unlike any letter, word or table, and that Tesseract takes for a picture, losing the lines it
    crosses (the signer's title and name, the "Nơi nhận" list beside them). A black seal (a bilevel
    scan) is one blob with the letters it touches: its ring is found as a circle and whitened first,
    so that the letters come apart from it and stay. Each seal whose ring is found is added to
    `seals`."""
    import numpy as np

    ink = values < min(_otsu(values), 200)
    found = _scrawls(ink)
    if found is None:
        return values
    labels, line, scrawls = found
    mm = OCR_DPI / 25.4
    margin = round(2 * SEAL_RADIUS_MM[1] * mm)
    rings = np.zeros_like(ink)
    for box, number in scrawls:
        window = tuple(
            slice(max(0, side.start - margin), min(size, side.stop + margin))
            for side, size in zip(box, ink.shape, strict=True)
        )
        # The circle is fitted to the scrawl's own ink (an arc of the ring, or all of it, with the
        # letters it touches) and judged on all the ink about it (the ring's other arcs); failing
        # that, to the blobs about it larger than letters (a ring broken into arcs, none a scrawl).
        ring, seal = _seal_ring(labels[window] == number, ink[window])
        if seal is None:
            ring, seal = _seal_ring(_large_blobs(labels[window], 2 * line), ink[window])
        rings[window] |= ring
        if seal is not None and seals is not None:
            seals.append(Seal(seal.y + window[0].start, seal.x + window[1].start, seal.radius))
    if rings.any():
        values[rings] = 255
        ink &= ~rings
        found = _scrawls(ink)
        if found is None:
            return values
        labels, line, scrawls = found
    for box, number in scrawls:
        values[box][labels[box] == number] = 255
    return values


def _scrawls(ink: Any) -> tuple[Any, float, list[Any]] | None:
    """(blob labels, the letters' usual height, the scrawls' (box, label)) of a page's ink; None on a
    page with too few letters to tell a usual height."""
    import numpy as np
    from scipy import ndimage

    labels, count = ndimage.label(ink, structure=np.ones((3, 3)))
    if count == 0:
        return None
    boxes = ndimage.find_objects(labels)
    sizes = ndimage.sum_labels(ink, labels, range(1, count + 1))
    heights = np.array([b[0].stop - b[0].start for b in boxes])
    widths = np.array([b[1].stop - b[1].start for b in boxes])
    mm = OCR_DPI / 25.4
    letters = heights[(heights >= mm) & (heights <= 10 * mm)]  # not the grain, nor the scrawls
    if len(letters) < 20:
        return None
    line = float(np.median(letters))
    chosen = np.nonzero(
        (heights >= SCRAWL_LINES * line)
        & (widths >= SCRAWL_LINES * line)
        & (sizes < SCRAWL_FILL * heights * widths)
    )[0]
    return labels, line, [(boxes[index], index + 1) for index in chosen]


def _large_blobs(labels: Any, size: float) -> Any:
    """The pixels (bool) of the labelled blobs at least `size` pixels tall or wide."""
    import numpy as np
    from scipy import ndimage

    keep = np.zeros(int(labels.max()) + 1, dtype=bool)
    for number, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is not None and max(side.stop - side.start for side in box) >= size:
            keep[number] = True
    return keep[labels]


def _seal_ring(candidates: Any, ink: Any) -> tuple[Any, Seal | None]:
    """(The ink (bool, like `ink`) lying on a seal's ring, the seal; or no ink and None): the ring a
    circle 12-30 mm in radius found among the `candidates` pixels by sampling three at a time
    (RANSAC). A circle is a ring when its band of ink is thin, runs round at least a third of it, and
    holds far more ink than the bands just inside and outside it (a scrawl's ink is spread, not on a
    circle). One ring, the clearest: whitening it parts the letters that touch it from the seal; the
    seal's other ring keeps its lettering and star in one blob, not loose marks for Tesseract to read
    as words (both rings whitened read worse on the replica's scans: 249 edits against 236)."""
    import numpy as np
    from scipy import ndimage

    ring = np.zeros_like(ink)
    ys, xs = (axis.astype(np.float64) for axis in np.nonzero(candidates))
    # Three points are drawn from one blob at a time: an arc of a ring is a blob of its own, or a large
    # part of one, so its points make circles near the ring's far more often than points drawn across
    # the scrawls and letters beside it.
    parts, _ = ndimage.label(candidates, structure=np.ones((3, 3)))
    members = parts[candidates]
    order = np.argsort(members, kind="stable")
    starts = np.searchsorted(members[order], np.unique(members))
    groups = [group for group in np.split(order, starts[1:]) if len(group) >= 3]
    if not groups:
        return ring, None
    low, high = (mm * OCR_DPI / 25.4 for mm in SEAL_RADIUS_MM)
    random = np.random.default_rng(0)  # the same page is cleaned the same way every time
    best: tuple[int, float, float, float] | None = None
    for _ in range(SEAL_TRIES):
        group = groups[random.integers(len(groups))]
        a, b, c = random.choice(group, 3, replace=False)
        (y1, x1), (y2, x2), (y3, x3) = (ys[a], xs[a]), (ys[b], xs[b]), (ys[c], xs[c])
        det = 2 * (x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2))
        if abs(det) < 1e-6:
            continue
        s1, s2, s3 = x1 * x1 + y1 * y1, x2 * x2 + y2 * y2, x3 * x3 + y3 * y3
        cx = (s1 * (y2 - y3) + s2 * (y3 - y1) + s3 * (y1 - y2)) / det
        cy = (s1 * (x3 - x2) + s2 * (x1 - x3) + s3 * (x2 - x1)) / det
        radius = float(np.hypot(x1 - cx, y1 - cy))
        if not low <= radius <= high:
            continue
        off = np.abs(np.hypot(xs - cx, ys - cy) - radius)
        # Ink on the circle less ink beside it: a ring is a thin band, a scrawl's ink is spread.
        score = int((off <= 3).sum()) - int(((off > 6) & (off <= 12)).sum())
        if best is None or score > best[0]:
            best = (score, cy, cx, radius)
    if best is None:
        return ring, None
    _, cy, cx, radius = best
    for _ in range(3):
        # The sampled circle refined on the points near it (least squares, Kåsa's fit): three points
        # of a stroke some pixels wide give a circle that wanders across it.
        near_circle = np.abs(np.hypot(xs - cx, ys - cy) - radius) <= 8
        if near_circle.sum() < 10:
            break
        fx, fy = xs[near_circle], ys[near_circle]
        (a, b, c), *_ = np.linalg.lstsq(
            np.column_stack([fx, fy, np.ones_like(fx)]), fx * fx + fy * fy, rcond=None
        )
        cx, cy = a / 2, b / 2
        radius = float(np.sqrt(max(c + cx * cx + cy * cy, 0.0)))
    inked_ys, inked_xs = np.nonzero(ink)
    off = np.hypot(inked_xs - cx, inked_ys - cy) - radius
    # The ring's band: the offsets about the circle whose ink is a good share of the peak's, and a
    # pixel more (a rim left standing would join the letters again).
    reach = SEAL_RING_PX
    counts = np.bincount(np.clip(np.round(off) + reach, 0, 2 * reach).astype(int), minlength=2 * reach + 1)
    peak = reach - 3 + int(np.argmax(counts[reach - 3 : reach + 4]))
    inner, outer = peak, peak
    while inner > 1 and counts[inner - 1] >= 0.25 * counts[peak]:
        inner -= 1
    while outer < 2 * reach - 1 and counts[outer + 1] >= 0.25 * counts[peak]:
        outer += 1
    near, far = inner - reach - 1.5, outer - reach + 1.5
    width = far - near
    on = (off >= near) & (off <= far)
    inside = (off < near) & (off >= near - width)
    outside = (off > far) & (off <= far + width)
    angles = np.arctan2(inked_ys[on] - cy, inked_xs[on] - cx)
    sectors = np.bincount(np.floor((angles + np.pi) / (2 * np.pi) * 72).astype(int) % 72, minlength=72)
    # A sector is run through when its ink is a stroke at least 2 px thick along the arc.
    covered = float((sectors >= 2 * 2 * np.pi * radius / 72).mean())
    if covered < SEAL_COVER or on.sum() < SEAL_PEAK * max(inside.sum(), outside.sum(), 1):
        return ring, None
    ring[inked_ys[on], inked_xs[on]] = True
    return ring, Seal(float(cy), float(cx), radius + far)


def _otsu(values: Any) -> int:
    """Otsu's threshold of a greyscale array: ink is `values < _otsu(values)`."""
    import numpy as np

    hist = np.bincount(values.ravel(), minlength=256).astype(np.float64)
    weight = np.cumsum(hist)
    total = weight[-1]
    if total == 0:
        return 128
    mean = np.cumsum(hist * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * weight / total - mean) ** 2 / (weight * (total - weight))
    if np.isnan(between).all():  # one grey level only: a blank page (the back of a sheet)
        return int(values.ravel()[0]) if values.size else 128
    # The dark class is the levels up to the best split, inclusive: the threshold is the first level
    # of the light one, so that ink is `values < threshold` even on a page of pure black and white.
    return int(np.nanargmax(between)) + 1


def skew_angle(grey: Any) -> float:
    """The rotation (degrees) that makes text lines horizontal: the one whose row profile is sharpest."""
    import numpy as np
    from PIL import Image

    small = grey.resize((max(1, grey.width // 4), max(1, grey.height // 4)), Image.BOX)
    values = np.asarray(small)
    ink = Image.fromarray(((values < _otsu(values)) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.BILINEAR), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max((a / 4 for a in range(-12, 13)), key=sharpness)
    return max((best + a / 20 for a in range(-5, 6)), key=sharpness)


def _long_runs(ink: Any, length: int) -> Any:
    """The pixels of `ink` (bool, rows × columns) lying in a horizontal run at least `length` long."""
    import numpy as np

    height, width = ink.shape
    if width < length:
        return np.zeros_like(ink)
    sums = np.zeros((height, width + 1), dtype=np.int32)
    np.cumsum(ink, axis=1, out=sums[:, 1:])
    full = (sums[:, length:] - sums[:, :-length]) == length  # a full run starts at column j
    starts = np.zeros((height, width + 1), dtype=np.int32)
    np.cumsum(np.pad(full, ((0, 0), (0, length - 1))), axis=1, out=starts[:, 1:])
    covered = starts[:, 1:] - np.pad(starts[:, 1:], ((0, 0), (length, 0)))[:, :width]
    return covered > 0


def _thin_ink(values: Any, threshold: int, axis: int) -> Any:
    """Ink, counting a thin rule whose darkness a deskew spread over two pixels across it (`axis` 0:
    a horizontal rule over two rows): a pixel is ink where it and the next one across are together as
    dark as one pixel of ink."""
    import numpy as np

    dark = 255 - values.astype(np.int16)
    pair = dark.copy()
    if axis == 0:
        pair[:-1] += dark[1:]
    else:
        pair[:, :-1] += dark[:, 1:]
    return (values < threshold) | (pair >= 255 - threshold)


def _bridged(ink: Any, gap: int = RULE_GAP_PX) -> Any:
    """`ink` (rows × columns) with white runs of up to `gap` pixels along a row filled where ink lies
    on both sides: a thin rule that scanning in black and white broke into dashes, made whole."""
    import numpy as np

    height, width = ink.shape
    sums = np.zeros((height, width + 1), dtype=np.int32)
    np.cumsum(ink, axis=1, out=sums[:, 1:])
    columns = np.arange(width)
    before = sums[:, columns] - sums[:, np.maximum(columns - gap, 0)]  # ink in [j - gap, j)
    after = sums[:, np.minimum(columns + 1 + gap, width)] - sums[:, columns + 1]  # ink in (j, j + gap]
    return ink | ((before > 0) & (after > 0))


@dataclass(frozen=True)
class Seal:
    """A seal found on a page: its centre and outer radius, in pixels of the prepared page."""

    y: float
    x: float
    radius: float

    def holds(self, word: Word) -> bool:
        """Whether a word's box lies wholly inside the seal."""
        return all(
            (x - self.x) ** 2 + (y - self.y) ** 2 <= self.radius**2
            for x in (word.left, word.right)
            for y in (word.top, word.bottom)
        )


@dataclass
class Rules:
    """What cleaning a page finds that tells its layout, in pixels of the prepared page: its straight
    lines (table rules), and the seals whose ink it whitened (words read inside one are its remains)."""

    vertical: list[tuple[int, int, int]] = field(default_factory=list)  # (x, top, bottom)
    horizontal: list[tuple[int, int, int]] = field(default_factory=list)  # (y, left, right)
    seals: list[Seal] = field(default_factory=list)


def _segments(mask: Any) -> list[tuple[int, int, int]]:
    """(position, start, end) of the lines in a rules mask whose lines run along axis 1."""
    import numpy as np

    counts = mask.sum(axis=1)
    found = []
    index = 0
    positions = np.nonzero(counts)[0]
    while index < len(positions):
        group = [positions[index]]
        while index + 1 < len(positions) and positions[index + 1] - group[-1] <= 2:
            index += 1
            group.append(positions[index])
        band = mask[group[0] : group[-1] + 1].any(axis=0)
        along = np.nonzero(band)[0]
        found.append((int(sum(group) / len(group)), int(along[0]), int(along[-1])))
        index += 1
    return found


def clean(grey: Any) -> tuple[Any, Rules]:
    """Table rules (straight runs far longer than any letter stroke) and lone dust specks whitened;
    the rules are returned, since they tell a table's rows and columns."""
    import numpy as np
    from PIL import Image, ImageFilter

    values = np.asarray(grey)
    threshold = min(_otsu(values), 200)
    ink = values < threshold
    across = _long_runs(ink, round(8 * OCR_DPI / 25.4)) | _long_runs(
        _bridged(_thin_ink(values, threshold, axis=0)), round(BROKEN_RULE_MM[0] * OCR_DPI / 25.4)
    )
    down = _long_runs(ink.T, round(6 * OCR_DPI / 25.4)) | _long_runs(
        _bridged(_thin_ink(values, threshold, axis=1).T), round(BROKEN_RULE_MM[1] * OCR_DPI / 25.4)
    )
    rules = Rules(vertical=_segments(down), horizontal=_segments(across))
    cleaned = values.copy()
    mask = across | down.T
    if mask.any():
        grown = Image.fromarray(mask.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(5))
        cleaned[np.asarray(grown) > 0] = 255
    # After the rules: a rule's antialiased pixels are mid grey too, and a table's crossings are dense.
    cleaned = drop_scrawls(
        np.asarray(drop_grey_stamps(Image.fromarray(cleaned), rules.seals)).copy(), rules.seals
    )
    # Dust: ink with no other ink near it. A tone mark or a full stop sits within a letter's height of
    # its letters; a speck in the margin or between lines does not.
    ink = cleaned < min(_otsu(cleaned), 200)
    small = Image.fromarray(ink.astype(np.uint8) * 255).resize((grey.width // 4, grey.height // 4), Image.BOX)
    seeds = np.asarray(small) > 0
    neighbours = (
        np.asarray(
            Image.fromarray(seeds.astype(np.uint8) * 255).filter(ImageFilter.BoxBlur(4)), dtype=np.float32
        )
        * 81
        / 255
    )
    lone = seeds & (neighbours <= 2.5)
    if lone.any():
        lone_full = (
            np.asarray(
                Image.fromarray(lone.astype(np.uint8) * 255)
                .filter(ImageFilter.MaxFilter(3))
                .resize(grey.size)
            )
            > 0
        )
        cleaned[lone_full & ink] = 255
    return Image.fromarray(cleaned), rules


# ---------------------------------------------------------------------------------------------------
# Recognition and layout


def recognise(image: Any, timeout: float, *, psm: int = 4, digits: bool = False) -> list[Word]:
    """Tesseract's words (text, confidence, box) on one prepared page.

    Page segmentation 4 (one column of lines of varying size), not 3 (automatic layout): the reading
    order is laid out here from the word boxes (`layout_page`), and Tesseract's own layout analysis
    cuts a decision's page wrongly: a justified paragraph into columns at its wide spaces, a list's
    narrow column of numbers into a block read top to bottom as one line."""
    with tempfile.TemporaryDirectory(prefix="tdkt-ocr-") as scratch:
        source = os.path.join(scratch, "page.png")
        image.save(source, compress_level=1)
        data = _tessdata()
        command = ["tesseract", source, "stdout", "--tessdata-dir", str(data), "-l", LANGUAGE]
        command += ["--dpi", str(OCR_DPI), "--psm", str(psm)]
        if digits:
            command += ["-c", "tessedit_char_whitelist=0123456789."]
        command.append("tsv")
        done = _run(command, timeout, "tesseract")
    words = []
    rows = csv.reader(
        io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    header = next(rows, [])
    for row in rows:
        if len(row) != len(header):
            continue
        cells = dict(zip(header, row, strict=True))
        text = nfc(cells.get("text", "")).strip()
        if cells.get("level") != "5" or not text:
            continue
        left, top = int(cells["left"]), int(cells["top"])
        words.append(
            Word(
                text=text,
                conf=float(cells["conf"]),
                left=left,
                top=top,
                right=left + int(cells["width"]),
                bottom=top + int(cells["height"]),
                line=(int(cells["block_num"]), int(cells["par_num"]), int(cells["line_num"])),
            )
        )
    return words


_NOISE = re.compile(r"^[\W_]+$")
_LETTER = re.compile(r"[^\W\d_]")
_KEPT_PUNCTUATION = {"-", "–", "—", "+", "*", "(", ")", "/", "./.", "&"}


def _drop_noise(words: list[Word]) -> list[Word]:
    """Tesseract reads dust and the remains of rules as stray punctuation; keep only what text has."""
    return [
        w for w in words if not (_NOISE.match(w.text) and (w.text not in _KEPT_PUNCTUATION or w.conf < 50))
    ]


def _span(words: list[Word]) -> tuple[float, float]:
    """The vertical extent of a line's letters: the median top and bottom of its words, so that a
    capital with stacked tone marks or a letter with a descender does not stretch it."""
    tops = sorted(w.top for w in words)
    bottoms = sorted(w.bottom for w in words)
    return tops[len(tops) // 2], bottoms[len(bottoms) // 2]


def rows_of(words: list[Word]) -> list[list[Word]]:
    """Words on the same visual line (the page is deskewed), top to bottom, left to right.

    Tesseract's own lines are the pieces: a line it read is one row or part of one (it reads the two
    columns of a header as separate lines on the same row). A piece joins the row its letters overlap
    most, measured on the median extent of its words, never on a single word's box: a word with a
    descender, a stacked tone mark or a speck of dust beside it would otherwise start a row of its own."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    pieces: list[list[Word]] = []
    for line in lines.values():
        # A narrow column (the numbers of a list) can come back as one "line" of words stacked one
        # under the other: a word off its line's extent is a piece of its own.
        top, bottom = _span(line)
        on, off = [], []
        for word in line:
            overlap = min(bottom, word.bottom) - max(top, word.top)
            (on if overlap >= 0.5 * min(bottom - top, word.bottom - word.top) else off).append(word)
        pieces += [on] if on else []
        pieces += [[word] for word in off]
    rows: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for piece in sorted(pieces, key=lambda p: sum(_span(p)) / 2):
        top, bottom = _span(piece)
        best, best_overlap = None, 0.0
        for index in range(max(0, len(rows) - 4), len(rows)):
            row_top, row_bottom = spans[index]
            overlap = min(bottom, row_bottom) - max(top, row_top)
            if overlap >= 0.5 * min(bottom - top, row_bottom - row_top) and overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is None:
            rows.append(list(piece))
            spans.append((top, bottom))
        else:
            rows[best].extend(piece)
            spans[best] = _span(rows[best])
    for row in rows:
        row.sort(key=lambda w: w.left)
    return rows


def _gaps(row: list[Word], wide: int) -> list[tuple[int, int, bool]]:
    """The spaces in a row at least `wide` across and wider than its usual word space, each with whether
    it stands out clearly. A justified line spreads its spaces evenly, so no space in it is much wider
    than the others; the gutter between two columns usually is, but not always (a wide header column
    ending close to the next)."""
    spaces = [(a.right, b.left) for a, b in itertools.pairwise(row)]
    # The usual space is that between words read with some confidence: a word read from dust beside
    # a column (a header's, in the white under its rule) makes a space of its own, as wide as chance.
    sure = [a.conf >= SURE_WORD and b.conf >= SURE_WORD for a, b in itertools.pairwise(row)]
    found = []
    for k, (left, right) in enumerate(spaces):
        others = sorted(b - a for j, (a, b) in enumerate(spaces) if j != k and sure[j]) or sorted(
            b - a for j, (a, b) in enumerate(spaces) if j != k
        )
        usual = others[len(others) // 2] if others else 0
        if right - left < max(wide, GAP_OVER_SPACE * usual):
            continue
        found.append((left, right, right - left >= GUTTER_OVER_SPACE * usual))
    return found


def _columns_run(rows: list[list[Word]], start: int) -> tuple[int, float] | None:
    """Rows from `start` set in two side-by-side columns (a decision's header, its signature block):
    a gutter of white runs down through them and no row has words across it. Returns (rows in the
    run, the gutter's x).

    Two columns show themselves by rows with words on one side only, on each side (the header's left
    column has fewer lines than its right one; the signer's name has nothing to its left); a run of
    rows with words on both sides only counts when its gutter stands out from the word spacing, since
    the wide spaces of two justified lines can happen to fall one above the other."""
    wide = round(GUTTER_MM * OCR_DPI / 25.4)
    best: tuple[int, float] | None = None
    for low, high, standing_out in _gaps(rows[start], wide):
        both, plain, left_only, right_only = 1, 0 if standing_out else 1, 0, 0
        # A first row whose gutter does not stand out needs its columns shown at once, by the rows
        # right under it: a justified line's last line alone (left only) shows nothing.
        shown = standing_out
        end = start + 1
        for row in rows[start + 1 : start + 12]:
            reach = max(w.right for w in row)
            if reach <= low:
                left_only += 1
            elif reach <= high - wide and all(w.left < low for w in row):
                # A left-column line wider than those above it (a header's number under its
                # authority's name): the gutter starts after it.
                left_only += 1
                low = reach
            elif all(w.left >= high for w in row):
                right_only += 1
            else:
                shown = shown or (left_only and right_only)
                if not shown:
                    break
                fitting = [
                    (max(low, a), min(high, b), out)
                    for a, b, out in _gaps(row, wide)
                    if min(high, b) - max(low, a) >= wide
                ]
                if not fitting:
                    break
                low, high, out = max(fitting, key=lambda g: g[1] - g[0])
                both += 1
                plain += not out
            end += 1
        shown = shown or (left_only and right_only)
        two_sided = shown and left_only and right_only
        if (two_sided or (both >= 2 and not plain)) and (best is None or end - start > best[0]):
            best = (end - start, (low + high) / 2)
    return best


@dataclass
class Grid:
    """A ruled table: the x of its vertical rules and the y of its horizontal ones."""

    xs: list[int]
    ys: list[int]

    @property
    def top(self) -> int:
        return self.ys[0]

    def cell(self, word: Word) -> tuple[int, int] | None:
        x, y = (word.left + word.right) / 2, word.middle
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        row = max(i for i, top in enumerate(self.ys[:-1]) if y >= top)
        column = max(i for i, left in enumerate(self.xs[:-1]) if x >= left)
        return row, column


def _merge(values: list[int], within: int) -> list[int]:
    merged: list[int] = []
    for value in sorted(values):
        if merged and value - merged[-1] <= within:
            continue
        merged.append(value)
    return merged


def grids_of(rules: Rules) -> list[Grid]:
    """Ruled tables: vertical rules spanning the same rows, closed by horizontal rules across them."""
    near = round(2 * OCR_DPI / 25.4)
    verticals = sorted(rules.vertical, key=lambda v: v[1])
    groups: list[list[tuple[int, int, int]]] = []
    for rule in verticals:
        for group in groups:
            top = min(g[1] for g in group)
            bottom = max(g[2] for g in group)
            if rule[1] <= bottom + near and rule[2] >= top - near:
                group.append(rule)
                break
        else:
            groups.append([rule])
    grids = []
    for group in groups:
        xs = _merge([x for x, _, _ in group], near)
        if len(xs) < 3:  # a table has at least two columns
            continue
        top, bottom = min(g[1] for g in group), max(g[2] for g in group)
        # A thin rule on a skewed scan breaks into pieces, and the last piece before a corner can be
        # too short to be told from a letter's stroke: a rule across most of the table is one of its.
        slack = max(near, round(0.1 * (xs[-1] - xs[0])))
        ys = [
            y
            for y, left, right in rules.horizontal
            if top - near <= y <= bottom + near and left <= xs[0] + slack and right >= xs[-1] - slack
        ]
        ys = _merge([*ys, top, bottom], near)
        if len(ys) >= 3:
            grids.append(Grid(xs, ys))
    return grids


# A full stop inside a table cell, after a word in lower case and before a capital: cells hold a name,
# a position or a unit, never two sentences, so it is dust ("Trường. Mầm non"); an abbreviation's stop
# ("UBND TP. Thái Bình") follows capitals and stays.
_STOP_INSIDE_CELL = re.compile(r"(?<=[a-zà-ỹđ])\.\s+(?=[A-ZÀ-ỸĐ])")


def _cell_text(words: list[Word]) -> str:
    # Repaired as one line: a cell wraps where its width ends, not where its phrases do ("…, huyện" /
    # "Hưng Hà").
    text = repair_line(" ".join(w.text for row in rows_of(words) for w in row))
    return _STOP_INSIDE_CELL.sub(" ", text)


def _table_rows(
    grid: Grid, words: list[Word], numbers: dict[int, str], reread: Reread | None = None
) -> list[tuple[list[str], bool]]:
    """Each row of a grid as cell texts, with whether its recipient cell was read with low confidence."""
    cells: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        at = grid.cell(word)
        if at is not None:
            cells.setdefault(at, []).append(word)
    out = []
    for row in range(len(grid.ys) - 1):
        at = (row, 1 if len(grid.xs) > 2 else 0)
        if reread is not None and at in cells and doubtful((w.text, w.conf) for w in cells[at]):
            inset = 6  # clear of the rule, which cleaning removed but may have left a trace of
            cell = (
                grid.xs[at[1]] + inset,
                grid.ys[row] + inset,
                grid.xs[at[1] + 1] - inset,
                grid.ys[row + 1] - inset,
            )
            cells[at] = _better_reading(cells[at], reread, cell)
        texts = [_cell_text(cells.get((row, column), [])) for column in range(len(grid.xs) - 1)]
        if grid.ys[row] in numbers:
            texts[0] = numbers[grid.ys[row]]
        elif _has_number_column(grid) and (number := _STT_WITH_DUST.fullmatch(texts[0])):
            texts[0] = number[1]  # dust or a rule's trace read beside the row's number ("S2")
        if not any(texts):
            continue
        # The cell naming who is listed is the second (after STT), or the first when there is one.
        named = cells.get((row, 1 if len(texts) > 1 else 0), [])
        out.append((texts, doubtful((w.text, w.conf) for w in named)))
    return out


def _mean_confidence(words: list[Word]) -> float:
    return sum(w.conf for w in words) / len(words) if words else -1.0


def _better_reading(words: list[Word], reread: Reread, within: Box | None = None) -> list[Word]:
    """Of a doubtful line's words and more readings of its crop alone (`REREAD_SCALES`), the one
    to keep. Read alone a line is not cut by its neighbours' ink nor by the page's layout, but a second
    reading can be sure and wrong (a tone mark under a stamp), so it is taken as sure only when another
    reads the same text; else the first reading is kept, still doubtful (a surer but
    unconfirmed reading of a stamped line is as often worse)."""
    readings = [words, *(_drop_noise(reread(_bounds(words), within, scale)) for scale in REREAD_SCALES)]
    readings = [r for r in readings if r]
    agreed = [
        r
        for r in readings[1:]
        if not doubtful((w.text, w.conf) for w in r)
        and sum(_same_text(r, other) for other in readings[1:]) >= 2  # itself and one more
    ]
    return max(agreed, key=_mean_confidence) if agreed else words


def _same_text(one: list[Word], other: list[Word]) -> bool:
    def folded(words: list[Word]) -> str:
        return repair_line(" ".join(w.text for w in words)).casefold()

    return folded(one) == folded(other)


def _bounds(words: list[Word]) -> Box:
    return (
        min(w.left for w in words),
        min(w.top for w in words),
        max(w.right for w in words),
        max(w.bottom for w in words),
    )


def _without_entry_dust(words: list[Word]) -> list[Word]:
    """A list entry's line without the dust read as a short word at either end, with little
    confidence: after the entry's closing ";" or "./." ("… Nam Cao; E"), or in place of its number
    ("T Trường THCS …": the number is the list's to give back, `restore_entry_stops`)."""
    if len(words) >= 3 and _dust_word(words[-1]) and words[-2].text.endswith((";", "./.")):
        words = words[:-1]
    if (
        len(words) >= 3
        and _dust_word(words[0])
        and not any(ch.isdigit() for ch in words[0].text)
        and words[1].text[:1].isupper()
        and words[-1].text.endswith((";", "./."))
    ):
        words = words[1:]
    return words


def _dust_word(word: Word) -> bool:
    return len(word.text) <= 2 and word.conf < WORD_CONFIDENCE_FLOOR


def _line(words: list[Word], reread: Reread | None = None) -> str:
    words = _without_entry_dust(words)
    if reread is not None and doubtful((w.text, w.conf) for w in words):
        words = _better_reading(words, reread)
    text = repair_line(" ".join(w.text for w in words))
    return mark_low_confidence(text) if doubtful((w.text, w.conf) for w in words) else text


def layout_page(
    words: list[Word], rules: Rules, numbers: dict[int, str] | None = None, reread: Reread | None = None
) -> OcrPage:
    """The page's text lines in reading order (a ruled table row by row, cells separated by " | ";
    the two columns of a header or signature block one after the other), and its tables. A doubtful
    line or recipient cell is read a second time by `reread`, when given."""
    words = _drop_noise(words)
    grids = grids_of(rules)
    in_grid = [w for w in words if any(g.cell(w) for g in grids)]
    rows = rows_of([w for w in words if not any(g.cell(w) for g in grids)])
    # Each grid takes the place, in the flow, of the rows above which it starts.
    blocks: list[tuple[float, int, Any]] = [(r[0].middle, 0, r) for r in rows]
    blocks += [(g.top, 1, g) for g in grids]
    blocks.sort(key=lambda b: (b[0], b[1]))
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    flow: list[list[Word]] = []

    def add(words: list[Word]) -> None:
        # A line Tesseract is sure of no word in is the remains of dust, a seal or a signature (on
        # the replica's scans, every such line; a line of print has some word read with confidence).
        if words and any(w.conf >= SURE_WORD for w in words):
            lines.append(_line(words, reread))

    def flush() -> None:
        k = 0
        while k < len(flow):
            run = _columns_run(flow, k)
            if run:
                span, gutter = run
                block = flow[k : k + span]
                for left_side in (True, False):
                    for row in block:
                        add([w for w in row if (w.right <= gutter) == left_side])
                k += span
            else:
                add(flow[k])
                k += 1
        flow.clear()

    for _, kind, block in blocks:
        if kind == 0:
            flow.append(block)
            continue
        flush()
        table = []
        for cells, low in _table_rows(block, in_grid, numbers or {}, reread):
            line = CELL_SEPARATOR.join(c for c in cells if c)
            lines.append(mark_low_confidence(line) if low else line)
            if not low:
                table.append(cells)
        tables.append(table)
    flush()
    confidences = [w.conf for w in words if w.conf >= 0]
    return OcrPage(
        lines=restore_entry_stops(lines),
        tables=[t for t in tables if len(t) > 1],
        confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
        words=len(confidences),
    )


def _has_number_column(grid: Grid) -> bool:
    """Whether a grid's first column is a narrow one of row numbers (STT) before its other columns."""
    return len(grid.xs) >= 3 and grid.xs[1] - grid.xs[0] <= 0.15 * (grid.xs[-1] - grid.xs[0])


# A row number with a mark or two read beside it: no number column holds letters and digits together
# (its group headings are letters alone: "I", "A").
_STT_WITH_DUST = re.compile(r"[^\w\s]{0,2}[^\W\d_]?[^\w\s]{0,2}(\d{1,3})[^\w\s]{0,2}")


def _number_column(prepared: Any, grids: list[Grid], timeout: float) -> dict[int, str]:
    """The row numbers in each grid's narrow first column (STT). Tesseract misses a lone digit in a
    narrow cell when it reads the whole page, so the cells are cut out, stacked close together and
    read in one pass as a column of digits; keyed by the top of their row."""
    from PIL import Image, ImageOps

    numbers: dict[int, str] = {}
    for grid in grids:
        if not _has_number_column(grid):
            continue
        cuts = []
        for top, bottom in itertools.pairwise(grid.ys):
            cell = prepared.crop((grid.xs[0] + 4, top + 4, grid.xs[1] - 4, bottom - 4))
            box = ImageOps.invert(cell).point(lambda v: 255 if v > 90 else 0).getbbox()
            if box is not None:
                cuts.append((top, cell.crop(box)))
        if not cuts:
            continue
        pitch = max(c.height for _, c in cuts) + 30
        sheet = Image.new("L", (max(c.width for _, c in cuts) + 80, pitch * len(cuts) + 40), 255)
        for index, (_, cut) in enumerate(cuts):
            sheet.paste(cut, (40, 20 + index * pitch + (pitch - 30 - cut.height) // 2))
        for word in recognise(sheet, timeout, psm=6, digits=True):
            index = int((word.middle - 20) // pitch)
            value = word.text.strip(".")
            if 0 <= index < len(cuts) and value.isdigit():
                numbers[cuts[index][0]] = value
    return numbers


_DASHES = "-–—"
# Marks whose dots a speck of dust can pass for: a full stop, a colon. Not a semicolon: its comma has
# a shape of its own, and a speck beside one (as often as not) would be judged in its place.
_STOPS = ".:"
_LEADING = "-–_\"“'‘"  # marks Tesseract glues before a word when dust lies there


def _row_runs(counts: list[int]) -> list[tuple[int, int]]:
    """(first, last) rows of each run of inked rows, top to bottom."""
    runs, start = [], None
    for row, count in enumerate([*counts, 0]):
        if count and start is None:
            start = row
        elif not count and start is not None:
            runs.append((start, row - 1))
            start = None
    return runs


def _last_blob(ink: Any, alone: bool) -> tuple[int, int, int, int, list[tuple[int, int]]] | None:
    """(left, top, right, bottom, runs) of the ink at the right end of a word's box (`ink`, rows ×
    columns), parted from the letters before it by a blank column; None when it touches them. With
    `alone` the word is the mark by itself and its whole ink is the blob. `runs` are the blob's runs
    of inked rows (a colon has two); top and bottom are those of the run holding the most ink, since
    a speck above or below a dash, inside the word's box, is not part of it."""
    import numpy as np

    columns = ink.any(axis=0)
    inked = np.nonzero(columns)[0]
    if len(inked) == 0:
        return None
    right = int(inked[-1])
    left = int(inked[0]) if alone else right
    while not alone and left > 0 and columns[left - 1]:
        left -= 1
    if not alone and not columns[:left].any():
        return None  # no blank column between the mark and the letters: it cannot be told apart
    counts = ink[:, left : right + 1].sum(axis=1).tolist()
    runs = _row_runs(counts)
    top, bottom = max(runs, key=lambda run: sum(counts[run[0] : run[1] + 1]))
    return left, top, right, bottom, runs


def _is_printed(
    mark: str, blob: tuple[int, int, int, int, list[tuple[int, int]]], line: tuple[float, float]
) -> bool:
    """Whether the blob (page pixels) Tesseract read as a mark has that mark's shape on its line (the
    letters' extent, top to baseline): a dash is a stroke wider than tall across the middle of the
    letters, a full stop a small dot on the baseline, a colon two marks one over the
    other, an underscore a stroke on the baseline, quotes and an opening bracket marks reaching the
    letters' top. Dust beside a word is read as any of them, wherever it fell and whatever its shape."""
    left, top, right, bottom, runs = blob
    width, tall = right - left + 1, bottom - top + 1
    line_top, baseline = line
    height = max(1.0, baseline - line_top)
    if mark == ":":
        # Two marks one over the other, whatever the baseline (a short line's is a poor estimate).
        return len([run for run in runs if run[1] - run[0] + 1 >= 0.06 * height]) >= 2
    if tall > 0.3 * height or width > 1.2 * height:
        # A letter shares the mark's columns (the bar of a T over its stop), or the mark is a quote or
        # a bracket as tall as the letters: left as read, unless it lies wholly under the letters' top.
        return mark not in "\"“'‘" or top <= line_top + 0.45 * height
    if min(width, tall) < 0.06 * height:
        return False  # a speck thinner than any printed stroke
    if mark in _DASHES:
        middle = (top + bottom) / 2
        return width >= 1.5 * tall and baseline - 0.75 * height <= middle <= baseline - 0.1 * height
    if mark == "_":
        return width >= 2 * tall and bottom >= baseline - 0.1 * height
    if mark in "\"“'‘":
        return bottom <= line_top + 0.45 * height
    return min(width, tall) >= 0.1 * height and bottom >= baseline - 0.2 * height


def _without_specks(ink: Any, size: float) -> Any:
    """`ink` (bool) less its blobs smaller than `size` pixels both ways."""
    import numpy as np
    from scipy import ndimage

    labels, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    small = [
        index + 1
        for index, box in enumerate(ndimage.find_objects(labels))
        if box[0].stop - box[0].start < size and box[1].stop - box[1].start < size
    ]
    return ink & ~np.isin(labels, small) if small else ink


def _letters_extent(line: list[Word]) -> tuple[float, float]:
    """(top of the tall letters, baseline) of a line: most words end on the baseline, some below it
    (descenders, the dot under ạ or ộ), so the lower quartile of their bottoms; the tops likewise."""
    lettered = [w for w in line if _LETTER.search(w.text)] or line
    tops = sorted(w.top for w in lettered)
    bottoms = sorted(w.bottom for w in lettered)
    return tops[len(tops) // 4], bottoms[len(bottoms) // 4]


def drop_dust_marks(prepared: Any, words: list[Word]) -> list[Word]:
    """Marks that are dust by their shape (`_is_printed`) taken out of the words: a dash, stop, colon
    standing alone or ending a word, and a dash, quote or underscore glued before one. A
    mark standing alone is dropped, one at a word's end or start is cut off it."""
    import numpy as np

    values = np.asarray(prepared)
    ink = values < min(_otsu(values), 200)
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)

    def printed(word: Word, mark: str, box: Any, alone: bool) -> tuple[bool, int]:
        """(whether the mark at the right end of `box` is printed, the column its blob starts at)."""
        extent = _letters_extent(lines[word.line])
        if mark == ":" and box.size:
            # A speck beside a colon would be judged in its place: specks smaller than either of
            # its dots are left out.
            box = _without_specks(box, 0.08 * max(1.0, extent[1] - extent[0]))
        blob = _last_blob(box, alone=alone) if box.size else None
        if blob is None:
            return True, 0
        left, top, right, bottom, runs = blob
        shifted = (
            left,
            top + word.top,
            right,
            bottom + word.top,
            [(a + word.top, b + word.top) for a, b in runs],
        )
        return _is_printed(mark, shifted, extent), left

    kept = []
    for word in words:
        box = ink[word.top : word.bottom + 1, word.left : word.right + 1]
        text, left, right = word.text, word.left, word.right
        mark = text[-1:]
        if (mark in _DASHES or mark in _STOPS) and not text.endswith(("./.", "..")):
            sure, start = printed(word, mark, box, len(text) == 1)
            if not sure:
                if len(text) == 1:
                    continue
                text, right = text[:-1], word.left + start
        first = text[:1]
        if len(text) > 1 and first in _LEADING and _LETTER.search(text[1:2]):
            mirrored = box[:, : right - word.left + 1][:, ::-1]  # the word's start, as its end
            sure, start = printed(word, first, mirrored, False)
            if not sure:
                text, left = text[1:], right - start + 1
        if (text, left, right) == (word.text, word.left, word.right):
            kept.append(word)
        else:
            kept.append(Word(text, word.conf, left, word.top, right, word.bottom, word.line))
    return kept


def ocr_page_image(image: Any, dpi: int, timeout: float) -> OcrPage:
    prepared, rules = prepare(image, dpi)
    numbers = _number_column(prepared, grids_of(rules), timeout)
    words = drop_dust_marks(prepared, recognise(prepared, timeout))
    # What a seal leaves once its ring is whitened (its lettering round the inside, its star) is read
    # as words wholly inside it, with little confidence; print over the seal reaches outside it, or
    # is read with confidence.
    words = [w for w in words if w.conf >= SURE_WORD or not any(seal.holds(w) for seal in rules.seals)]
    # The layout is done twice: once to learn which lines are doubtful (their crops asked for and
    # given no second reading), then with every crop read in one Tesseract run per scale.
    wanted: list[RereadRequest] = []

    def ask(box: Box, within: Box | None, scale: float) -> list[Word]:
        wanted.append((box, within, scale))
        return []

    layout_page(words, rules, numbers, ask)
    readings = reread_lines(prepared, wanted, timeout)
    return layout_page(words, rules, numbers, lambda *request: readings.get(request, []))


# A doubtful line is read again at the page's scale and enlarged: tone marks get more pixels to be
# told apart, and each scale is an independent reading, two of which must agree (`_better_reading`).
# A third scale confirmed lines the other two read differently (on bench's 8 scans, doubtful lines 57
# -> 50 of 334, no name read wrong that was not before), for a third Tesseract run on such pages.
REREAD_SCALES = (1.0, 1.5, 2.0)
REREAD_MARGIN = 0.35  # of the line's height, white kept around its crop on every side
REREAD_GAP = 60  # white between two crops stacked on one sheet, sheet pixels
RereadRequest = tuple[Box, Box | None, float]  # (line's words' box, the cell it must stay in, scale)


def reread_lines(
    prepared: Any, requests: list[RereadRequest], timeout: float
) -> dict[RereadRequest, list[Word]]:
    """Doubtful lines' crops read again, alone: each cut out with white around it (kept `within` a
    table's cell, clear of its rules), scaled, and stacked one under the other on a sheet per scale,
    read in one Tesseract run (page segmentation 6, a block of lines) so the model is loaded once;
    each word goes back to its crop by where it sits on the sheet, its box in page pixels."""
    from PIL import Image

    found: dict[RereadRequest, list[Word]] = {}
    for scale in sorted({request[2] for request in requests}):
        cuts = []
        for request in dict.fromkeys(r for r in requests if r[2] == scale):
            (left, top, right, bottom), within, _ = request
            pad = max(4, int(REREAD_MARGIN * (bottom - top)))
            left, top, right, bottom = max(0, left - pad), max(0, top - pad), right + pad, bottom + pad
            if within is not None:
                left, top = max(left, within[0]), max(top, within[1])
                right, bottom = min(right, within[2]), min(bottom, within[3])
            if right - left < 4 or bottom - top < 4:
                continue
            crop = prepared.crop((left, top, right, bottom))
            crop = crop.resize((round(crop.width * scale), round(crop.height * scale)), Image.LANCZOS)
            cuts.append((request, (left, top), crop))
        if not cuts:
            continue
        sheet = Image.new(
            "L",
            (max(c.width for _, _, c in cuts) + 40, sum(c.height + REREAD_GAP for _, _, c in cuts) + 40),
            255,
        )
        starts = []
        y = 20
        for _, _, crop in cuts:
            sheet.paste(crop, (20, y))
            starts.append(y)
            y += crop.height + REREAD_GAP
        for word in recognise(sheet, timeout, psm=6):
            # The crop's white margin holds the edges of the lines above and below, which Tesseract
            # reads as lines of their own: only a word centred on the line asked for is its.
            at = [
                k
                for k, (((_, line_top, _, line_bottom), _, _), (_, top), _) in enumerate(cuts)
                if starts[k] + (line_top - top) * scale
                <= word.middle
                <= starts[k] + (line_bottom - top) * scale
            ]
            if not at:
                continue
            request, (left, top), _ = cuts[at[0]]
            found.setdefault(request, []).append(
                Word(
                    word.text,
                    word.conf,
                    left + round((word.left - 20) / scale),
                    top + round((word.top - starts[at[0]]) / scale),
                    left + round((word.right - 20) / scale),
                    top + round((word.bottom - starts[at[0]]) / scale),
                    (0, 0, at[0]),
                )
            )
    return found
