"""Email drafts (`briefgen email`): addressed, attached, safe, and parseable by mail tools."""

from __future__ import annotations

import email
import email.header
import itertools
import re
import zipfile
from email import policy
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.write import attachments, drafts
from briefgen.write.cover_note import render_cover_note
from tests.support import EXAMPLE_SPEC, MINIMAL_SPEC, ROOT, run_tool

RUNNER = CliRunner()


@pytest.fixture(scope="module")
def example_drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("drafts")
    result = RUNNER.invoke(app, ["email", "-q", "-o", str(out), str(EXAMPLE_SPEC)])
    assert result.exit_code == 0, result.output + result.stderr
    return out / "masg-2025"


def parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def example_audiences() -> list[dict[str, object]]:
    return yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))["audiences"]  # type: ignore[no-any-return]


def test_every_audience_gets_a_draft_addressed_to_its_contacts(example_drafts: Path) -> None:
    for audience in example_audiences():
        drafts_found = list((example_drafts / "email").glob(f"*_{audience['id']}_*.eml"))
        assert len(drafts_found) == 1, audience["id"]
        message = parse(drafts_found[0])
        contacts = audience["contacts"]
        assert isinstance(contacts, list)
        to = [c["email"] for c in contacts if not c.get("cc")]
        cc = [c["email"] for c in contacts if c.get("cc")]
        assert [a.addr_spec for a in message["To"].addresses] == to
        assert [a.addr_spec for a in message["Cc"].addresses] if cc else message["Cc"] is None
        assert message["X-Unsent"] == "1"
        body = message.get_body(("plain",)).get_content()
        assert body.startswith(str(audience["greeting"]))


def test_subject_names_the_meeting_and_the_ask(example_drafts: Path) -> None:
    message = parse(next((example_drafts / "email").glob("*_us_*.eml")))
    assert message["Subject"] == ("MASG meeting alongside NDM-UN28, April 9–11, 2025: "
                                  "Put Azerbaijan on the agenda")
    body = message.get_body(("plain",)).get_content()
    assert "[@" not in body  # figures are written out, not left as citations
    # "only [@foreign-share]": the sentence's own words, without the callout's "~".
    assert "only 5%" in body


def test_the_attached_pdf_is_the_one_in_out(example_drafts: Path) -> None:
    for draft in (example_drafts / "email").glob("*.eml"):
        message = parse(draft)
        attachments = {part.get_filename(): part.get_content()
                       for part in message.iter_attachments()}
        pdf_name = draft.stem + ".pdf"
        assert attachments[pdf_name] == (example_drafts / pdf_name).read_bytes()
        assert all(name.isascii() for name in attachments)


def test_docx_is_attached_only_when_the_audience_asks_for_it(example_drafts: Path) -> None:
    for audience in example_audiences():
        draft = next((example_drafts / "email").glob(f"*_{audience['id']}_*.eml"))
        names = [part.get_filename() for part in parse(draft).iter_attachments()]
        wants_docx = bool(audience.get("attach_docx"))
        assert any(name.endswith(".docx") for name in names) == wants_docx, audience["id"]


@pytest.mark.tools
def test_munpack_unpacks_the_same_pdf(example_drafts: Path, tmp_path: Path) -> None:
    draft = next((example_drafts / "email").glob("*_be_*.eml"))
    result = run_tool("munpack", "-q", "-C", tmp_path, draft)
    assert result.returncode == 0, result.stderr
    unpacked = tmp_path / (draft.stem + ".pdf")
    assert unpacked.read_bytes() == (example_drafts / unpacked.name).read_bytes()


def test_drafts_are_byte_identical_between_builds(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = RUNNER.invoke(app, ["email", "-q", "-a", "be", "-o", str(out), str(EXAMPLE_SPEC)])
        assert result.exit_code == 0, result.output + result.stderr
    name = next((first / "masg-2025" / "email").glob("*.eml")).name
    assert ((first / "masg-2025" / "email" / name).read_bytes()
            == (second / "masg-2025" / "email" / name).read_bytes())


HOSTILE_CONTACTS = [
    ('"Eve\\nBcc: victim@evil.example"', "eve@x.example",
     "name: must be on one line (it goes into an email header)"),
    ('"Eve\\r\\nX-Evil: 1"', "eve@x.example",
     "name: must be on one line (it goes into an email header)"),
    ('"=?utf-8?b?RXZl?="', "eve@x.example",
     "name: must not contain '=?' (it could smuggle an encoded email header)"),
    ("Two", '"a@x.example, b@y.example"', "email: has the wrong form"),
    ("Angle", '"Eve <eve@x.example>"', "email: has the wrong form"),
    ("Newline", '"eve@x.example\\nBcc: v@evil.example"', "email: has the wrong form"),
]


@pytest.mark.parametrize(("name", "address", "expected"), HOSTILE_CONTACTS)
def test_hostile_names_and_addresses_are_located_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, address: str,
        expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    spec = MINIMAL_SPEC.read_text(encoding="utf-8") + (
        "audiences:\n"
        "  - id: x\n"
        "    name: X delegation\n"
        "    contacts:\n"
        f"      - name: {name}\n"
        f"        email: {address}\n")
    Path("spec.yaml").write_text(spec, encoding="utf-8")
    line = spec.count("\n") - (1 if "name: must" in expected else 0)
    result = RUNNER.invoke(app, ["email", "spec.yaml"])
    assert result.exit_code == 1
    field = "name" if expected.startswith("name") else "email"
    column = 15 if field == "name" else 16
    assert f"spec.yaml:{line}:{column}: audiences[0].contacts[0].{expected}" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not list(Path("out").rglob("*.eml")) if Path("out").exists() else True


def test_an_audience_without_contacts_gets_an_empty_to_and_a_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(MINIMAL_SPEC.read_text(encoding="utf-8") + (
        "audiences:\n  - id: x\n    name: X delegation\n"), encoding="utf-8")
    result = RUNNER.invoke(app, ["email", "spec.yaml"])
    assert result.exit_code == 0, result.stderr
    assert "no contacts: the draft's To line is empty" in result.stderr
    message = parse(next(Path("out").rglob("*.eml")))
    assert message["To"] is None
    assert message["X-Unsent"] == "1"


DRAFT_SPEC = MINIMAL_SPEC.read_text(encoding="utf-8") + (
    "quotes:\n  - text: We want to go home.\n    speaker: A resident\n"
    "audiences:\n  - id: x\n    name: X delegation\n"
    "  - id: y\n    name: Y delegation\n    quotes: []\n")


def test_a_version_marked_as_a_draft_gets_no_email_and_the_message_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The quote has no recorded consent: the version printing it is a draft. The one
    without the quote is not, and gets its email."""
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(DRAFT_SPEC, encoding="utf-8")
    result = RUNNER.invoke(app, ["email", "spec.yaml"])
    assert result.exit_code == 1
    assert ("spec.yaml:19:5: quotes[0]: the version for x is a draft, so no email is written "
            "for it: no consent recorded for the quote by A resident") in result.stderr
    assert "or run briefgen email --allow-draft to attach it" in result.stderr
    assert [path.name for path in Path("out").rglob("*.eml")] == [
        "2025-03-24_minimal-brief_y_en.eml"]
    assert "Traceback" not in result.output + result.stderr


def test_allow_draft_attaches_a_draft_which_says_so_on_its_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(DRAFT_SPEC, encoding="utf-8")
    result = RUNNER.invoke(app, ["email", "-a", "x", "--allow-draft", "spec.yaml"])
    assert result.exit_code == 0, result.stderr
    message = parse(next(Path("out").rglob("*_x_en.eml")))
    (attachment,) = message.iter_attachments()
    pdf = attachment.get_content()
    assert pdf == next(Path("out").rglob("*_x_en.pdf")).read_bytes()
    from pypdf import PdfReader

    title = PdfReader(BytesIO(pdf)).metadata.title  # what a viewer's title bar shows
    assert title == "Draft – not for circulation: Clearance lets families go home"


def minimal_pdf(extra: bytes) -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog " + extra + b" >>\nendobj\n%%EOF\n"


@pytest.mark.parametrize(("extra", "what"), [
    (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "JavaScript"),
    (b"/Names << /EmbeddedFiles << >> >> /EmbeddedFile 1", "an embedded file"),
    (b"/Encrypt 5 0 R", "encryption"),
    (b"/AA << /O << /S /Launch /F (calc.exe) >> >>", "a launch action"),
])
def test_pdf_with_active_content_is_refused(extra: bytes, what: str) -> None:
    problems = attachments.check_pdf(minimal_pdf(extra), Path("brief.pdf"))
    assert any(f"the PDF contains {what}" in problem.message for problem in problems)


def test_pdf_links_other_than_https_and_mailto_are_refused() -> None:
    bad = minimal_pdf(b"/A << /S /URI /URI (file:///etc/passwd) >>")
    good = minimal_pdf(b"/A << /S /URI /URI (https://example.org) >> "
                       b"/B << /S /URI /URI (mailto:a@example.org) >>")
    assert attachments.check_pdf(bad, Path("brief.pdf"))
    assert attachments.check_pdf(good, Path("brief.pdf")) == []


def test_stream_bytes_never_trigger_a_false_alarm() -> None:
    data = minimal_pdf(b"") + b"4 0 obj\n<< /Length 9 >>\nstream\n/JS (x) \nendstream\nendobj\n"
    assert attachments.check_pdf(data, Path("brief.pdf")) == []


def docx_with(name: str, data: bytes) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Default Extension="xml" '
                         'ContentType="application/xml"/></Types>')
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.'
                         'openxmlformats.org/wordprocessingml/2006/main"/>')
        archive.writestr(name, data)
    return buffer.getvalue()


def link_to(target: str) -> bytes:
    return (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/hyperlink" Target="' + target.encode() + b'" TargetMode="External"/>'
            b"</Relationships>")


def test_docx_with_macros_or_outside_references_is_refused() -> None:
    """briefgen's own DOCX never carries these (its base document is checked when loaded), so
    one found is a bug; an http: link from the spec is the user's to change."""
    from briefgen.errors import BriefgenBug

    with pytest.raises(BriefgenBug, match="contains macros"):
        attachments.check_docx(docx_with("word/vbaProject.bin", b"x"), Path("b.docx"))
    with pytest.raises(BriefgenBug, match=r"secret\.docx"):
        attachments.check_docx(docx_with("word/_rels/document.xml.rels",
                                    link_to("file:///c:/secret.docx")), Path("b.docx"))
    plain = attachments.check_docx(docx_with("word/_rels/document.xml.rels",
                                        link_to("http://example.org")), Path("b.docx"))
    assert [problem.message for problem in plain] == [
        "the DOCX links to 'http://example.org'; only https: and mailto: links are allowed in mail"]
    safe = docx_with("word/_rels/document.xml.rels", link_to("https://example.org"))
    assert attachments.check_docx(safe, Path("b.docx")) == []


def test_attachments_over_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(attachments, "LIMIT_BYTES", 10_000)
    Path("spec.yaml").write_text(MINIMAL_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    result = RUNNER.invoke(app, ["email", "spec.yaml"])
    assert result.exit_code == 1
    assert "many ministry gateways refuse mail above 10 MB" in result.stderr
    assert not Path("out").exists()


# ---------------------------------------------------------------------------------------------
# Cover notes read as a native speaker would write them, whatever form the names take


EVENT_NAMES = ["MASG meeting alongside NDM-UN28", "Réunion du GSAM en marge de NDM-UN28",
               "Заседание MASG в рамках NDM-UN28", "NDM-UN28"]
AUDIENCE_NAMES = ["European Union delegation", "délégation de la Suisse",
                  "делегации стран Кавказа и Центральной Азии"]


def cover_note(language: str, event_name: str, audience_name: str, *, docx: bool) -> str:
    from briefgen.template import load_template

    template = load_template("one-pager", EXAMPLE_SPEC)
    context = {
        "greeting": None,
        "brief": {"title": "Title", "date": "24 March 2025"},
        "event": {"name": event_name, "place": "Genève", "dates": "9–11 avril 2025"},
        "sender": {"organization": "Clear Ground Coalition", "name": "Mira Haddad",
                   "role": "Policy Lead", "email": "policy@clearground.example",
                   "phone": "+41 22 000 00 00", "website": "clearground.example"},
        "audience": {"name": audience_name, "intro": ""},
        "summary": "SUMMARY",
        "summary_ask": "",
        "asks": [{"headline": "HEADLINE", "detail": "DETAIL"}],
        "attachments": ["brief.pdf", "brief.docx"] if docx else ["brief.pdf"],
    }
    subject, body = render_cover_note(template, language, context)
    return f"Subject: {subject}\n{body}"


@pytest.mark.parametrize("language", ["en", "fr", "ru", "az"])
@pytest.mark.parametrize("event_name", EVENT_NAMES)
@pytest.mark.parametrize("audience_name", AUDIENCE_NAMES)
def test_names_never_have_to_fit_a_sentence(language: str, event_name: str,
                                            audience_name: str) -> None:
    """The event name stands on a line of its own and no word is said twice in a row (not
    "la réunion « Réunion du GSAM … »"); the delegation is not named in a sentence ("à
    l’attention de : délégation de …"), since its name comes in any grammatical form."""
    note = cover_note(language, event_name, audience_name, docx=False)
    lines = note.splitlines()
    assert event_name in lines[2:], note
    assert audience_name not in note
    words = re.findall(r"[^\W\d_]+", note.lower())
    doubled = [word for word, following in itertools.pairwise(words)
               if word == following]
    assert not doubled, note


@pytest.mark.parametrize("language", ["en", "fr", "ru", "az"])
def test_a_word_version_is_mentioned_only_when_attached(language: str) -> None:
    with_docx = cover_note(language, EVENT_NAMES[0], AUDIENCE_NAMES[0], docx=True)
    without = cover_note(language, EVENT_NAMES[0], AUDIENCE_NAMES[0], docx=False)
    assert "Word" in with_docx and "Word" not in without
    assert "brief.pdf" not in without  # the mail program lists attachments itself


def test_the_french_cover_note_of_the_example(example_drafts: Path) -> None:
    message = parse(next((example_drafts / "email").glob("*_ch_*.eml")))
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Monsieur,\n\nVeuillez trouver ci-joint une note d’information d’une "
                           "page en vue de la réunion suivante\u00a0:\n\n"
                           "Réunion du GSAM en marge de NDM-UN28\nGenève, 9–11 avril 2025\n")
    assert "« Réunion" not in body and "délégation de la Suisse" not in body


def test_the_cover_note_points_to_no_chart(example_drafts: Path) -> None:
    """The summary cites the chart, which the page points to ("(see chart)"); the email has
    no chart, so its sentence ends where the pointer stood."""
    labels = yaml.safe_load((ROOT / "templates" / "one-pager" / "template.yaml").read_text(
        encoding="utf-8"))["labels"]
    pointers = [catalogue["see_chart"] for catalogue in labels.values()]
    endings = {"eu": "only 5% of its mine action agency’s budget.\r\n",
               "ch": "du budget de son agence nationale.\r\n",
               "region": "лишь 5 % бюджета ANAMA.\r\n"}
    for audience, ending in endings.items():
        message = parse(next((example_drafts / "email").glob(f"*_{audience}_*.eml")))
        body = message.get_body(("plain",)).get_content().replace("\u00a0", " ")
        assert not [pointer for pointer in pointers if pointer in body]
        assert ending in body


def test_the_cover_note_s_main_request_is_the_ask_that_opens_the_bottom_line(
        example_drafts: Path) -> None:
    """The page opens its bottom line with the ask in one sentence (`summary_ask`); the
    email's main request is that same sentence, not the first numbered ask."""
    spec = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    for audience in spec["audiences"]:
        sentence = audience.get("summary_ask") or spec["summary_ask"]
        language = audience.get("language", "en")
        sentence = (sentence if isinstance(sentence, str) else
                    sentence.get(language, sentence.get(language.split("-")[0])))
        message = parse(next((example_drafts / "email").glob(f"*_{audience['id']}_*.eml")))
        body = " ".join(message.get_body(("plain",)).get_content().replace("\u00a0", " ")
                        .split())
        assert " ".join(sentence.split()) in body, audience["id"]


# Subjects long enough to be folded, with letters that need encoding on both sides of the
# fold points: the words of each language's subject shift by one character per audience.
SUBJECT_EVENTS = {"en": "MASG meeting alongside NDM-UN28",
                  "fr": "Réunion du GSAM en marge de NDM-UN28",
                  "ru": "Заседание MASG в рамках NDM-UN28",
                  "az": "MASG iclası NDM-UN28 çərçivəsində"}
SUBJECT_ASKS = {
    "en": "Fund Azerbaijan’s clearance of Füzuli, Ağdam and Şuşa before families return",
    "fr": "Financer le déminage à Füzuli et à Ağdam avant le retour des familles déplacées",
    "ru": "Поддержать разминирование в Физули и Агдаме до возвращения семей домой",
    "az": "Azərbaycanı mina təmizlənməsi üzrə yüksək prioritetlər sırasına daxil edin",
}
SUBJECT_SHIFTS = range(0, 24, 2)


def subject_spec() -> str:
    """One audience per language and shift; each asks for its own (long) first ask."""
    event = "".join(f"\n      {language}: {name}" for language, name in SUBJECT_EVENTS.items())
    text = MINIMAL_SPEC.read_text(encoding="utf-8").replace(
        "    name: MASG meeting\n", f"    name:{event}\n")
    text += "audiences:\n"
    for language, ask in SUBJECT_ASKS.items():
        for shift in SUBJECT_SHIFTS:
            headline = "N" * shift + " " + ask if shift else ask
            text += (f"  - id: {language}-{shift}\n    name: Delegation\n"
                     f"    language: {language}\n"
                     "    contacts: [{name: A. Delegate, email: a@delegation.example}]\n"
                     f"    asks:\n      - headline: {headline}\n"
                     "        detail: Support survey and clearance teams.\n")
    return text


def intended_subject(language: str, message: EmailMessage, headline: str) -> str:
    """The template's subject line with the values filled in; the dates as the body has them
    (under the event's name), so the expectation does not come from the code under test."""
    template = (ROOT / "templates" / "one-pager" / "email" / f"{language}.txt.j2").read_text(
        encoding="utf-8")
    line = next(line for line in template.splitlines() if line.startswith("Subject: "))
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n").split("\n")
    event = SUBJECT_EVENTS[language]
    dates = body[body.index(event) + 1].partition(", ")[2]
    return (line.removeprefix("Subject: ").replace("{{ event.name }}", event)
            .replace("{{ event.dates }}", dates).replace("{{ asks[0].headline }}", headline))


def unfolded_subject(data: bytes) -> str:
    """The raw Subject field with its folds removed (RFC 5322, 2.2.3), still encoded."""
    header = data.split(b"\r\n\r\n", 1)[0].decode("ascii") + "\r\n"
    raw = re.search(r"^Subject: (.*?)\r\n(?![ \t])", header, re.MULTILINE | re.DOTALL)
    assert raw is not None, header
    return re.sub(r"\r\n(?=[ \t])", "", raw.group(1))


@pytest.fixture(scope="module")
def subject_drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("subjects")
    (folder / "spec.yaml").write_text(subject_spec(), encoding="utf-8")
    result = RUNNER.invoke(app, ["email", "-q", "-o", str(folder / "out"),
                                 str(folder / "spec.yaml")])
    assert result.exit_code == 0, result.output + result.stderr
    return folder / "out" / "minimal-brief"


def test_every_subject_decodes_to_exactly_its_words(subject_drafts: Path) -> None:
    """No two words fused ("üzrəyüksək"), no space added or doubled and no encoded word left
    undecoded at a fold, in any language: read by the email package and, independently, by
    its older RFC 2047 decoder."""
    drafts_found = sorted((subject_drafts / "email").glob("*.eml"))
    assert len(drafts_found) == len(SUBJECT_ASKS) * len(SUBJECT_SHIFTS)
    wrong = []
    for draft in drafts_found:
        data = draft.read_bytes()
        message = parse(draft)
        found = re.search(r"_([a-z]+)-(\d+)_", draft.name)
        assert found is not None
        language, shift = found.group(1), int(found.group(2))
        ask = SUBJECT_ASKS[language]
        intended = intended_subject(language, message, f"{'N' * shift} {ask}" if shift else ask)
        legacy = email.header.make_header(email.header.decode_header(unfolded_subject(data)))
        if message["Subject"] != intended or str(legacy) != intended:
            wrong.append((draft.name, message["Subject"]))
        header = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
        assert max(len(line) for line in header.split("\r\n")) <= 78, header
        encoded_words = re.findall(r"=\?[^?]+\?[bq]\?[^?]*\?=", header, re.IGNORECASE)
        assert all(len(word) <= 75 for word in encoded_words), header  # RFC 2047, 2
    assert wrong == []


@pytest.mark.tools
def test_munpack_unpacks_drafts_with_long_encoded_subjects(subject_drafts: Path,
                                                            tmp_path: Path) -> None:
    for draft in sorted((subject_drafts / "email").glob("*_az-*.eml")):
        target = tmp_path / draft.stem
        target.mkdir()
        result = run_tool("munpack", "-q", "-C", target, draft)
        assert result.returncode == 0, result.stderr
        pdf = draft.stem + ".pdf"  # the attachment comes out whole after the long subject
        assert (target / pdf).read_bytes() == (subject_drafts / pdf).read_bytes()


SUBJECT_WORDS = [*SUBJECT_EVENTS.values(), *SUBJECT_ASKS.values(),
                 "averyveryveryveryveryverylongwordthatnomailprogramcouldfoldatanyspace, fine"]


@pytest.mark.parametrize("words", SUBJECT_WORDS)
def test_a_subject_survives_every_fold_point(words: str) -> None:
    """The draft's policy, with the words moved through every position of a folded line."""
    for shift in range(80):
        subject = f"{'x' * shift} {words} {words}".strip()
        message = EmailMessage(policy=drafts.MAIL_POLICY)
        message["Subject"] = subject
        data = bytes(message)
        assert email.message_from_bytes(data, policy=policy.default)["Subject"] == subject
        legacy = email.header.make_header(email.header.decode_header(unfolded_subject(data)))
        assert str(legacy) == subject
        assert max(len(line) for line in data.decode("ascii").split("\r\n")) <= 78
