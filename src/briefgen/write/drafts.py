"""Email drafts: one `.eml` per audience, ready to review and send from a mail program.

The cover note is a plain-text Jinja file in the template (`email/<language>.txt.j2`, first
line `Subject: ...`), run in the sandbox. Nothing is sent and no network is used: the draft
carries `X-Unsent: 1`, which makes Outlook and Thunderbird open it as an unsent message.

Headers are built only from values checked here (one line, no encoded words, one address per
field), because Python's email package does not reliably refuse header injection itself.
The subject is encoded by the standard library's `email.header.Header` (see `SubjectHeader`).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from email.header import Header
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UniqueUnstructuredHeader
from email.message import EmailMessage
from email.policy import SMTP, Policy
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2

from briefgen.engine.build import draft_path
from briefgen.errors import Problem, TemplateError, UserError
from briefgen.resolve.view import BriefView, UserText, pick_language
from briefgen.spec.inline import Cite, Emphasis, Inline, Link, Strong, Text
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path
from briefgen.spec.models import BriefSpec
from briefgen.template import Template
from briefgen.template.sandbox import BoundedSandbox, TemplateBudgetExceeded
from briefgen.write import OutputFile

EMAIL_FOLDER = "email"
COVER_NOTE_SECONDS = 2.0
COVER_NOTE_CHARACTERS = 100_000  # a cover note is a few hundred words
WARN_BYTES = 1_000_000
LIMIT_BYTES = 10_000_000
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


class DraftRefused(UserError):
    """A version marked as a draft was to be attached to an email."""


@dataclass(frozen=True)
class Draft:
    file: OutputFile
    warnings: list[Problem]


def compose_draft(spec: BriefSpec, document: YamlDocument, template: Template,
                  audience_index: int | None, view: BriefView, pdf: OutputFile,
                  docx: OutputFile, *, allow_draft: bool = False) -> Draft:
    """The draft for one audience; attachments are checked before anything is written.

    A version that is itself a draft (`view.draft`: a quote without consent, an unsourced
    amount) is not attached unless `allow_draft`: `DraftRefused` names each reason where
    it was written."""
    audience = spec.audiences[audience_index] if audience_index is not None else None
    where: FieldPath = ("audiences", audience_index) if audience_index is not None else ()
    if view.draft and not allow_draft:
        version = f"the version for {audience.id}" if audience else "this brief"
        raise DraftRefused([
            Problem(document.locate(reason.origin), document.describe(reason.origin),
                    f"{version} is a draft, so no email is written for it: {reason.message}",
                    f"{reason.hint}; or run briefgen email --allow-draft to attach it as it "
                    "is, marked as a draft", rule="draft")
            for reason in view.draft])
    warnings: list[Problem] = []
    attach_docx = audience.attach_docx if audience else False
    attachments = [pdf] + ([docx] if attach_docx else [])
    problems = check_pdf(pdf.data, pdf.path) + (check_docx(docx.data, docx.path)
                                                 if attach_docx else [])
    total = sum(len(file.data) for file in attachments)
    if total > LIMIT_BYTES:
        problems.append(Problem(pdf.path, "", f"attachments total {total / 1e6:.1f} MB; many "
                                "ministry gateways refuse mail above 10 MB", rule="attachments"))
    elif total > WARN_BYTES:
        warnings.append(Problem(pdf.path, "", f"attachments total {total / 1e6:.1f} MB; keep "
                                "mail to diplomats under 1 MB where you can", rule="attachments",
                                severity="warning"))
    if problems:
        raise TemplateError(problems)
    contacts = audience.contacts if audience else []
    if not contacts:
        hint = ("add contacts: with name and email to this audience" if audience else
                "add audiences: with contacts to address a draft to each delegation")
        warnings.append(Problem(document.locate(where), format_field_path(where) or "audiences",
                                "no contacts: the draft's To line is empty", hint,
                                rule="contacts", severity="warning"))
    context = _context(spec, view, audience, [file.path.name for file in attachments])
    subject, body = _render(template, view.language, context)
    _check_header(subject, document, where, "the subject")
    message = EmailMessage(policy=MAIL_POLICY)
    sender = view.context["sender"]
    if spec.brief.from_.email:
        sender_name = plain(sender["name"], view) or plain(sender["organization"], view)
        message["From"] = Address(display_name=sender_name, addr_spec=spec.brief.from_.email)
    recipients = [contact for contact in contacts if not contact.cc]
    copies = [contact for contact in contacts if contact.cc]
    if recipients:
        message["To"] = [Address(display_name=c.name, addr_spec=c.email) for c in recipients]
    if copies:
        message["Cc"] = [Address(display_name=c.name, addr_spec=c.email) for c in copies]
    message["Subject"] = subject
    message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8")
    for file in attachments:
        maintype, subtype = ("application", "pdf") if file.path.suffix == ".pdf" else \
            tuple(DOCX_TYPE.split("/"))
        message.add_attachment(file.data, maintype=maintype, subtype=subtype,
                               filename=file.path.name)
    # A boundary from the content, not from chance: equal input gives an identical file.
    digest = hashlib.sha256(b"".join(file.data for file in attachments) + body.encode())
    message.set_boundary(f"briefgen-{digest.hexdigest()[:24]}")
    data = message.as_bytes()
    return Draft(OutputFile(draft_path(pdf.path), data), warnings)


def _context(spec: BriefSpec, view: BriefView, audience: Any, attachments: list[str]
             ) -> dict[str, Any]:
    context = view.context

    def text(value: Any) -> str:
        return plain(value, view)

    greeting = None
    if audience and audience.greeting:
        greeting = audience.greeting
        if isinstance(greeting, dict):
            chosen = pick_language(greeting, view.language)
            greeting = greeting[chosen] if chosen else None
    return {
        "greeting": greeting,
        "brief": {"title": text(context["brief"]["title"]), "date": context["brief"]["date"]},
        "event": {"name": text(context["event"]["name"]), "place": text(context["event"]["place"]),
                  "dates": context["event"]["dates"]},
        "sender": {key: text(value) for key, value in context["sender"].items()
                   if not key.endswith("_href")},
        "audience": None if context["audience"] is None else {
            "name": text(context["audience"]["name"]),
            "intro": text(context["audience"]["intro"])},
        "summary": text(context["summary"]),
        "summary_ask": text(context["summary_ask"]),  # the ask in one sentence, if written
        "asks": [{"headline": text(ask["headline"]), "detail": text(ask["detail"])}
                 for ask in context["asks"]],
        "attachments": attachments,
    }


def plain(value: Any, view: BriefView) -> str:
    """User text as plain words, figures written out: no markup, no source markers, and no
    pointer to a chart ("(see chart)"), which the email does not carry."""
    if value is None:
        return ""
    if isinstance(value, UserText):
        return _without_pointers(_plain_nodes(value.nodes, view).replace("\u00a0", " "))
    return str(value)


# Where a chart's pointer stood, until the spaces around it are settled.
_POINTER = "\x00"
_SPACE = "[ \u202f]*"


def _plain_nodes(nodes: tuple[Inline, ...], view: BriefView) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.text.replace(_POINTER, ""))
        elif isinstance(node, Cite):
            parts.append(_POINTER if node.stat_id in view.charts else view.cited_value(node))
        elif isinstance(node, Strong | Emphasis | Link):
            parts.append(_plain_nodes(node.children, view))
    return "".join(parts)


def _without_pointers(text: str) -> str:
    """The text with each chart pointer taken out, and the space before it too where
    punctuation or the end follows: "below their 2021 level (see chart)." reads "below their
    2021 level."."""
    text = re.sub(f"^{_SPACE}{_POINTER}{_SPACE}", "", text)
    text = re.sub(f"{_SPACE}{_POINTER}(?=[.,;:!?…)\\]»”’\"]|$)", "", text)
    return re.sub(f"{_SPACE}{_POINTER}{_SPACE}", " ", text)


def _render(template: Template, language: str, context: dict[str, Any]) -> tuple[str, str]:
    folder = template.folder / EMAIL_FOLDER
    available = {path.name.split(".")[0]: path for path in folder.glob("*.txt.j2")}
    chosen = pick_language(available, language) or "en"
    if chosen not in available:
        raise TemplateError(Problem(folder, "", "the template has no email cover note",
                                    "add email/en.txt.j2 to the template folder"))
    path = available[chosen]
    if not path.resolve().is_relative_to(template.folder.resolve()):
        raise TemplateError(Problem(path, "", "is a link to a file outside the template's "
                                    "folder", "copy the file into the folder"))
    # The same limits as the layout's: cover notes may come from other people too.
    environment = BoundedSandbox(
        max_characters=COVER_NOTE_CHARACTERS, autoescape=False,
        undefined=jinja2.StrictUndefined, trim_blocks=True, keep_trailing_newline=True)
    try:
        text = environment.render_bounded(
            environment.from_string(path.read_text(encoding="utf-8")), context,
            COVER_NOTE_SECONDS)
    except TemplateBudgetExceeded as error:
        raise TemplateError(Problem(path, "", f"the cover note {error}",
                                    "look for a loop that never ends or a value that grows "
                                    "without limit")) from None
    except jinja2.TemplateError as error:
        raise TemplateError(Problem(path, "", f"cover note template error: {error}")) from None
    first, _, rest = text.lstrip("\n").partition("\n")
    if not first.startswith("Subject:"):
        raise TemplateError(Problem(path, "", "the cover note's first line must be "
                                    "'Subject: ...'"))
    body = re.sub(r"\n{3,}", "\n\n", rest.strip("\n")) + "\n"
    return first.removeprefix("Subject:").strip(), body


def _check_header(value: str, document: YamlDocument, where: FieldPath, what: str) -> None:
    if re.search(r"[\r\n\x00-\x1f\x7f]", value) or "=?" in value:
        raise TemplateError(Problem(document.locate(where), format_field_path(where),
                                    f"{what} would contain a line break or an encoded word",
                                    "remove line breaks and '=?' from the texts it is made of",
                                    rule="header"))


_PDF_RISKS = {b"/JavaScript": "JavaScript", b"/JS": "JavaScript", b"/Launch": "a launch action",
              b"/EmbeddedFile": "an embedded file", b"/Encrypt": "encryption",
              b"/SubmitForm": "a form action", b"/ImportData": "a data import"}
_SAFE_LINK = re.compile(rb"^(https://|mailto:)")


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
    from briefgen.render.docx_safety import parse_xml, refuse_unsafe_docx

    refuse_unsafe_docx(data, path)
    problems = []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith(".rels"):
                continue
            for relationship in parse_xml(archive.read(name)).iter("{*}Relationship"):
                target = str(relationship.get("Target", ""))
                if relationship.get("TargetMode", "Internal") != "Internal" and not \
                        _SAFE_LINK.match(target.encode()):
                    problems.append(Problem(path, "", f"the DOCX links to {target!r}; only "
                                            "https: and mailto: links are allowed in mail",
                                            "write the link in the spec with https://",
                                            rule="attachments"))
    return problems
