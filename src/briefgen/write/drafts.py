"""Email drafts: one `.eml` per audience, ready to review and send from a mail program.

Nothing is sent and no network is used: the draft carries `X-Unsent: 1`, which makes Outlook
and Thunderbird open it as an unsent message. Its cover note comes from the template
(`cover_note.py`), its attachments are checked first (`attachments.py`).

Headers are built only from values checked here (one line, no encoded words, one address per
field), because Python's email package does not reliably refuse header injection itself.
The subject is encoded by the standard library's `email.header.Header` (see `SubjectHeader`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email.header import Header
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UniqueUnstructuredHeader
from email.message import EmailMessage
from email.policy import SMTP, Policy
from pathlib import Path
from typing import Any

from briefgen.errors import DraftRefused, Problem, TemplateError
from briefgen.resolve.view import BriefView
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path
from briefgen.spec.models import BriefSpec, Contact
from briefgen.template import Template
from briefgen.write import OutputFile
from briefgen.write.attachments import check_attachments
from briefgen.write.cover_note import EMAIL_FOLDER, cover_note_context, plain, render_cover_note

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# An encoded word may be at most 75 characters long (RFC 2047, section 2); a folded line is
# one space and one encoded word.
FOLDED_LINE = 76


class SubjectHeader(UniqueUnstructuredHeader, BaseHeader):  # type: ignore[misc]  # stubs' max_count
    """The subject, folded by `email.header.Header`: the spaces between words are inside the
    encoded words, so every mail program shows exactly the words of the subject.

    Why not the policy's own folding: until CPython gh-144156 (fixed in 2026; the Python
    3.11 briefgen supports has it), at a fold it leaves the space between two words outside
    the encoded words. Between two encoded words, mail programs must ignore white space (RFC
    2047, section 6.2), so "üzrə yüksək" folded as `=?utf-8?b?...üzrə?=` CRLF
    ` =?utf-8?b?yüksək...?=` reads "üzrəyüksək"; before plain text, the space and the fold
    both count, and "Fund Azerbaijan's" gets two spaces.
    """

    def fold(self, *, policy: Policy) -> str:
        text = str(self)
        # Plain ASCII is folded at spaces; a word too long for a line could not be, so such a
        # subject is encoded too (an encoded word may end anywhere).
        plain = text.isascii() and all(len(f"{self.name}: {word}") <= FOLDED_LINE
                                       for word in text.split())
        folded = Header(text, "us-ascii" if plain else "utf-8", header_name=self.name).encode(
            linesep=policy.linesep, maxlinelen=FOLDED_LINE)
        return f"{self.name}: {folded}{policy.linesep}"


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("subject", SubjectHeader)
MAIL_POLICY = SMTP.clone(header_factory=_HEADERS)


@dataclass(frozen=True)
class Draft:
    file: OutputFile
    warnings: list[Problem]


def draft_path(pdf_path: Path) -> Path:
    """Where the email draft carrying a brief's PDF is written: an `email` folder beside it."""
    return pdf_path.parent / EMAIL_FOLDER / (pdf_path.stem + ".eml")


def compose_draft(spec: BriefSpec, document: YamlDocument, template: Template,
                  audience_index: int | None, view: BriefView, pdf: OutputFile,
                  docx: OutputFile, *, allow_draft: bool = False) -> Draft:
    """The draft for one audience; attachments are checked before anything is written.

    A version that is itself a draft (`view.draft`: a quote without consent, an unsourced
    amount) is not attached unless `allow_draft`: `DraftRefused` names each reason where
    it was written. Attachments a mail gateway would refuse raise `AttachmentError`."""
    audience = spec.audiences[audience_index] if audience_index is not None else None
    where: FieldPath = ("audiences", audience_index) if audience_index is not None else ()
    if view.draft and not allow_draft:
        raise DraftRefused(_draft_reasons(view, document, audience.id if audience else None))
    attach_docx = audience.attach_docx if audience else False
    attachments = [pdf, docx] if attach_docx else [pdf]
    warnings = check_attachments(pdf, docx if attach_docx else None)
    contacts = audience.contacts if audience else []
    if not contacts:
        warnings.append(_no_contacts(document, where, has_audience=audience is not None))
    subject, body = render_cover_note(template, view.language, cover_note_context(
        view, audience, [file.path.name for file in attachments]))
    _check_header(subject, document, where, "the subject")
    message = EmailMessage(policy=MAIL_POLICY)
    _address(message, spec, view, contacts)
    message["Subject"] = subject
    message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8")
    _attach(message, attachments, body)
    return Draft(OutputFile(draft_path(pdf.path), message.as_bytes()), warnings)


def _draft_reasons(view: BriefView, document: YamlDocument, audience_id: str | None
                   ) -> list[Problem]:
    """Why a version is a draft, each where it was written, and how to mail it anyway."""
    version = f"the version for {audience_id}" if audience_id else "this brief"
    return [Problem(document.locate(reason.origin), document.describe(reason.origin),
                    f"{version} is a draft, so no email is written for it: {reason.message}",
                    f"{reason.hint}; or run briefgen email --allow-draft to attach it as it "
                    "is, marked as a draft", rule="draft")
            for reason in view.draft]


def _no_contacts(document: YamlDocument, where: FieldPath, *, has_audience: bool) -> Problem:
    hint = ("add contacts: with name and email to this audience" if has_audience else
            "add audiences: with contacts to address a draft to each delegation")
    return Problem(document.locate(where), format_field_path(where) or "audiences",
                   "no contacts: the draft's To line is empty", hint, rule="contacts",
                   severity="warning")


def _check_header(value: str, document: YamlDocument, where: FieldPath, what: str) -> None:
    if re.search(r"[\r\n\x00-\x1f\x7f]", value) or "=?" in value:
        raise TemplateError(Problem(document.locate(where), format_field_path(where),
                                    f"{what} would contain a line break or an encoded word",
                                    "remove line breaks and '=?' from the texts it is made of",
                                    rule="header"))


def _address(message: EmailMessage, spec: BriefSpec, view: BriefView,
             contacts: list[Contact]) -> None:
    """From the sender (when the spec gives an address); To the contacts, Cc those marked
    `cc: true`."""
    sender: Any = view.context["sender"]
    if spec.brief.from_.email:
        sender_name = plain(sender["name"], view) or plain(sender["organization"], view)
        message["From"] = Address(display_name=sender_name, addr_spec=spec.brief.from_.email)
    recipients = [contact for contact in contacts if not contact.cc]
    copies = [contact for contact in contacts if contact.cc]
    if recipients:
        message["To"] = [Address(display_name=c.name, addr_spec=c.email) for c in recipients]
    if copies:
        message["Cc"] = [Address(display_name=c.name, addr_spec=c.email) for c in copies]


def _attach(message: EmailMessage, attachments: list[OutputFile], body: str) -> None:
    for file in attachments:
        maintype, subtype = (("application", "pdf") if file.path.suffix == ".pdf"
                             else DOCX_TYPE.split("/"))
        message.add_attachment(file.data, maintype=maintype, subtype=subtype,
                               filename=file.path.name)
    # A boundary from the content, not from chance: equal input gives an identical file.
    digest = hashlib.sha256(b"".join(file.data for file in attachments) + body.encode())
    message.set_boundary(f"briefgen-{digest.hexdigest()[:24]}")
