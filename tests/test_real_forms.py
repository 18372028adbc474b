"""Awards, legal headers and movements in the forms real documents and news write them.

Each case under tests/files/real_forms/ is an invented text in one real form (`<case>.txt` or
`<case>.html`) and `<case>.json`: the page it stands on (kind, title, date, labels), where the text
goes (the page's body, its HTML, or an attached file's text) and what must be derived from it, field
by field. Recipients and movements are compared both ways: none missing, none invented.

"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from archive.derive import AttachmentInput, Derived, PageInput, derive_page

FOLDER = Path(__file__).parent / "files" / "real_forms"
RECIPIENT_FIELDS = ("name", "kind", "unit", "position", "award", "honorific")
MOVEMENT_FIELDS = ("launched_on", "launched_by", "period_start", "period_end")


@dataclass
class Case:
    name: str
    spec: dict[str, Any]
    text: str

    @property
    def expected(self) -> dict[str, Any]:
        expected: dict[str, Any] = self.spec["expected"]
        return expected


def body_text_of(markup: str) -> str:
    """The page text the scraper hands on for an HTML body: paragraphs apart, table rows as cells."""
    root = lxml_html.fromstring(markup)
    parts: list[str] = []
    for element in root.iter("p", "tr"):
        if element.tag == "tr":
            parts.append(
                " | ".join(" ".join(c.text_content().split()) for c in element if c.tag in ("td", "th"))
            )
        else:
            parts.append(" ".join(element.text_content().split()))
    return "\n\n".join(p for p in parts if p.strip())


def load_cases(folder: Path) -> list[Case]:
    cases = []
    for spec_path in sorted(folder.glob("*.json")):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        text_path = spec_path.with_suffix(".html" if spec["text_in"] == "html" else ".txt")
        cases.append(Case(spec_path.stem, spec, text_path.read_text(encoding="utf-8")))
    return cases


def derive_case(case: Case) -> Derived:
    page = case.spec["page"]
    body_text = body_html = None
    attachments = []
    if case.spec["text_in"] == "body":
        body_text = case.text
    elif case.spec["text_in"] == "html":
        body_html, body_text = case.text, body_text_of(case.text)
    else:
        meta = case.spec["attachment"]
        attachments.append(
            AttachmentInput(
                f"http://127.0.0.1/f/{meta['filename']}", meta["filename"], meta["content_type"], case.text
            )
        )
    return derive_page(
        PageInput(
            url=f"http://127.0.0.1/{case.name}.html",
            kind=page["kind"],
            category="x",
            section=None,
            title=page["title"],
            published_at=page.get("published_at"),
            summary=page.get("summary"),
            body_text=body_text,
            body_html=body_html,
            metadata=page.get("metadata", {}),
        ),
        attachments,
    )


CASES = load_cases(FOLDER)
DERIVED: dict[str, Derived] = {}


def derived(case: Case) -> Derived:
    if case.name not in DERIVED:
        DERIVED[case.name] = derive_case(case)
    return DERIVED[case.name]


def award_fields() -> list[tuple[Case, str]]:
    return [
        (c, f) for c in CASES if c.expected.get("award") for f in c.expected["award"] if f != "recipients"
    ]


def legal_fields() -> list[tuple[Case, str]]:
    return [(c, f) for c in CASES if c.expected.get("legal") for f in c.expected["legal"]]


def recipients(values: list[Any]) -> Counter[tuple[Any, ...]]:
    return Counter(
        tuple(v[f] if isinstance(v, dict) else getattr(v, f) for f in RECIPIENT_FIELDS) for v in values
    )


def test_every_form_has_cases() -> None:
    forms = " ".join(c.spec["form"] for c in CASES)
    for form in (
        "annex",
        "inline numbered",
        "dash bullets",
        "prose",
        "table",
        "header",
        "signature",
        "movement",
    ):
        assert form in forms.lower(), form
    assert len(CASES) >= 30


@pytest.mark.parametrize(
    ("case", "field"), award_fields(), ids=lambda v: v.name if isinstance(v, Case) else v
)
def test_award_field(case: Case, field: str) -> None:
    awards = derived(case).awards
    assert len(awards) == 1
    assert getattr(awards[0], field) == case.expected["award"][field]


AWARD_CASES = [c for c in CASES if "award" in c.expected]


@pytest.mark.parametrize(
    "case", [c for c in AWARD_CASES if c.expected["award"] is None], ids=lambda c: c.name
)
def test_no_award_where_none_is_conferred(case: Case) -> None:
    assert derived(case).awards == []


WITH_RECIPIENTS = [c for c in AWARD_CASES if c.expected["award"] and "recipients" in c.expected["award"]]


@pytest.mark.parametrize("case", WITH_RECIPIENTS, ids=lambda c: c.name)
def test_no_recipient_is_missing(case: Case) -> None:
    (award,) = derived(case).awards
    assert sorted(recipients(case.expected["award"]["recipients"]) - recipients(award.recipients)) == []


@pytest.mark.parametrize("case", WITH_RECIPIENTS, ids=lambda c: c.name)
def test_no_recipient_is_invented(case: Case) -> None:
    (award,) = derived(case).awards
    assert sorted(recipients(award.recipients) - recipients(case.expected["award"]["recipients"])) == []


@pytest.mark.parametrize(
    ("case", "field"), legal_fields(), ids=lambda v: v.name if isinstance(v, Case) else v
)
def test_legal_field(case: Case, field: str) -> None:
    legal = derived(case).legal
    assert legal is not None
    assert getattr(legal, field) == case.expected["legal"][field]


MOVEMENT_CASES = [c for c in CASES if "movements" in c.expected]


@pytest.mark.parametrize("case", MOVEMENT_CASES, ids=lambda c: c.name)
def test_movement_names_both_ways(case: Case) -> None:
    names = [m.name for m in derived(case).movements]
    assert names == [m["name"] for m in case.expected["movements"]]


@pytest.mark.parametrize(
    ("case", "field"),
    [(c, f) for c in MOVEMENT_CASES for f in MOVEMENT_FIELDS],
    ids=lambda v: v.name if isinstance(v, Case) else v,
)
def test_movement_launch_facts(case: Case, field: str) -> None:
    found = {m.name: getattr(m, field) for m in derived(case).movements}
    expected = {m["name"]: m[field] for m in case.expected["movements"]}
    assert found == expected
