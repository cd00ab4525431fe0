"""Every version of the example and the test specs, as readers get it, is unchanged.

A fingerprint per file of what it shows: the PDF's words with their positions (pdftotext,
rounded to a tenth of a point) and the DOCX's normalized document XML. So a change of code
that means to change nothing (moving modules, splitting functions) proves it: the
fingerprints stay. An intended change of the page is regenerated with `--update-golden`,
and the diff of `tests/golden/outputs.txt` says which versions it touched. Fingerprints, not
bytes: zip and PDF compression may differ between library releases, the words and places not.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import SPECS, BuiltBriefs, build_brief, normalized_document_xml, run_tool

EXTRA_SPECS = {"flood-shelters": SPECS / "flood-shelters.yaml"}


def pdf_fingerprint(pdf: Path) -> str:
    result = run_tool("pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-")
    assert result.returncode == 0, result.stderr
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                       r"([^<]*)</word>", result.stdout)
    text = "\n".join(f"{float(x0):.1f} {float(y0):.1f} {float(x1):.1f} {float(y1):.1f} {word}"
                     for x0, y0, x1, y1, word in words)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def docx_fingerprint(docx: Path) -> str:
    return hashlib.sha256(normalized_document_xml(docx).encode()).hexdigest()[:16]


@pytest.mark.tools
def test_every_version_prints_as_before(built_briefs: BuiltBriefs,
                                        tmp_path_factory: pytest.TempPathFactory,
                                        golden: Callable[[str, str], None]) -> None:
    files = {(name, audience_id): (built.pdf, built.docx)
             for (name, audience_id), built in built_briefs.versions.items()}
    out = tmp_path_factory.mktemp("more specs")
    for name, spec in EXTRA_SPECS.items():
        for result in build_brief(spec, out):
            assert result.pdf is not None and result.docx is not None
            files[(name, result.audience_id)] = (result.pdf, result.docx)
    lines = [f"{name} {audience_id or '-'} pdf {pdf_fingerprint(pdf)} docx "
             f"{docx_fingerprint(docx)}" for (name, audience_id), (pdf, docx) in sorted(
                 files.items(), key=lambda item: (item[0][0], item[0][1] or ""))]
    golden("outputs.txt", "\n".join(lines) + "\n")
