"""An email's attachments, checked before the draft is written: what a gateway would refuse is
an `AttachmentError` of its own, not a fault of the template."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefgen.write.attachments
from briefgen.errors import AttachmentError, TemplateError, UserError
from briefgen.write import OutputFile
from briefgen.write.attachments import check_attachments

CLEAN_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
SCRIPTED_PDF = CLEAN_PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript >>")


def pdf(data: bytes = CLEAN_PDF, padding: int = 0) -> OutputFile:
    return OutputFile(Path("brief.pdf"), data + b"%" * padding)


def test_a_clean_small_pdf_passes_without_a_word() -> None:
    assert check_attachments(pdf(), None) == []


def test_a_pdf_a_gateway_would_quarantine_is_an_attachment_error() -> None:
    with pytest.raises(AttachmentError) as caught:
        check_attachments(pdf(SCRIPTED_PDF), None)
    assert isinstance(caught.value, UserError) and not isinstance(caught.value, TemplateError)
    assert [problem.message for problem in caught.value.problems] == [
        "the PDF contains JavaScript; it would be blocked by mail filters"]


def test_attachments_above_the_limit_are_refused_and_above_a_megabyte_warned(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(briefgen.write.attachments, "WARN_BYTES", 1_000)
    monkeypatch.setattr(briefgen.write.attachments, "LIMIT_BYTES", 5_000)
    [warning] = check_attachments(pdf(padding=2_000), None)
    assert warning.severity == "warning" and "keep mail to diplomats under 1 MB" in warning.message
    with pytest.raises(AttachmentError, match="many ministry gateways refuse mail above 10 MB"):
        check_attachments(pdf(padding=6_000), None)
