"""The DOCX as LibreOffice lays it out, measured against the PDF: where the footer stands,
how wide the French narrow space is, where lines break, and that the page holds.

Word is not available to the tests; LibreOffice with Carlito is the reference word processor
here (see "Fonts" in the README for what Word does with the same file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, BuiltBriefs, expected_versions, run_tool, spec_data

VERSIONS = [(name, audience_id) for name in ("example", "full", "minimal")
            for audience_id, _, _ in expected_versions(name)]
VERSION_IDS = [f"{name}-{audience_id or 'generic'}" for name, audience_id in VERSIONS]
LABELS = yaml.safe_load((ROOT / "templates" / "one-pager" / "template.yaml").read_text(
    encoding="utf-8"))["labels"]


@dataclass(frozen=True)
class Word:
    """A word as pdftotext finds it on the page: its box in points from the top left."""

    left: float
    top: float
    right: float
    bottom: float
    text: str


def words_with_boxes(pdf: Path) -> list[Word]:
    result = run_tool("pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-")
    assert result.returncode == 0, result.stderr
    return [Word(float(left), float(top), float(right), float(bottom), text)
            for left, top, right, bottom, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"([^<]*)</word>", result.stdout)]


def language_of(name: str, audience_id: str | None) -> str:
    return next(language for audience, language, _ in expected_versions(name)
                if audience == audience_id)


# ---------------------------------------------------------------------------------------------
# The footer


def has_footer(name: str) -> bool:
    """Whether a spec's page has a footer: a contact line or source notes."""
    data = spec_data(name)
    sender = data["brief"].get("from", {})
    return bool(data.get("sources") or data.get("include")
                or any(sender.get(key) for key in ("name", "email", "phone", "website")))


FOOTER_VERSIONS = [version for version in VERSIONS if has_footer(version[0])]


@pytest.mark.tools
@pytest.mark.parametrize(("name", "audience_id"), FOOTER_VERSIONS,
                         ids=[VERSION_IDS[VERSIONS.index(version)] for version in FOOTER_VERSIONS])
def test_the_footer_stands_at_the_foot_of_the_page_as_in_the_pdf(
        built_briefs: BuiltBriefs, libreoffice_pdfs: dict[Path, Path], name: str,
        audience_id: str | None) -> None:
    """The contact line and the last source line sit where the PDF has them, however long
    the body runs in the word processor (it once followed the body, 6 mm too high)."""
    built = built_briefs.versions[(name, audience_id)]
    pdf, docx = words_with_boxes(built.pdf), words_with_boxes(libreoffice_pdfs[built.docx])
    assert abs(max(word.bottom for word in pdf) - max(word.bottom for word in docx)) <= 2.0
    language = language_of(name, audience_id)
    labels = LABELS.get(language, LABELS[language.split("-")[0]])
    contact = labels["contact"].split()[0]
    tops = [max((word.top for word in words if word.text == contact), default=None)
            for words in (pdf, docx)]
    if tops[0] is not None:  # a version with a contact line
        assert tops[1] is not None
        assert abs(tops[0] - tops[1]) <= 2.5, tops
