"""An email draft's attachments, checked as mail gateways check them: no scripts, actions,
embedded files or encryption; links only to https: and mailto:; a size that gets through."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

from briefgen.errors import AttachmentError, Problem
from briefgen.write import OutputFile

WARN_BYTES = 1_000_000
LIMIT_BYTES = 10_000_000

_PDF_RISKS = {b"/JavaScript": "JavaScript", b"/JS": "JavaScript", b"/Launch": "a launch action",
              b"/EmbeddedFile": "an embedded file", b"/Encrypt": "encryption",
              b"/SubmitForm": "a form action", b"/ImportData": "a data import"}
_SAFE_LINK = re.compile(rb"^(https://|mailto:)")


def check_attachments(pdf: OutputFile, docx: OutputFile | None) -> list[Problem]:
    """Raise `AttachmentError` with every reason a gateway would refuse the mail; return
    the warnings (a size above what diplomats' mail comfortably takes)."""
    attachments = [pdf] if docx is None else [pdf, docx]
    problems = check_pdf(pdf.data, pdf.path) + (
        [] if docx is None else check_docx(docx.data, docx.path))
    total = sum(len(file.data) for file in attachments)
    if total > LIMIT_BYTES:
        problems.append(Problem(pdf.path, "", f"attachments total {total / 1e6:.1f} MB; many "
                                "ministry gateways refuse mail above 10 MB", rule="attachments"))
    if problems:
        raise AttachmentError(problems)
    if total > WARN_BYTES:
        return [Problem(pdf.path, "", f"attachments total {total / 1e6:.1f} MB; keep mail to "
                        "diplomats under 1 MB where you can", rule="attachments",
                        severity="warning")]
    return []


def check_pdf(data: bytes, path: Path) -> list[Problem]:
    """Refuse what mail gateways quarantine: scripts, actions, embedded files, encryption."""
    # Only the object dictionaries matter; compressed stream bytes could match by chance.
    objects = re.sub(rb"stream\r?\n.*?endstream", b"", data, flags=re.DOTALL)
    problems = [Problem(path, "", f"the PDF contains {what}; it would be blocked by mail "
                        "filters", rule="attachments")
                for marker, what in _PDF_RISKS.items()
                if re.search(re.escape(marker) + rb"(?![A-Za-z0-9])", objects)]
    for match in re.finditer(rb"/URI \((.*?)\)", objects):
        if not _SAFE_LINK.match(match.group(1)):
            target = match.group(1).decode(errors="replace")
            problems.append(Problem(path, "", f"the PDF links to {target!r}; only https: and "
                                    "mailto: links are allowed in mail", rule="attachments"))
    return problems


def check_docx(data: bytes, path: Path) -> list[Problem]:
    """Links in the DOCX only to https: and mailto: addresses, as mail gateways want; raise
    `BriefgenBug` when it carries anything else that reaches outside it (`docx_safety`): the
    DOCX is briefgen's own, built on a base document that was checked when it was loaded."""
    from briefgen.render.docx_safety import refuse_unsafe_docx

    refuse_unsafe_docx(data, path)
    return [Problem(path, "", f"the DOCX links to {target!r}; only https: and mailto: links "
                    "are allowed in mail", "write the link in the spec with https://",
                    rule="attachments")
            for target in _external_targets(data) if not _SAFE_LINK.match(target.encode())]


def _external_targets(data: bytes) -> list[str]:
    """Where the DOCX's relationships that leave the file point, in every part."""
    from briefgen.render.docx_safety import parse_xml

    targets = []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".rels"):
                targets += [str(relationship.get("Target", "")) for relationship
                            in parse_xml(archive.read(name)).iter("{*}Relationship")
                            if relationship.get("TargetMode", "Internal") != "Internal"]
    return targets
