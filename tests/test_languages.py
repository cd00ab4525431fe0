"""Briefs in the reader's language: labels, numbers and dates, per-language text, Azerbaijani
capitals, and quotes in another language than the page."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from lxml import etree
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.compose import iter_paragraphs
from briefgen.errors import UserError
from briefgen.resolve.locale_format import format_number
from tests.support import (
    MINIMAL_TEXT,
    ROOT,
    BuiltBriefs,
    Resolve,
    build_brief,
    collapse_space,
    pdf_text,
    replace_once,
)

TEMPLATE = ROOT / "templates" / "one-pager" / "template.yaml"
LABELS: dict[str, dict[str, str]] = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))["labels"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
runner = CliRunner()


# ---------------------------------------------------------------------------------------------
# Labels


def test_the_template_speaks_the_languages_the_readme_promises() -> None:
    assert {"en", "fr", "ru", "az"} <= set(LABELS)


# How each version names its delegation: the label and the name written as the README's
# "Languages" says (Russian in the genitive after "для", as the example names its audience).
AUDIENCE_LINES = [
    ("en", "European Union delegation", "Prepared for the European Union delegation"),
    ("fr", "délégation de la Suisse", "À l’attention de\u202f: délégation de la Suisse"),
    ("ru", "делегации стран Кавказа", "Подготовлено для делегации стран Кавказа"),
    ("az", "Azərbaycan Respublikasının nümayəndə heyəti",
     "Kimə: Azərbaycan Respublikasının nümayəndə heyəti"),
]


@pytest.mark.parametrize(("language", "name", "line"), AUDIENCE_LINES)
def test_the_audience_line_reads_right_with_the_name_written_as_the_readme_says(
        resolve: Resolve, language: str, name: str, line: str) -> None:
    text = MINIMAL_TEXT + (f"audiences:\n  - id: one\n    name: {name}\n"
                           f"    language: {language}\n")
    _, document = resolve(text, 0)
    printed = ["".join(span.text for span in paragraph.spans)
               for paragraph in iter_paragraphs(document.body)
               if paragraph.style == "audience"]
    assert printed == [line]


def test_the_readme_shows_what_each_language_prints_before_the_name() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for language, name, line in AUDIENCE_LINES:
        label = line[: -len(name)].rstrip().replace("\u202f", " ")
        assert f"| `{language}` | {label} |" in readme, (language, label)


@pytest.mark.parametrize("language", sorted(set(LABELS) - {"en"}))
def test_every_language_has_exactly_the_labels_of_english(language: str) -> None:
    missing = sorted(set(LABELS["en"]) - set(LABELS[language]))
    extra = sorted(set(LABELS[language]) - set(LABELS["en"]))
    assert not missing and not extra, (
        f"labels.{language} in {TEMPLATE.relative_to(ROOT)}: missing {missing}, not in English "
        f"{extra}")
    assert all(isinstance(text, str) and text for text in LABELS[language].values())


# ---------------------------------------------------------------------------------------------
# Numbers, formatted as the reader writes them


@pytest.mark.parametrize(("value", "style", "language", "expected"), [
    (1500000, "count", "fr", "1\u00a0500\u00a0000"),
    (13, "percent", "fr", "13\u00a0%"),
    (1500000, "compact", "fr", "1,5\u00a0million"),
    (1500000, "compact", "ru", "1,5\u00a0млн"),
    (1500000, "count", "ru", "1\u00a0500\u00a0000"),
    (1500000, "count", "az", "1.500.000"),
    (1500000, "count", "en", "1,500,000"),
    (13, "percent", "en", "13%"),
    (1500000, "compact", "en", "1.5 million".replace(" ", "\u00a0")),
], ids=lambda value: str(value))
def test_numbers_follow_the_language(value: float, style: str, language: str,
                                     expected: str) -> None:
    assert format_number(value, style, language) == expected


@pytest.mark.parametrize(("value", "style"), [(1500000, "count"), (13.4, "percent"),
                                              (1500000, "compact"), (3429, "count")])
def test_swiss_french_numbers_are_french_numbers(value: float, style: str) -> None:
    assert format_number(value, style, "fr-CH") == format_number(value, style, "fr")


def test_a_formatted_number_never_holds_a_breaking_space() -> None:
    for language in ("fr", "fr-CH", "ru", "az", "en"):
        for style in ("count", "percent", "compact"):
            text = format_number(1234567, style, language)
            assert " " not in text and "\u202f" not in text, (language, style, text)


# ---------------------------------------------------------------------------------------------
# The example in French and Russian


@pytest.fixture(scope="module")
def french_text(built_briefs: BuiltBriefs) -> str:
    return pdf_text(built_briefs.versions[("example", "ch")].pdf)


@pytest.fixture(scope="module")
def russian_text(built_briefs: BuiltBriefs) -> str:
    return pdf_text(built_briefs.versions[("example", "region")].pdf)


@pytest.mark.tools
def test_french_version_of_the_example(french_text: str) -> None:
    text = collapse_space(french_text)
    assert "avril 2025" in text  # the event, 9-11 April
    assert "24 mars 2025" in text  # the brief's date
    assert LABELS["fr"]["asks"].upper() == "NOS DEMANDES"  # headings are set in capitals
    assert "NOS DEMANDES" in text
    assert collapse_space(LABELS["fr"]["bottom_line"]) in text
    # The quote was spoken in English: the French comes first, the original under it.
    assert collapse_space(LABELS["fr"]["original"]) + " « I have never" in text
    assert "Our asks" not in text and "OUR ASKS" not in text


@pytest.mark.tools
def test_russian_version_of_the_example(russian_text: str) -> None:
    text = collapse_space(russian_text)
    assert "апреля 2025" in text
    assert "НАШИ ПРОСЬБЫ" in text
    assert LABELS["ru"]["asks"] == "Наши просьбы"
    assert collapse_space(LABELS["ru"]["bottom_line"]) in text
    assert collapse_space(LABELS["ru"]["original"]) + " «I have never" in text
    assert "1,5 млн" in text  # the compact figure: Russian short form with a decimal comma


def words_without_digits(text: str) -> list[str]:
    """Sorted words of extracted text, digits removed (source markers are superscript digits
    that one rendering glues to the word before and another does not); a word broken after a
    hyphen at a line end is joined up."""
    text = re.sub(r"-\n\s*", "-", text)
    return sorted(word for word in (re.sub(r"\d", "", token) for token in text.split()) if word)


@pytest.mark.tools
def test_french_pdf_and_docx_show_the_same_words(built_briefs: BuiltBriefs,
                                                 libreoffice_pdfs: dict[Path, Path],
                                                 french_text: str) -> None:
    docx = built_briefs.versions[("example", "ch")].docx
    pdf_words = words_without_digits(french_text)
    docx_words = words_without_digits(pdf_text(libreoffice_pdfs[docx]))
    assert len(pdf_words) > 100
    only_pdf = Counter(pdf_words) - Counter(docx_words)
    only_docx = Counter(docx_words) - Counter(pdf_words)
    assert not only_pdf and not only_docx, (
        f"only in the PDF: {sorted(only_pdf.elements())}\n"
        f"only in the DOCX: {sorted(only_docx.elements())}")


# ---------------------------------------------------------------------------------------------
# Text per language


def test_a_text_without_the_page_language_is_a_missing_translation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A French page whose summary is given only in English: line 14 `summary:`, its `en:`
    on line 15."""
    monkeypatch.chdir(tmp_path)
    summary = ("summary: Landmines still block the way home for many families. We ask donors to "
               "fund clearance.")
    text = replace_once(MINIMAL_TEXT, "  date: 2025-03-24\n", "  date: 2025-03-24\n  language: fr\n")
    text = replace_once(text, summary, summary.replace("summary: ", "summary:\n  en: "))
    Path("spec.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build_brief(Path("spec.yaml"), Path("out"))
    [problem] = caught.value.problems
    assert problem.rule == "missing-translation"
    assert str(problem).splitlines() == [
        "spec.yaml:15:3: summary: no text in 'fr' for this version (given: en)",
        "    hint: add  fr: ...  under summary"]
    assert not Path("out").exists()
    checked = runner.invoke(app, ["check", "spec.yaml"])
    assert checked.exit_code == 1
    assert checked.stdout.splitlines()[0] == (
        "spec.yaml:15:3: error: missing-translation: summary: no text in 'fr' for this version "
        "(given: en)")


def test_a_missing_translation_fails_only_the_version_in_that_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An English brief with a Russian audience; the ask's detail (line 17) is English only."""
    monkeypatch.chdir(tmp_path)
    text = replace_once(MINIMAL_TEXT, "    detail: Support", "    detail:\n      en: Support")
    text += ("audiences:\n  - id: uk\n    name: UK delegation\n"
             "  - id: region\n    name: Regional delegations\n    language: ru\n")
    Path("spec.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["build", "spec.yaml", "--out", "out", "--jobs", "1"])
    assert result.exit_code == 1
    assert "spec.yaml:18:7: asks[0].detail: no text in 'ru' for this version (given: en)" in (
        result.stderr.splitlines()), result.stderr
    assert sorted(path.name for path in Path("out", "minimal-brief").glob("[!.]*")) == [
        "2025-03-24_minimal-brief_uk_en.docx", "2025-03-24_minimal-brief_uk_en.pdf"]


def test_a_language_key_that_is_not_a_language_tag(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """summary: on line 13, `en:` on 14, `french:` on 15."""
    monkeypatch.chdir(tmp_path)
    summary = ("summary: Landmines still block the way home for many families. We ask donors to "
               "fund clearance.")
    text = replace_once(MINIMAL_TEXT, summary, "summary:\n  en: Landmines still block the way "
                        "home.\n  french: Les mines bloquent encore le retour.")
    Path("spec.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", "spec.yaml"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "spec.yaml:15:3: error: invalid-value: summary.french: 'french' is not a language tag",
        "    hint: write text per language as  en: ...  fr: ..."]


# ---------------------------------------------------------------------------------------------
# Azerbaijani


def build_in(tmp_path: Path, text: str) -> tuple[Path, Path]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    [brief] = build_brief(spec, tmp_path / "out")
    return brief.pdf, brief.docx


def document_xml(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def docx_text(docx: Path) -> str:
    return "".join(node.text or "" for node in document_xml(docx).iter(f"{{{W}}}t"))


AZERBAIJANI = replace_once(MINIMAL_TEXT, "  date: 2025-03-24\n",
                           "  date: 2025-03-24\n  language: az\n") + (
    "sections:\n  - heading: minalar və insanlar\n    body: Ailələr evə qayıtmaq istəyir.\n")


@pytest.fixture(scope="module")
def azerbaijani_brief(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_in(tmp_path_factory.mktemp("az"), AZERBAIJANI)


def test_azerbaijani_capitals_keep_the_dotted_i_in_the_docx(
        azerbaijani_brief: tuple[Path, Path]) -> None:
    text = docx_text(azerbaijani_brief[1])
    assert "MİNALAR VƏ İNSANLAR" in text
    assert "XAHİŞLƏRİMİZ" in text  # the asks label, Xahişlərimiz, is a heading too
    assert "MINALAR" not in text


@pytest.mark.tools
def test_azerbaijani_capitals_keep_the_dotted_i_in_the_pdf(
        azerbaijani_brief: tuple[Path, Path]) -> None:
    text = collapse_space(pdf_text(azerbaijani_brief[0]))
    assert "MİNALAR VƏ İNSANLAR" in text
    assert "XAHİŞLƏRİMİZ" in text
    assert "Ailələr evə qayıtmaq istəyir." in text  # body text keeps its case
    assert "aprel 2025" in text  # dates in Azerbaijani


QUOTE = ("quotes:\n  - text: Biz evə qayıtmaq istəyirik.\n    language: az\n"
         "    translation: {en: We want to go home.}\n    speaker: Aygün Məmmədova\n"
         "    consent: true\n")


@pytest.fixture(scope="module")
def quoted_brief(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_in(tmp_path_factory.mktemp("quote"), MINIMAL_TEXT + QUOTE)


@pytest.mark.tools
def test_a_quote_in_another_language_keeps_its_words_and_shows_the_translation(
        quoted_brief: tuple[Path, Path]) -> None:
    text = collapse_space(pdf_text(quoted_brief[0]))
    # The reader's language first, at the quote's size; the original words smaller under it.
    assert ("We want to go home.” — Aygün Məmmədova Original: “Biz evə qayıtmaq istəyirik.”"
            in text)


def run_language(run: etree._Element) -> str | None:
    lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
    return None if lang is None else lang.get(f"{{{W}}}val")


def test_the_docx_marks_the_quote_as_azerbaijani(quoted_brief: tuple[Path, Path]) -> None:
    runs = {"".join(run.itertext()): run for run in document_xml(quoted_brief[1]).iter(f"{{{W}}}r")}
    quoted = [run for text, run in runs.items() if "Biz evə qayıtmaq istəyirik." in text]
    assert len(quoted) == 1, list(runs)
    assert run_language(quoted[0]) == "az"
    translated = [run for text, run in runs.items() if "We want to go home." in text]
    assert len(translated) == 1
    assert run_language(translated[0]) in (None, "en")  # the page's language


def test_no_translation_for_the_page_language_leaves_the_words_alone(tmp_path: Path) -> None:
    _, docx = build_in(tmp_path, MINIMAL_TEXT + QUOTE.replace("{en: We want", "{fr: Nous voulons"))
    text = docx_text(docx)
    assert "Biz evə qayıtmaq istəyirik." in text
    assert "Original:" not in text and "Nous voulons" not in text


# ---------------------------------------------------------------------------------------------
# A brief in four languages: no English qualifier or unit on another language's page

FLOOD_SPEC = ROOT / "tests" / "specs" / "flood-shelters.yaml"
# Words of English figures: qualifiers, units and the key figures' note label; French
# writes "note", "dollars" and "million" too.
ENGLISH_FIGURE_WORDS = ["about", "nearly", "up to", "at least", "more than", "fewer than",
                        "less than", "per", "note", "dollars", "million"]
ALSO_FRENCH = {"note", "dollars", "million"}
# How each language prints the brief's figures, qualifier and unit included.
FIGURES_IN = {
    "en": ["up to 120,000", "more than 38%", "about 240 m²", "nearly 42,000", "US$18,500",
           "US$1.11 million", "note 1"],
    "fr": ["jusqu’à 120 000", "plus de 38 %", "environ 240 m²", "près de 42 000",
           "18 500 dollars US", "1,11 million de dollars US", "note 1"],
    "ru": ["до 120 000", "более 38 %", "около 240 м²", "почти 42 000", "18 500 долл. США",
           "1,11 млн долл. США", "прим. 1"],
    "az": ["120.000-ə qədər", "38%-dən çox", "təxminən 240 m²", "42.000-ə yaxın",
           "18.500 ABŞ dolları", "1,11 milyon ABŞ dolları", "qeyd 1"],
}


@pytest.fixture(scope="module")
def flood_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The text of every version of the four-language brief, read from its PDF."""
    built = build_brief(FLOOD_SPEC, tmp_path_factory.mktemp("flood"))
    pages = {}
    for result in built:
        assert result.pdf is not None
        language = re.search(r"_([a-z]{2})(?:-[a-z]{2})?\.pdf$", result.pdf.name)
        assert language is not None
        pages[language.group(1)] = collapse_space(pdf_text(result.pdf))
    assert sorted(pages) == ["az", "en", "fr", "ru"]
    return pages


@pytest.mark.tools
@pytest.mark.parametrize("language", ["fr", "ru", "az"])
def test_no_english_figure_words_on_another_language_s_page(flood_pages: dict[str, str],
                                                           language: str) -> None:
    """A qualifier or unit given in English ("up to", "US$") once printed as it was on every
    page ("jusqu’à up to 60 %"). The quote's original words are English on purpose."""
    page = flood_pages[language]
    original = page.index({"fr": "Original", "ru": "Оригинал", "az": "Orijinal"}[language])
    outside_quote = page[:original] + page[page.index("miles", original):]
    words = [word for word in ENGLISH_FIGURE_WORDS if language != "fr" or word not in ALSO_FRENCH]
    english = re.compile(rf"\b(?:{'|'.join(words)})\b|US\$", re.IGNORECASE)
    assert not english.findall(outside_quote), outside_quote


@pytest.mark.tools
@pytest.mark.parametrize("language", ["en", "fr", "ru", "az"])
def test_each_page_prints_its_figures_in_its_own_words(flood_pages: dict[str, str],
                                                       language: str) -> None:
    page = flood_pages[language].replace("\u202f", " ").replace("\u00a0", " ")
    missing = [figure for figure in FIGURES_IN[language] if figure not in page]
    assert not missing, page
