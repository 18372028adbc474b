"""One adapter for the two CDX APIs public web archives speak: the Internet Archive's and pywb's.

They differ in every detail an import touches:

| | Internet Archive (`/cdx/search/cdx`) | pywb (`/<collection>/cdx`) |
|---|---|---|
| `output=json` | one JSON array of arrays, the first row naming the fields | one JSON object a line |
| field names | `original`, `mimetype`, `statuscode` | `url`, `mime`, `status` |
| revisits | `mimetype` `warc/revisit`, `statuscode` `-` | `mime` `warc/revisit`, no `status` |
| `filter=` | a regular expression the whole value must match | a substring (`~` regex, `=` exact) |
| paging | `limit` + `showResumeKey` → `resumeKey` | none for a plain index: one answer |
| `collapse` | yes | no |

Both list every capture of a host and its subdomains with `matchType=domain`, take `from`/`to`, and
give the raw capture at `<replay prefix><timestamp>id_/<url>`. Neither `filter` nor `collapse` is
sent: the import wants redirects and errors too, and `collapse` folds adjacent rows of *different*
URLs that happen to share a digest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from archive.captures import REVISIT_MIME, Capture
from archive.polite import Answer, PoliteClient

IA = "ia"
PYWB = "pywb"
DEFAULT_PAGE_SIZE = 5000  # rows per IA page: large pages are fewer requests against the rate limit
# Headers a replay adds about itself, never part of the capture.
_REPLAY_HEADERS = frozenset(
    {
        "memento-datetime",
        "link",
        "content-location",
        "date",
        "server",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "set-cookie",
    }
)
_ORIG_PREFIX = "x-archive-orig-"


class CdxError(RuntimeError):
    """The CDX server answered something that is not a CDX listing."""


@dataclass
class ListingPage:
    captures: list[Capture]
    resume_key: str | None  # None: the listing is complete


@dataclass
class RawCapture:
    status: int
    reason: str
    headers: list[tuple[str, str]]  # the site's own headers, as captured
    body: bytes


def flavor_of(endpoint: str) -> str:
    """The Internet Archive's API lives at /cdx/search/cdx (so do its clones); pywb's at /<coll>/cdx."""
    return IA if urlsplit(endpoint).path.rstrip("/").endswith("/cdx/search/cdx") else PYWB


def replay_prefix_of(endpoint: str, flavor: str) -> str:
    """http://web.archive.org/cdx/search/cdx → http://web.archive.org/web/; http://h/coll/cdx → http://h/coll/."""
    base = endpoint.split("?", 1)[0].rstrip("/")
    if flavor == IA:
        return base[: -len("/cdx/search/cdx")] + "/web/"
    if base.endswith("/cdx"):
        return base[: -len("/cdx")] + "/"
    raise CdxError(f"{endpoint}: a pywb CDX endpoint ends in /<collection>/cdx; give --replay")


class CdxServer:
    def __init__(
        self,
        endpoint: str,
        client: PoliteClient,
        *,
        flavor: str | None = None,
        replay_prefix: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        self.endpoint = endpoint.split("?", 1)[0]
        self.flavor = flavor or flavor_of(endpoint)
        if self.flavor not in (IA, PYWB):
            raise ValueError(f"unknown CDX flavor {self.flavor!r}")
        self.replay_prefix = replay_prefix or replay_prefix_of(self.endpoint, self.flavor)
        if not self.replay_prefix.endswith("/"):
            self.replay_prefix += "/"
        self.client = client
        self.page_size = page_size

    # -- listing ------------------------------------------------------------------------------------

    def query_url(
        self, host: str, *, start: str | None, end: str | None, resume_key: str | None = None
    ) -> str:
        params: list[tuple[str, str]] = [("url", host), ("matchType", "domain"), ("output", "json")]
        if start:
            params.append(("from", start))
        if end:
            params.append(("to", end))
        if self.flavor == IA:
            params += [
                ("fl", "urlkey,timestamp,original,mimetype,statuscode,digest,length"),
                ("limit", str(self.page_size)),
                ("showResumeKey", "true"),
            ]
            if resume_key:
                params.append(("resumeKey", resume_key))
        return f"{self.endpoint}?{urlencode(params)}"

    def list_pages(
        self,
        host: str,
        *,
        start: str | None = None,
        end: str | None = None,
        resume_key: str | None = None,
    ) -> Iterator[ListingPage]:
        """Every capture of `host` and its subdomains, a page at a time (one page on pywb)."""
        key = resume_key
        while True:
            answer = self.client.get(self.query_url(host, start=start, end=end, resume_key=key))
            if answer.status == 404 and not answer.body.strip().startswith((b"[", b"{")):
                # pywb answers 404 when it holds nothing for the host; so do IA clones.
                yield ListingPage([], None)
                return
            if answer.status != 200:
                raise CdxError(f"{answer.url}: HTTP {answer.status}")
            asked = key
            captures, key = self.parse(answer)
            if key is not None and key == asked:
                raise CdxError(f"{answer.url}: the resume key did not move; the listing would never end")
            yield ListingPage(captures, key)
            if key is None or self.flavor != IA:
                return

    def parse(self, answer: Answer) -> tuple[list[Capture], str | None]:
        text = answer.body.decode("utf-8", errors="replace").strip()
        if not text:
            return [], None
        if text.startswith("["):
            return self._parse_ia(text, answer.url)
        if text.startswith("{"):
            return self._parse_pywb(text), None
        raise CdxError(f"{answer.url}: not a JSON CDX answer ({text[:60]!r})")

    def _parse_ia(self, text: str, url: str) -> tuple[list[Capture], str | None]:
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CdxError(f"{url}: unreadable JSON ({exc})") from None
        if not rows:
            return [], None
        header, body = rows[0], rows[1:]
        resume_key = None
        # With showResumeKey the last two rows are [] and [key].
        if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
            resume_key = body[-1][0]
            body = body[:-2]
        fields = {name: i for i, name in enumerate(header)}
        captures = []
        for row in body:
            if not row:
                continue
            record = {name: row[i] for name, i in fields.items() if i < len(row)}
            captures.append(
                self._capture(
                    record["original"],
                    record["timestamp"],
                    record.get("statuscode"),
                    record.get("mimetype"),
                    record.get("digest"),
                )
            )
        return captures, resume_key

    def _parse_pywb(self, text: str) -> list[Capture]:
        captures = []
        for line in text.splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            captures.append(
                self._capture(
                    record["url"],
                    record["timestamp"],
                    record.get("status"),
                    record.get("mime"),
                    record.get("digest"),
                )
            )
        return captures

    def _capture(
        self, url: str, timestamp: str, status: str | None, mime: str | None, digest: str | None
    ) -> Capture:
        revisit = mime == REVISIT_MIME or status in (None, "", "-")
        return Capture(
            url=url,
            timestamp=timestamp,
            status=None if revisit or not str(status).isdigit() else int(status),  # type: ignore[arg-type]
            mime=REVISIT_MIME if revisit else mime,
            digest=(digest or "").removeprefix("sha1:") or None,
            locator=self.raw_url(timestamp, url),
        )

    # -- raw captures -------------------------------------------------------------------------------

    def raw_url(self, timestamp: str, url: str) -> str:
        return f"{self.replay_prefix}{timestamp}id_/{quote(url, safe=':/?&=%#;,+@!$*()~')}"

    def fetch(self, capture: Capture) -> RawCapture:
        answer = self.client.get(capture.locator)
        return RawCapture(answer.status, answer.reason, self.original_headers(answer), answer.body)

    def original_headers(self, answer: Answer) -> list[tuple[str, str]]:
        """The site's headers as captured: the replay's own dropped, `X-Archive-Orig-*` restored."""
        restored = {
            key.lower()[len(_ORIG_PREFIX) :]
            for key, _ in answer.headers
            if key.lower().startswith(_ORIG_PREFIX)
        }
        out: list[tuple[str, str]] = []
        for key, value in answer.headers:
            low = key.lower()
            if low.startswith(_ORIG_PREFIX):
                name = key[len(_ORIG_PREFIX) :]
                if name.lower() not in _REPLAY_HEADERS or name.lower() in ("date", "server"):
                    out.append((name, value))
                continue
            if low in _REPLAY_HEADERS or low.startswith("x-archive-") or low in restored:
                continue
            if low == "location":
                value = self.unwrap(value)
            out.append((key, value))
        return out

    def unwrap(self, location: str) -> str:
        """A redirect the replay rewrote to its own address → the site's URL it stands for."""
        prefix_path = urlsplit(self.replay_prefix).path
        for prefix in (self.replay_prefix, prefix_path):
            if location.startswith(prefix):
                rest = location[len(prefix) :]
                stamp, _, target = rest.partition("/")
                if stamp[:14].isdigit() and target.startswith(("http://", "https://")):
                    return target
        return location
