"""Document metadata (PDF Info and XMP, DOCX core properties): what the spec allows, the files
carry, whatever its length or language."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.errors import UserError
from tests.support import (
    MINIMAL_SPEC,
    BuiltBriefs,
    build_brief,
    expected_versions,
    localized,
    spec_data,
)

RUNNER = CliRunner()
# Words of each language, repeated to the length a field allows (the schema's 300 characters
# for a title or a name); Cyrillic and Azerbaijani letters take two bytes in UTF-8.
WORDS = {"en": "Clearance lets families go home before the planting season",
         "ru": "Разминирование позволит семьям вернуться домой до посевной",
         "az": "Minatəmizləmə ailələrin əkin mövsümündən əvvəl evə qayıtmasına imkan verir",
         "fr": "Le déminage permet aux familles de rentrer avant les semailles"}


def file_keywords(pdf: Path, word: Path) -> tuple[str, str, str]:
    """Keywords as the PDF's Info dictionary, its XMP packet and the DOCX's properties say;
    the XMP also lists them one by one (dc:subject)."""
    reader = pypdf.PdfReader(pdf)
    xmp = reader.xmp_metadata
    assert xmp is not None
    keywords = str(xmp.pdf_keywords)
    assert xmp.dc_subject == [part.strip() for part in keywords.split(";")], xmp.dc_subject
    return (str(reader.metadata.get("/Keywords")), keywords,
            docx.Document(str(word)).core_properties.keywords)


@pytest.mark.parametrize("name", ["example", "full"])
def test_keywords_come_from_the_spec_in_each_version_language(built_briefs: BuiltBriefs,
                                                              name: str) -> None:
    keywords = spec_data(name)["brief"]["keywords"]
    for audience_id, language, _ in expected_versions(name):
        built = built_briefs.versions[(name, audience_id)]
        expected = localized(keywords, language)
        assert file_keywords(built.pdf, built.docx) == (expected,) * 3, audience_id


def test_keywords_default_to_the_headline_and_the_event(tmp_path: Path) -> None:
    """Without `keywords`, the headline (the title before its semicolon), the event's name and
    its place, in each version's language; nothing about mine action in a brief on schools."""
    data: dict[str, Any] = yaml.safe_load(MINIMAL_SPEC.read_text(encoding="utf-8"))
    brief = data["brief"]
    brief["date"] = brief["date"].isoformat()
    brief["event"]["start"] = brief["event"]["start"].isoformat()
    brief["title"] = {"en": "Schools reopen; teachers need pay",
                      "fr": "Les écoles rouvrent ; les enseignants attendent leur salaire"}
    brief["event"]["name"] = {"en": "Education donors’ round table",
                              "fr": "Table ronde des bailleurs de l’éducation"}
    brief["event"]["place"] = {"en": "Geneva", "fr": "Genève"}
    data["audiences"] = [{"id": "uk", "name": "UK delegation"},
                         {"id": "ch", "name": "délégation suisse", "language": "fr-CH"}]
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    built = {result.audience_id: result for result in build_brief(spec, tmp_path / "out")}
    expected = {"uk": "Schools reopen; Education donors’ round table; Geneva",
                "ch": "Les écoles rouvrent; Table ronde des bailleurs de l’éducation; Genève"}
    for audience_id, keywords in expected.items():
        result = built[audience_id]
        assert result.pdf is not None and result.docx is not None
        assert file_keywords(result.pdf, result.docx) == (keywords,) * 3


def test_keywords_in_other_languages_need_the_version_language(tmp_path: Path) -> None:
    text = MINIMAL_SPEC.read_text(encoding="utf-8").replace(
        "  date: 2025-03-24\n",
        "  keywords: {fr: mines terrestres}\n  date: 2025-03-24\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build_brief(spec, tmp_path / "out")
    line = text.splitlines().index("  keywords: {fr: mines terrestres}") + 1
    assert f"spec.yaml:{line}:13: brief.keywords: no text in 'en' for this version" in str(
        caught.value)


def words_of_length(language: str, length: int) -> str:
    text = ""
    while len(text) < length:
        text += WORDS[language] + " "
    return text[:length].rstrip() + "x" * (length - len(text[:length].rstrip()))


def long_spec(language: str, title: int, event: int, audience: int) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINIMAL_SPEC.read_text(encoding="utf-8"))
    brief = data["brief"]
    brief["date"] = brief["date"].isoformat()
    brief["event"]["start"] = brief["event"]["start"].isoformat()
    brief["language"] = language
    brief["title"] = words_of_length(language, title)
    brief["event"]["name"] = words_of_length(language, event)
    data["audiences"] = [{"id": "long", "name": words_of_length(language, audience),
                          "contacts": [{"name": "A. Delegate", "email": "a@delegation.example"}]}]
    return data


def assert_cut_at_a_word(short: str, full: str) -> None:
    """Within python-docx's 255 characters, whole words of `full`, then "…"."""
    assert len(short) <= 255
    assert short.endswith("…"), short
    kept = short.removesuffix("…")
    assert full.startswith(kept)
    assert full[len(kept)].isspace() or not full[len(kept) - 1].isalpha(), short[-30:]


@pytest.mark.parametrize("language", ["en", "ru", "az", "fr"])
def test_long_titles_and_names_build_and_mail(tmp_path: Path, language: str) -> None:
    """A 259-character title, a 299-character event name and a 300-character audience name,
    each within the schema: `check`, `build` and `email` succeed; the DOCX's core properties
    are cut at a word within 255 characters; the PDF keeps them whole."""
    data = long_spec(language, title=259, event=299, audience=300)
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for command in ("check", "build", "email"):
        arguments = [command, str(spec)] + ([] if command == "check" else
                                            ["-q", "-o", str(tmp_path / "out")])
        result = RUNNER.invoke(app, arguments)
        assert result.exit_code == 0, (command, result.output, result.stderr)
    folder = tmp_path / "out" / "minimal-brief"
    [docx_path] = folder.glob("*.docx")
    [pdf_path] = folder.glob("*.pdf")
    properties = docx.Document(str(docx_path)).core_properties
    title = data["brief"]["title"]
    assert_cut_at_a_word(properties.title, title)
    assert properties.subject.startswith(data["brief"]["event"]["name"][:200])
    assert_cut_at_a_word(properties.subject, pypdf.PdfReader(pdf_path).metadata.subject or "")
    info = pypdf.PdfReader(pdf_path).metadata
    assert info.title == title
    assert info.subject.endswith(data["audiences"][0]["name"])
    assert len(list((folder / "email").glob("*.eml"))) == 1


# Fields that end up in the files' metadata or the email's headers, with the schema's limits.
METADATA_FIELDS = {
    "brief.title": (lambda data, text: data["brief"].__setitem__("title", text), 300),
    "brief.subtitle": (lambda data, text: data["brief"].__setitem__("subtitle", text), 300),
    "brief.event.name": (lambda data, text: data["brief"]["event"].__setitem__("name", text),
                         300),
    "brief.event.place": (lambda data, text: data["brief"]["event"].__setitem__("place", text),
                          300),
    "brief.from.organization": (
        lambda data, text: data["brief"]["from"].__setitem__("organization", text), 120),
    "audiences[0].name": (lambda data, text: data["audiences"][0].__setitem__("name", text),
                          300),
    "asks[0].headline": (lambda data, text: data["asks"][0].__setitem__("headline", text), 300),
}
# Letters the font draws (Latin and its accents but the soft hyphen, which it lacks,
# Azerbaijani, Cyrillic), spaces and punctuation; now and then one of any character a person
# could paste (surrogates aside).
LETTERS = ("".join(map(chr, range(0x20, 0x7F)))
           + "".join(chr(code) for code in range(0xA0, 0x180) if code != 0xAD)  # no soft hyphen
           + "əƏ" + "".join(map(chr, range(0x400, 0x460))) + "  –—‘’“”…€\u00a0\u202f")
ANY_CHARACTER = st.characters(codec="utf-8", exclude_categories=("Cs",))


@st.composite
def field_and_text(draw: st.DrawFn) -> tuple[str, str]:
    field = draw(st.sampled_from(sorted(METADATA_FIELDS)))
    limit = METADATA_FIELDS[field][1]
    size = draw(st.one_of(st.integers(1, 40), st.integers(limit - 60, limit)))  # short, or long
    text = draw(st.text(st.sampled_from(LETTERS), min_size=size, max_size=size))
    if draw(st.booleans()):
        at = draw(st.integers(0, size - 1))
        text = text[:at] + draw(ANY_CHARACTER) + text[at + 1:]
    return field, text


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=field_and_text())
def test_metadata_fields_never_crash_a_build(tmp_path: Path, case: tuple[str, str]) -> None:
    """Whatever the spec accepts in a field that reaches the metadata or the email headers
    is built and mailed, or refused as a user error; never an internal error."""
    field, text = case
    folder = Path(tempfile.mkdtemp(dir=tmp_path, prefix="case-"))
    data = long_spec("en", title=40, event=40, audience=40)
    METADATA_FIELDS[field][0](data, text)
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        build_brief(spec, folder / "out")
    except UserError:
        return
    result = RUNNER.invoke(app, ["email", "-q", "-o", str(folder / "out"), str(spec)])
    assert result.exit_code in (0, 1), (result.output, result.stderr)


def test_the_limit_counts_characters_not_bytes() -> None:
    """255 Cyrillic letters (510 bytes in UTF-8) are a whole core property; one more is cut."""
    from briefgen.render.docx_package import core_property

    exact = words_of_length("ru", 255)
    assert core_property(exact) == exact
    docx.Document().core_properties.title = exact  # python-docx takes it as it is
    assert_cut_at_a_word(core_property(exact + "ы"), exact + "ы")
