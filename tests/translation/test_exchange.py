"""`briefgen translate`: a brief's texts out to a translation tool and back.

The translation tool is played by translate-toolkit, an independent XLIFF library used by
Weblate and Pootle: it reads the exported file, writes translations into it keeping the tags,
and saves it. Everything runs in a folder whose name has spaces and non-ASCII letters.
"""

from __future__ import annotations

import copy
import difflib
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from lxml import etree
from translate.storage import xliff
from typer.testing import CliRunner, Result

from briefgen.cli import app
from briefgen.translation.yaml_edit import TextChange, write_translations
from tests.support import ROOT, SPECS

FIXTURE = SPECS / "translate"
SPEC = "brief.yaml"
FACTS = "facts/figures.yaml"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
LABELS = yaml.safe_load(
    (ROOT / "templates" / "one-pager" / "template.yaml").read_text(encoding="utf-8"))["labels"]
LABEL_LANGUAGES = sorted(LABELS)

runner = CliRunner()

# What the translator writes for each piece of text between tags (tests/specs/translate).
FRENCH = {
    "Clearance lets families go home": "Le déminage permet aux familles de rentrer chez elles",
    "MASG meeting": "Réunion du GSAM",
    "Geneva": "Genève",
    "Policy lead": "Responsable du plaidoyer",
    "Landmines still block the way home for about ": "Les mines empêchent encore environ ",
    " people. Donors fund only ": " personnes de rentrer. Les bailleurs ne financent que ",
    " of the budget: ": " du budget : ",
    "act now": "agissez maintenant",
    ", and read ": ", et lisez ",
    "the plan": "le plan",
    " on ": " sur ",
    "our site": "notre site",
    "Fund clearance": "Financer le déminage",
    "Support survey and clearance teams where families plan to return, so that land is "
    "released before the planting season.": "Soutenir les équipes d’enquête et de déminage là "
    "où les familles veulent revenir, afin que les terres soient libérées avant les semis.",
    "Fund survivors": "Soutenir les survivants",
    "Support victim assistance: care, schools, jobs.":
        "Soutenir l’aide aux victimes : soins, écoles, emplois.",
    "of the budget from international donors": "du budget venant des bailleurs internationaux",
    "We want to go home.": "Nous voulons rentrer chez nous.",
    "Why now": "Pourquoi maintenant",
    "Budgets are tightening this year.": "Les budgets se resserrent cette année.",
    "Thank you for your support.": "Merci de votre soutien.",
}
# For the other label languages: a word of the language in front of each text.
MARKER = {"en": "Translation", "fr": "Traduction", "ru": "Перевод", "az": "Tərcümə"}


def invoke(*arguments: str | Path) -> Result:
    return runner.invoke(app, [str(argument) for argument in arguments])


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/specs/translate in a folder named with spaces and non-ASCII letters,
    made the working folder."""
    target = tmp_path / "Briefs für Gənclik"
    shutil.copytree(FIXTURE, target)
    monkeypatch.chdir(target)
    return target


def files_of(root: Path) -> dict[str, bytes]:
    """Every file below `root`, by relative path: to tell that nothing was written."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def translate_file(path: Path, translate: Callable[[str], str],
                   only: set[str] | None = None) -> None:
    """Play the translator: translate-toolkit fills every unit's target (or those in `only`)
    from its source, translating the text between tags and keeping the tags."""
    store = xliff.xlifffile.parsefile(str(path))

    def fill(element: object) -> None:
        parts = element.sub  # type: ignore[attr-defined]
        for index, part in enumerate(parts):
            if isinstance(part, str):
                parts[index] = translate(part) if part.strip(" .") else part
            else:
                fill(part)

    for unit in store.getunits():
        if only is not None and unit.getid().split("\x04")[-1] not in only:
            continue
        target = copy.deepcopy(unit.rich_source)
        for element in target:
            fill(element)
        unit.rich_target = target
    store.savefile(str(path))


def into_french(text: str) -> str:
    return FRENCH[text]


def unit_ids(path: Path) -> list[str]:
    return [unit.getid().split("\x04")[-1]
            for unit in xliff.xlifffile.parsefile(str(path)).getunits()]


def edit_target(path: Path, unit_id: str, change: Callable[[etree._Element], None]) -> int:
    """Change one unit's <target> with lxml, as a careless editor might; returns the line of
    its <trans-unit>."""
    tree = etree.parse(str(path))
    unit = tree.find(f".//{{{XLIFF_NS}}}trans-unit[@id='{unit_id}']")
    assert unit is not None
    change(unit.find(f"{{{XLIFF_NS}}}target"))
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return int(etree.parse(str(path)).find(
        f".//{{{XLIFF_NS}}}trans-unit[@id='{unit_id}']").sourceline)


def remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def line_of(path: Path, text: str, after: str = "") -> int:
    """The number of the first line holding `text` (after the first holding `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(number for number, line in enumerate(lines) if after in line)
    return next(number for number in range(start, len(lines)) if text in lines[number]) + 1


def docx_text(path: Path) -> str:
    """The words of a DOCX, one paragraph after another."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", " ", xml))
    return " ".join(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                    .split())


def round_trip(translate: Callable[[str], str] = into_french, language: str = "fr") -> Path:
    """Export, translate with translate-toolkit, import; returns the XLIFF file."""
    exported = invoke("translate", "export", SPEC, "--to", language)
    assert exported.exit_code == 0, exported.output
    xlf = Path(f"brief.{language}.xlf")
    translate_file(xlf, translate)
    imported = invoke("translate", "import", xlf)
    assert imported.exit_code == 0, imported.output
    return xlf


def built_docx(audience: str, spec: str = SPEC) -> str:
    """Build one audience's version with the CLI; the text of its DOCX."""
    result = invoke("build", spec, "-a", audience, "--out", "out", "--force")
    assert result.exit_code == 0, result.output
    [docx] = Path("out").rglob(f"*_{audience}_*.docx")
    return docx_text(docx)


# ---------------------------------------------------------------------------------------------
# The round trip


def test_a_brief_goes_to_a_translation_tool_and_comes_back_built_in_french(
        folder: Path, golden: Callable[[str, str], None]) -> None:
    before = {name: (folder / name).read_text(encoding="utf-8") for name in (SPEC, FACTS)}
    refused = invoke("build", SPEC, "-a", "fr", "--out", "out")
    assert refused.exit_code == 1
    assert "missing-translation" in refused.output or "no text in 'fr'" in refused.output

    exported = invoke("translate", "export", SPEC, "--to", "fr")
    assert exported.exit_code == 0, exported.output
    assert exported.stdout.splitlines()[0] == (
        "Wrote brief.fr.xlf: 14 texts to translate into French (3 missing, 11 untranslated, "
        "0 out of date).")
    assert "briefgen translate import brief.fr.xlf" in exported.stdout
    translate_file(folder / "brief.fr.xlf", into_french)
    imported = invoke("translate", "import", "brief.fr.xlf")
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.splitlines()[0] == (
        "Imported 14 French texts: 13 into brief.yaml, 1 into facts/figures.yaml.")

    # Only the new entries differ: comments, quoting, folding and blank lines stay.
    diff = "".join(
        line for name, text in before.items() for line in difflib.unified_diff(
            text.splitlines(keepends=True),
            (folder / name).read_text(encoding="utf-8").splitlines(keepends=True),
            fromfile=name, tofile=f"{name} (translations imported)"))
    golden("translate-fr.diff", diff)

    page = built_docx("fr")
    for words in ("Le déminage permet aux familles de rentrer chez elles", "agissez maintenant",
                  "Nous voulons rentrer chez nous.", "Merci de votre soutien.",
                  "du budget venant des bailleurs internationaux", "Réunion du GSAM"):
        assert words in page
    checked = invoke("check", SPEC)
    assert checked.exit_code == 0, checked.output
    assert "translation-outdated" not in checked.output
    assert "missing-translation" not in checked.output


def test_the_exported_file_gives_the_translator_context_and_locked_tags(folder: Path) -> None:
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    store = xliff.xlifffile.parsefile(str(folder / "brief.fr.xlf"))
    units = {unit.getid().split("\x04")[-1]: unit for unit in store.getunits()}
    # Texts the French version lacks, wherever they are written; not the subtitle (already
    # French), nor the label of a figure that is only cited in sentences (never printed).
    assert "stats[foreign-share].label" in units and "audiences[fr].intro" in units
    assert "brief.subtitle" not in units and "stats[displaced].label" not in units
    summary = units["summary"]
    assert summary.getlocations() == [f"brief.yaml:{line_of(folder / SPEC, 'summary: >-')}"]
    assert units["stats[foreign-share].label"].getlocations() == [
        f"facts/figures.yaml:{line_of(folder / FACTS, 'label: ', after='foreign-share')}"]
    source = etree.fromstring(etree.tostring(summary.xmlelement.find(f"{{{XLIFF_NS}}}source")))
    tags = [(etree.QName(element).localname, element.get("id"), element.get("ctype"))
            for element in source.iter() if element is not source]
    assert tags == [("x", "1", "x-briefgen-figure"), ("x", "2", "x-briefgen-figure"),
                    ("g", "3", "bold"), ("g", "4", "italic"), ("g", "5", "link"),
                    ("x", "6", "x-briefgen-source")]
    # The markup itself is not text the translator could break.
    assert "[@" not in "".join(source.itertext()) and "https://" not in "".join(
        source.itertext())
    notes = summary.getnotes()
    assert "At most 2,000 characters" in notes
    # Each figure as the French version prints it, qualifier and number format included, so
    # the translator does not write "environ" again around the tag.
    assert "prints the figure “800 000” (former displaced people yet to return)" in notes
    assert "prints the figure “environ 5 %” (of the budget from international donors)" in notes
    assert "link to https://example.org/plan" in notes
    assert summary.xmlelement.get("maxwidth") == "2000"
    assert "Printed only on the version for the délégation française" in (
        units["audiences[fr].intro"].getnotes())


def test_tags_moved_by_the_translator_keep_their_markup(folder: Path) -> None:
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    xlf = folder / "brief.fr.xlf"
    translate_file(xlf, into_french)

    def reorder(target: etree._Element) -> None:
        # The figure moves to the front; bold and italic swap places.
        figure = target.find(f"{{{XLIFF_NS}}}x[@id='2']")
        remove_keeping_tail(figure)
        figure.tail = " : c’est la part du budget. " + (target.text or "")
        target.text = ""
        target.insert(0, figure)

    edit_target(xlf, "summary", reorder)
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 0, result.output
    summary = yaml.safe_load((folder / SPEC).read_text(encoding="utf-8"))["summary"]["fr"]
    assert summary.startswith("[@+foreign-share] : c’est la part du budget. Les mines")
    assert "**agissez maintenant**" in summary and "*le plan*" in summary
    assert "[notre site](https://example.org/plan) [^report]." in summary


def test_markup_typed_by_the_translator_prints_as_typed(folder: Path) -> None:
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    xlf = folder / "brief.fr.xlf"
    typed = "Merci. Voir [ce lien](https://evil.example), *vite*, [@displaced] et [^report]."
    translate_file(xlf, lambda text: typed if text == "Thank you for your support."
                   else FRENCH[text])
    assert invoke("translate", "import", xlf).exit_code == 0
    intro = yaml.safe_load((folder / SPEC).read_text(encoding="utf-8"))[
        "audiences"][0]["intro"]["fr"]
    assert intro == (r"Merci. Voir \[ce lien\](https://evil.example), \*vite\*, \[@displaced\] "
                     r"et \[^report\].")
    page = built_docx("fr")
    assert typed in page
    [docx] = Path("out").rglob("*_fr_*.docx")
    with zipfile.ZipFile(docx) as archive:
        assert b"evil.example" not in archive.read("word/_rels/document.xml.rels")


@pytest.mark.parametrize("language", [language for language in LABEL_LANGUAGES
                                      if language != "en"])
def test_every_shipped_label_language_round_trips(folder: Path, language: str) -> None:
    spec = folder / SPEC
    if language != "fr":
        spec.write_text(spec.read_text(encoding="utf-8") + (
            f"  - id: {language}\n    name: {MARKER[language]}\n    language: {language}\n"),
            encoding="utf-8")
    round_trip(lambda text: f"{MARKER[language]}: {text.strip()}" if text.strip() else text,
               language)
    status = invoke("translate", "status", SPEC, "--to", language)
    assert status.exit_code == 0, status.output
    row = status.stdout.splitlines()[1].split()
    assert row[0] == language and row[-3:-1] == ["0", "0"], status.stdout
    page = built_docx(language)
    assert f"{MARKER[language]}: Clearance lets families go home" in page


def marked(language: str) -> Callable[[str], str]:
    """The translator of a label language: its word in front of each text."""
    return lambda text: f"{MARKER[language]}: {text.strip()}" if text.strip() else text


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example (briefs/) in a folder with spaces and non-ASCII letters, as the
    working folder."""
    target = tmp_path / "Örnək briefs"
    shutil.copytree(ROOT / "briefs", target)
    monkeypatch.chdir(target)
    return target


def test_the_example_round_trips_into_a_new_language_for_every_text(example: Path) -> None:
    spec = example / "masg-2025.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + (
        "  - id: az\n    name: Azərbaycan nümayəndə heyəti\n    language: az\n"
        # The marked translations run longer than real ones: without the sections, the
        # page still has every other kind of text and fits.
        "    sections: []\n"), encoding="utf-8")
    refused = invoke("build", spec.name, "-a", "az", "--out", "out")
    assert "charts 'who-pays'.categories[0]: no text in 'az'" in refused.output

    exported = invoke("translate", "export", spec.name, "--to", "az")
    assert exported.exit_code == 0, exported.output
    xlf = example / "masg-2025.az.xlf"
    assert {"charts[who-pays].title", "charts[who-pays].subtitle",
            "charts[who-pays].categories[0]", "charts[who-pays].categories[1]",
            "stats[mines].label", "quotes[0].translation"} <= set(unit_ids(xlf))
    translate_file(xlf, marked("az"))
    imported = invoke("translate", "import", xlf.name)
    assert imported.exit_code == 0, imported.output

    status = invoke("translate", "status", spec.name, "--to", "az")
    assert status.stdout.splitlines()[1].split()[2:5] == ["0", "0", "0"], status.stdout
    page = built_docx("az", spec.name)
    for words in ("Tərcümə: Azerbaijan is clearing its minefields almost alone",
                  "Tərcümə: Put Azerbaijan on the agenda", "Tərcümə: Government of Azerbaijan",
                  "Tərcümə: I have never had regrets"):
        assert words in page, words
    chart = yaml.safe_load(spec.read_text(encoding="utf-8"))["charts"][0]
    assert [category["az"] for category in chart["categories"]] == [
        "Tərcümə: Azerbaijan itself (the rest)", "Tərcümə: International donors"]
    assert "(qrafikə baxın)" in page  # the summary's pointer to the chart, in Azerbaijani


def test_a_file_exported_before_sources_were_named_by_id_is_read(example: Path) -> None:
    """Sources and charts were named by position (`sources[1].short`), a file still out with
    a translator comes back in that form, without briefgen's marks."""
    assert invoke("translate", "export", "masg-2025.yaml", "--to", "fr").exit_code == 0
    xlf = example / "masg-2025.fr.xlf"
    assert unit_ids(xlf) == ["sources[newsaz-2023].short", "sources[undp-2024].short"]
    translate_file(xlf, lambda text: text)  # a name stays as it is
    older = re.sub(r' briefgen:[a-z]+="[^"]*"', "", xlf.read_text(encoding="utf-8"))
    xlf.write_text(older.replace("sources[newsaz-2023]", "sources[1]").replace(
        "sources[undp-2024]", "sources[4]"), encoding="utf-8")
    result = invoke("translate", "import", xlf.name)
    assert result.exit_code == 0, result.output
    assert "2 texts came back as written (“ANAMA”, “UNDP Azerbaijan”)" in result.stdout
    sources = yaml.safe_load((example / "facts" / "azerbaijan.yaml").read_text(
        encoding="utf-8"))["sources"]
    assert sources[1]["short"] == "ANAMA"  # a name stays written once
    records = (example / "facts" / "azerbaijan.translations.yaml").read_text(encoding="utf-8")
    assert "sources[newsaz-2023].short:" in records and "sources[1]" not in records


SECOND = "ecoles-eau.yaml"


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_a_brief_written_in_french_with_a_chart_round_trips(folder: Path, language: str) -> None:
    exported = invoke("translate", "export", SECOND, "--to", language)
    assert exported.exit_code == 0, exported.output
    xlf = Path(f"ecoles-eau.{language}.xlf")
    ids = unit_ids(xlf)
    assert "charts[sans-eau].categories[0]" in ids and "charts[sans-eau].note" in ids
    # Each audience's own line goes only to its own language.
    assert [key for key in ids if key.startswith("audiences")] == [
        f"audiences[{ {'en': 'uk'}.get(language, language)}].intro"]
    [summary] = [unit for unit in xliff.xlifffile.parsefile(str(xlf)).getunits()
                 if unit.getid().split("\x04")[-1] == "summary"]
    pointer = LABELS[language]["see_chart"]
    assert f"([@sans-eau]) prints “{pointer}”" in summary.getnotes()
    translate_file(xlf, marked(language))
    imported = invoke("translate", "import", xlf)
    assert imported.exit_code == 0, imported.output
    status = invoke("translate", "status", SECOND, "--to", language)
    assert status.stdout.splitlines()[1].split()[2:5] == ["0", "0", "0"], status.stdout
    audience = {"en": "uk"}.get(language, language)
    page = built_docx(audience, SECOND)
    assert f"{MARKER[language]}: L’eau potable à l’école garde les filles en classe" in page
    assert pointer in page


def test_the_second_brief_builds_in_all_four_languages_once_translated(folder: Path) -> None:
    for language in ("en", "ru", "az"):
        assert invoke("translate", "export", SECOND, "--to", language).exit_code == 0
        translate_file(Path(f"ecoles-eau.{language}.xlf"), marked(language))
        imported = invoke("translate", "import", f"ecoles-eau.{language}.xlf")
        assert imported.exit_code == 0, imported.output
    status = invoke("translate", "status", SECOND)
    assert [row.split()[2:5] for row in status.stdout.splitlines()[1:4]] == [
        ["0", "0", "0"]] * 3, status.stdout
    result = invoke("build", SECOND, "--out", "out", "--force")
    assert result.exit_code == 0, result.output
    assert len(list(Path("out").rglob("*.pdf"))) == 4


# ---------------------------------------------------------------------------------------------
# Nothing changes when nothing is translated


@pytest.mark.parametrize("newline, bom", [("\n", b""), ("\r\n", b""),
                                          ("\r\n", b"\xef\xbb\xbf")],
                         ids=["LF", "CRLF", "CRLF with byte-order mark"])
def test_an_untranslated_round_trip_changes_no_byte(folder: Path, newline: str,
                                                    bom: bytes) -> None:
    for name in (SPEC, FACTS):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(bom + text.replace("\n", newline).encode("utf-8"))
    before = files_of(folder)
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    xlf = folder / "brief.fr.xlf"
    store = xliff.xlifffile.parsefile(str(xlf))  # opened and saved by a tool, untranslated
    store.savefile(str(xlf))
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 0, result.output
    assert "nothing was imported" in result.stdout
    after = files_of(folder)
    del after["brief.fr.xlf"]
    assert after == before


def test_translations_into_a_crlf_file_keep_its_line_endings(folder: Path) -> None:
    for name in (SPEC, FACTS):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    round_trip()
    for name in (SPEC, FACTS):
        raw = (folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert raw.count(b"\n") == raw.count(b"\r\n")
    assert "Réunion du GSAM" in built_docx("fr")


# ---------------------------------------------------------------------------------------------
# Out of date


def test_a_changed_source_text_makes_its_translation_out_of_date(folder: Path) -> None:
    round_trip()
    assert (folder / "brief.translations.yaml").is_file()
    assert (folder / "facts" / "figures.translations.yaml").is_file()
    status = invoke("translate", "status", SPEC)
    assert status.stdout.splitlines()[1].split() == ["fr", "French", "0", "0", "0", "15"]

    spec = folder / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "Landmines still block", "Mines and unexploded ordnance still block"), encoding="utf-8")
    lines = spec.read_text(encoding="utf-8").splitlines()
    summary_line = lines.index("summary:")
    french_line = next(number for number in range(summary_line, len(lines))
                       if lines[number].startswith("  fr:")) + 1
    warning = (f"brief.yaml:{french_line}:7: warning: translation-outdated: summary.fr: fr "
               "text of summary was translated from an earlier English text")
    checked = invoke("check", SPEC)
    assert checked.exit_code == 0, checked.output
    assert warning in checked.stdout.splitlines()
    status = invoke("translate", "status", SPEC)
    assert status.stdout.splitlines()[1].split() == ["fr", "French", "0", "0", "1", "14"]
    assert (f"brief.yaml:{french_line}:7: fr text of summary was translated from an earlier "
            "English text") in status.stdout

    # Exported again: only that text, with the earlier translation for reference.
    (folder / "brief.fr.xlf").unlink()
    exported = invoke("translate", "export", SPEC, "--to", "fr")
    assert "(0 missing, 0 untranslated, 1 out of date)" in exported.stdout
    assert unit_ids(folder / "brief.fr.xlf") == ["summary"]
    [unit] = xliff.xlifffile.parsefile(str(folder / "brief.fr.xlf")).getunits()
    assert "Out of date" in unit.getnotes() and "Les mines empêchent encore" in unit.getnotes()

    # Edited by hand, the translation counts as done again.
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "Les mines empêchent", "Les mines et munitions empêchent"), encoding="utf-8")
    assert "translation-outdated" not in invoke("check", SPEC).stdout
    assert invoke("translate", "status", SPEC).stdout.splitlines()[1].split()[2:] == [
        "0", "0", "0", "15"]


def test_records_follow_figures_by_id_when_a_fact_file_is_reordered(folder: Path) -> None:
    round_trip()
    facts = folder / FACTS
    text = facts.read_text(encoding="utf-8")
    first = text[text.index("  - id: displaced"):text.index("  - id: foreign-share")]
    second = text[text.index("  - id: foreign-share"):text.index("\nsources:")]
    facts.write_text(text.replace(first + second, second + "\n" + first.rstrip("\n")),
                     encoding="utf-8")
    assert facts.read_text(encoding="utf-8").index("foreign-share") < facts.read_text(
        encoding="utf-8").index("id: displaced")
    assert "translation-outdated" not in invoke("check", SPEC).stdout
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "of the budget from international donors", "of the budget paid by donors"),
        encoding="utf-8")
    assert ("warning: translation-outdated: stats 'foreign-share'.label.fr"
            in invoke("check", SPEC).stdout)


def test_a_partly_translated_file_brings_in_what_is_translated(folder: Path) -> None:
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    xlf = folder / "brief.fr.xlf"
    translate_file(xlf, into_french, only={"brief.title", "stats[foreign-share].label"})
    # A text the translator has not reached may change meanwhile: it is not in the way.
    spec = folder / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace("Why now", "Why now, not later"),
                    encoding="utf-8")
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "Imported 2 French texts: 1 into brief.yaml, 1 into facts/figures.yaml.",
        "12 texts had no translation yet: left as they were."]
    status = invoke("translate", "status", SPEC)
    assert status.stdout.splitlines()[1].split() == ["fr", "French", "3", "9", "0", "3"]


def test_status_of_a_brief_in_one_language(folder: Path) -> None:
    spec = folder / SPEC
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text[:text.index("audiences:")].replace(
        "{en: Briefing note, fr: Note d’information}", "Briefing note"), encoding="utf-8")
    result = invoke("translate", "status", SPEC)
    assert result.exit_code == 0
    assert result.stdout == ("brief.yaml is only in English. Start a translation with: "
                             "briefgen translate export brief.yaml --to fr\n")


def test_texts_translated_by_hand_count_as_done(folder: Path) -> None:
    spec = folder / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "    name:\n      en: MASG meeting\n",
        "    name:\n      en: MASG meeting\n      fr: Réunion du GSAM\n"), encoding="utf-8")
    status = invoke("translate", "status", SPEC)
    assert status.stdout.splitlines()[1].split() == ["fr", "French", "2", "11", "0", "2"]


# ---------------------------------------------------------------------------------------------
# A translator's work is never lost


def test_a_correction_made_after_an_import_survives_a_second_import(folder: Path) -> None:
    xlf = round_trip()
    spec = folder / SPEC
    corrected = "Réunion du Groupe de soutien à l’action contre les mines"
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "fr: Réunion du GSAM", f"fr: {corrected}"), encoding="utf-8")
    before = files_of(folder)
    again = invoke("translate", "import", xlf)
    assert again.exit_code == 1
    line = line_of(spec, corrected)
    [unit] = [number for number, text in enumerate(xlf.read_text(encoding="utf-8").splitlines(), 1)
              if 'id="brief.event.name"' in text]
    assert (f"brief.fr.xlf:{unit}:7: brief.event.name: the French text in the spec "
            f"(brief.yaml:{line}:11) was written or corrected after this file was exported: it "
            "is kept, and the file's translation was not imported") in again.stderr
    assert "briefgen translate import brief.fr.xlf --overwrite" in again.stderr
    assert ("error: 1 French text of brief.fr.xlf was not imported: the spec's translation "
            "was kept") in again.stderr
    assert files_of(folder) == before  # the other texts were in the spec already

    taken = invoke("translate", "import", xlf, "--overwrite")
    assert taken.exit_code == 0, taken.output
    assert "Imported 1 French text: 1 into brief.yaml." in taken.stdout
    assert corrected not in spec.read_text(encoding="utf-8")
    assert "fr: Réunion du GSAM" in spec.read_text(encoding="utf-8")


def test_a_translation_made_by_hand_before_the_file_came_back_is_kept(folder: Path) -> None:
    """The other texts of the file are imported; the one translated meanwhile is not."""
    xlf = _export_and_translate(folder)
    spec = folder / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "    name:\n      en: MASG meeting\n",
        "    name:\n      en: MASG meeting\n      fr: Réunion du MASG\n"), encoding="utf-8")
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 1
    assert "Imported 13 French texts" in result.stdout
    assert "brief.event.name: the French text in the spec" in result.stderr
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    assert data["brief"]["event"]["name"]["fr"] == "Réunion du MASG"
    assert data["summary"]["fr"].startswith("Les mines empêchent encore")


@pytest.mark.parametrize("marks", ["kept", "dropped by the tool"])
def test_an_out_of_date_translation_is_updated_but_a_corrected_one_is_not(
        folder: Path, marks: str) -> None:
    round_trip()
    spec = folder / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "Landmines still block", "Mines still block").replace(
        "en: Fund clearance", "en: Fund mine clearance"), encoding="utf-8")
    (folder / "brief.fr.xlf").unlink()
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    xlf = folder / "brief.fr.xlf"
    assert unit_ids(xlf) == ["summary", "asks[0].headline"]
    new_french = {**FRENCH, "Mines still block the way home for about ": "Les mines bloquent "
                  "encore environ ", "Fund mine clearance": "Financer le déminage des mines"}
    translate_file(xlf, new_french.__getitem__)
    if marks != "kept":
        text = xlf.read_text(encoding="utf-8")
        xlf.write_text(re.sub(r' briefgen:[a-z]+="[^"]*"', "", text), encoding="utf-8")
        assert "briefgen:" not in xlf.read_text(encoding="utf-8").split("<body>")[1]
    # Meanwhile the French headline is corrected by hand.
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "fr: Financer le déminage\n", "fr: Financer vite le déminage\n"), encoding="utf-8")
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 1
    assert "asks[0].headline: the French text in the spec" in result.stderr
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    assert data["summary"]["fr"].startswith("Les mines bloquent encore environ")
    assert data["asks"][0]["headline"]["fr"] == "Financer vite le déminage"


def test_a_file_relabelled_to_another_language_is_refused(folder: Path) -> None:
    """An Azerbaijani export whose target-language was edited to French would write
    Azerbaijani over the French texts."""
    spec = folder / SPEC
    spec.write_text(spec.read_text(encoding="utf-8") + (
        "  - id: az\n    name: Azərbaycan\n    language: az\n"), encoding="utf-8")
    round_trip()  # the French texts are in
    assert invoke("translate", "export", SPEC, "--to", "az").exit_code == 0
    xlf = folder / "brief.az.xlf"
    translate_file(xlf, marked("az"))
    xlf.write_text(xlf.read_text(encoding="utf-8").replace('target-language="az"',
                                                           'target-language="fr"'),
                   encoding="utf-8")
    before = files_of(folder)
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 1
    assert ("brief.az.xlf:3:3: was exported for Azerbaijani (az), but its target-language now "
            "says French (fr)") in result.stderr
    assert files_of(folder) == before

    # A tool that dropped briefgen's marks: no French text is replaced either.
    xlf.write_text(re.sub(r' briefgen:[a-z]+="[^"]*"', "", xlf.read_text(encoding="utf-8")),
                   encoding="utf-8")
    before = files_of(folder)
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 1
    assert "Imported" not in result.stdout
    assert (f"error: {len(unit_ids(xlf))} French texts of brief.az.xlf were not imported"
            in result.stderr)
    assert files_of(folder) == before


# ---------------------------------------------------------------------------------------------
# Refused, with nothing written


def _export_and_translate(folder: Path) -> Path:
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    xlf = folder / "brief.fr.xlf"
    translate_file(xlf, into_french)
    return xlf


def _missing_figure(target: etree._Element) -> None:
    remove_keeping_tail(target.find(f"{{{XLIFF_NS}}}x[@id='1']"))


def _doubled_figure(target: etree._Element) -> None:
    target.append(copy.deepcopy(target.find(f"{{{XLIFF_NS}}}x[@id='2']")))


def _extra_tag(target: etree._Element) -> None:
    etree.SubElement(target, f"{{{XLIFF_NS}}}x", id="9")


def _unknown_kind_of_tag(target: etree._Element) -> None:
    etree.SubElement(target, f"{{{XLIFF_NS}}}ph", id="7").text = "<b>"


@pytest.mark.parametrize("change, message", [
    (_missing_figure, "the translation lacks tag 1 ([@displaced])"),
    (_doubled_figure, "the translation has tag 2 ([@+foreign-share]) more than once"),
    (_extra_tag, "the translation has a tag <x id='9'> that the source does not have"),
    (_unknown_kind_of_tag, "the translation contains a <ph> tag, which the exported file "
     "did not have"),
], ids=["missing", "twice", "extra", "unknown kind"])
def test_a_broken_tag_is_refused_and_nothing_is_written(
        folder: Path, change: Callable[[etree._Element], None], message: str) -> None:
    xlf = _export_and_translate(folder)
    line = edit_target(xlf, "summary", change)
    before = files_of(folder)
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"brief.fr.xlf:{line}:7: summary: {message}" in result.stderr.splitlines()
    assert "error: brief.fr.xlf: not imported; nothing was written" in result.stderr
    assert files_of(folder) == before


def test_a_unit_whose_source_changed_since_the_export_is_refused(folder: Path) -> None:
    xlf = _export_and_translate(folder)
    spec = folder / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "  - headline: Fund clearance", "  - headline: Fund mine clearance"), encoding="utf-8")
    before = files_of(folder)
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 1
    line = line_of(spec, "  - headline: Fund mine clearance")
    [problem] = [text for text in result.stderr.splitlines() if text.startswith("brief.fr.xlf:")]
    assert re.fullmatch(
        r"brief\.fr\.xlf:\d+:7: asks\[0\]\.headline: its English text has changed since this "
        rf"file was exported \(now at brief\.yaml:{line}:15\)", problem), problem
    assert "briefgen translate export brief.yaml --to fr" in result.stderr
    assert files_of(folder) == before  # the other units are not imported either


def test_a_file_made_for_another_brief_is_refused(folder: Path) -> None:
    xlf = _export_and_translate(folder)
    other = folder / "other.yaml"
    other.write_text((SPECS / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = files_of(folder)
    result = invoke("translate", "import", xlf, "--spec", other)
    assert result.exit_code == 1
    assert ("brief.fr.xlf:1:1: was made for the brief 'translate-brief', not for "
            "'minimal-brief' (other.yaml)") in result.stderr
    assert files_of(folder) == before


# A target inside 5,000 segment markers: the 96th, the 101st element deep, is refused where
# it starts.
NESTED = (b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file><body>'
          b'<trans-unit id="summary"><source>x</source><target>' + b"<mrk>" * 5000 + b"y"
          + b"</mrk>" * 5000 + b"</target></trans-unit></body></file></xliff>")


@pytest.mark.parametrize("document, message", [
    (b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa">'
     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<xliff version="1.2">&b;</xliff>',
     "brief.fr.xlf:2:1: has a document type declaration (<!DOCTYPE>)"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "file:///etc/passwd">\n<xliff/>',
     "brief.fr.xlf:2:1: has a document type declaration (<!DOCTYPE>)"),
    (b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en">'
     b"</xliff>", "brief.fr.xlf:1:1: is an XLIFF 2 file; briefgen reads XLIFF 1.2"),
    (b"<xliff><file>", "brief.fr.xlf:1:14: is not well-formed XML"),
    (b"PK\x03\x04 a zip", "brief.fr.xlf:1:3: is not well-formed XML"),
    (b'<?xml version="1.0" encoding="x-mac-klingon"?>\n<xliff/>',
     "brief.fr.xlf:1:31: is written in the encoding 'x-mac-klingon', which briefgen cannot "
     "read"),
    (b'<?xml version="1.0" encoding="UTF-7"?>\n<xliff/>',
     "brief.fr.xlf:1:31: is written in the encoding 'UTF-7', which briefgen cannot read"),
    (NESTED, f"brief.fr.xlf:1:{NESTED.index(b'<mrk>') + 95 * len(b'<mrk>') + 1}: has "
     "elements nested more than 100 deep"),
], ids=["entity expansion", "external entity", "XLIFF 2", "cut short", "not XML",
        "unknown encoding", "multi-byte encoding", "5,000 nested <mrk>"])
def test_a_hostile_or_foreign_file_is_refused(folder: Path, document: bytes,
                                              message: str) -> None:
    (folder / "brief.fr.xlf").write_bytes(document)
    before = files_of(folder)
    result = invoke("translate", "import", "brief.fr.xlf")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert message in result.stderr
    assert files_of(folder) == before


def test_a_po_file_is_named_as_one(folder: Path) -> None:
    (folder / "brief.fr.po").write_text('msgid "Why now"\nmsgstr "Pourquoi maintenant"\n',
                                        encoding="utf-8")
    result = invoke("translate", "import", "brief.fr.po")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "brief.fr.po: is a PO file (gettext): briefgen reads XLIFF 1.2 files (.xlf)",
        "    hint: in the translation tool, export or save the translation as XLIFF 1.2, from "
        "the .xlf file `briefgen translate export` wrote"]


def test_thousands_of_unknown_units_are_counted_not_listed(folder: Path) -> None:
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    xlf = folder / "brief.fr.xlf"
    text = xlf.read_text(encoding="utf-8")
    units = "".join(f'<trans-unit id="made-up[{number}]"><source>x</source><target>y</target>'
                    "</trans-unit>\n" for number in range(60_000))
    xlf.write_text(text.replace("<body>", "<body>\n" + units), encoding="utf-8")
    before = files_of(folder)
    result = invoke("translate", "import", xlf)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) < 50
    first = line_of(xlf, "made-up[0]")
    assert lines[0].startswith(f"brief.fr.xlf:{first}:1: made-up[0]: brief.yaml has no such "
                               "text")
    assert "... and 59,980 more problems like these (not listed)" in lines
    assert files_of(folder) == before


def test_import_shows_the_traceback_of_a_bug_with_debug(folder: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    xlf = _export_and_translate(folder)

    def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("briefgen.translation.exchange.read_xliff", broken)
    quiet = invoke("translate", "import", xlf)
    assert quiet.exit_code == 70
    assert "internal error (RuntimeError)" in quiet.stderr and "Traceback" not in quiet.stderr
    assert "the output of --debug" in quiet.stderr
    loud = invoke("translate", "import", xlf, "--debug")
    assert loud.exit_code == 70
    assert "Traceback" in loud.stderr and "RuntimeError: a bug" in loud.stderr


@pytest.mark.parametrize("language, message", [
    ("ar", "'ar' is written right to left, which briefgen cannot lay out yet"),
    ("he", "'he' is written right to left, which briefgen cannot lay out yet"),
    ("en-US", "the brief is written in 'en-GB' (brief.language)"),
    ("xx", "unknown language code 'xx'"),
    ("français", "'français' is not a language tag"),
])
def test_languages_briefgen_cannot_translate_into_are_refused(folder: Path, language: str,
                                                             message: str) -> None:
    result = invoke("translate", "export", SPEC, "--to", language)
    assert result.exit_code == 1
    assert message in result.stderr
    assert not list(folder.glob("*.xlf"))


def test_an_export_never_overwrites_translations_not_yet_imported(folder: Path) -> None:
    xlf = _export_and_translate(folder)
    translated = xlf.read_bytes()
    result = invoke("translate", "export", SPEC, "--to", "fr")
    assert result.exit_code == 1
    assert "brief.fr.xlf: holds translations that are not in the spec yet" in result.stderr
    assert xlf.read_bytes() == translated
    assert invoke("translate", "import", xlf).exit_code == 0
    # Imported, the file may be replaced by the next export.
    spec = folder / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace("Why now", "Why now, not later"),
                    encoding="utf-8")
    again = invoke("translate", "export", SPEC, "--to", "fr")
    assert again.exit_code == 0, again.output
    assert unit_ids(xlf) == ["sections[0].heading"]


def test_nothing_to_translate_writes_nothing(folder: Path) -> None:
    round_trip()
    (folder / "brief.fr.xlf").unlink()
    result = invoke("translate", "export", SPEC, "--to", "fr")
    assert result.exit_code == 0
    assert "Nothing to translate" in result.stdout
    assert not (folder / "brief.fr.xlf").exists()


# ---------------------------------------------------------------------------------------------
# Writing into YAML as the person wrote it


def written(text: str, *changes: TextChange) -> str:
    return write_translations(text, Path("spec.yaml"), list(changes))


def test_a_plain_text_becomes_a_mapping_with_its_comments_and_indentation() -> None:
    text = ("---\n"
            "brief:\n"
            "    title: Clearance lets\n"
            "        families go home   # multi-line, unquoted\n"
            "    # next: the date\n"
            "    date: 2025-03-24\n")
    assert written(text, TextChange(("brief", "title"), "fr", "Le déminage", "en")) == (
        "---\n"
        "brief:\n"
        "    title:\n"
        "        en: Clearance lets\n"
        "            families go home   # multi-line, unquoted\n"
        "        fr: Le déminage\n"
        "    # next: the date\n"
        "    date: 2025-03-24\n")


def test_a_new_language_goes_after_the_last_one_not_after_the_next_comment() -> None:
    text = ("summary:\n"
            "  en: >-\n"
            "    Landmines still block the way home for many families, and donors fund only\n"
            "    a small share.\n"
            "\n"
            "# The asks are addressed to capitals.\n"
            "asks: []\n")
    french = ("Les mines empêchent encore de nombreuses familles de rentrer, et les bailleurs "
              "n’en financent qu’une petite part.")
    assert written(text, TextChange(("summary",), "fr", french)) == (
        "summary:\n"
        "  en: >-\n"
        "    Landmines still block the way home for many families, and donors fund only\n"
        "    a small share.\n"
        "  fr: >-\n"
        "    Les mines empêchent encore de nombreuses familles de rentrer, et les\n"
        "    bailleurs n’en financent qu’une petite part.\n"
        "\n"
        "# The asks are addressed to capitals.\n"
        "asks: []\n")


def test_flow_mappings_and_quotes_stay_flow_and_quoted() -> None:
    text = ('place: {en: Geneva, ru: Женева}\n'
            'asks:\n'
            '  - {headline: "Fund: clearance", detail: x}\n')
    assert written(text, TextChange(("place",), "fr", "Genève, Suisse"),
                   TextChange(("asks", 0, "headline"), "fr", "Financer : déminage", "en")) == (
        "place: {en: Geneva, ru: Женева, fr: 'Genève, Suisse'}\n"
        "asks:\n"
        '  - {headline: {en: "Fund: clearance", fr: "Financer : déminage"}, detail: x}\n')


def test_a_missing_quote_translation_is_added_below_the_quote() -> None:
    text = ("quotes:\n"
            "  - text: We want to go home.\n"
            "    role:\n"
            "      en: farmer\n"
            "  - text: Second.\n"
            "    translation:\n")
    assert written(text, TextChange(("quotes", 0, "translation"), "fr", "Rentrer."),
                   TextChange(("quotes", 0, "role"), "fr", "agricultrice"),
                   TextChange(("quotes", 1, "translation"), "fr", "Deuxième.")) == (
        "quotes:\n"
        "  - text: We want to go home.\n"
        "    role:\n"
        "      en: farmer\n"
        "      fr: agricultrice\n"
        "    translation:\n"
        "      fr: Rentrer.\n"
        "  - text: Second.\n"
        "    translation:\n"
        "      fr: Deuxième.\n")


def test_a_chart_s_categories_get_their_translation_in_place() -> None:
    """A category is a list item: written once it becomes a mapping where it stands, in a
    block list or a flow list; given per language it gains an entry."""
    text = ("charts:\n"
            "  - id: who-pays\n"
            "    categories:\n"
            "      - Azerbaijan itself   # the rest\n"
            "      - {en: International donors}\n"
            "      - en: Others\n"
            "  - id: years\n"
            "    categories: [Kolda, 'Sédhiou']\n")
    assert written(text, TextChange(("charts", 0, "categories", 0), "fr", "L’Azerbaïdjan", "en"),
                   TextChange(("charts", 0, "categories", 1), "fr", "Bailleurs", "en"),
                   TextChange(("charts", 0, "categories", 2), "fr", "Autres", "en"),
                   TextChange(("charts", 1, "categories", 1), "ru", "Седиу", "fr")) == (
        "charts:\n"
        "  - id: who-pays\n"
        "    categories:\n"
        "      - {en: Azerbaijan itself, fr: L’Azerbaïdjan}   # the rest\n"
        "      - {en: International donors, fr: Bailleurs}\n"
        "      - en: Others\n"
        "        fr: Autres\n"
        "  - id: years\n"
        "    categories: [Kolda, {fr: 'Sédhiou', ru: 'Седиу'}]\n")


def test_a_text_written_once_is_copied_for_the_languages_that_printed_it() -> None:
    """A plain text that becomes a mapping keeps serving the languages that printed it as
    written, each under its own key, in the text's style: block, flow, folded, list item."""
    text = ("event:\n"
            "  place: 'Paris'   # the venue\n"
            "  name: {short: MASG}\n"
            "summary: >-\n"
            "  Landmines still block the way home for many families, and donors fund only\n"
            "  a small share.\n"
            "categories: [Kolda]\n")
    assert written(text,
                   TextChange(("event", "place"), "ru", "Париж", "en", ("fr", "az")),
                   TextChange(("event", "name", "short"), "ru", "ГСАМ", "en", ("fr",)),
                   TextChange(("summary",), "ru", "Мины.", "en", ("fr",)),
                   TextChange(("categories", 0), "ru", "Колда", "en", ("fr",))) == (
        "event:\n"
        "  place:\n"
        "    en: 'Paris'   # the venue\n"
        "    fr: 'Paris'\n"
        "    az: 'Paris'\n"
        "    ru: 'Париж'\n"
        "  name: {short: {en: MASG, fr: MASG, ru: ГСАМ}}\n"
        "summary:\n"
        "  en: >-\n"
        "    Landmines still block the way home for many families, and donors fund only\n"
        "    a small share.\n"
        "  fr: >-\n"
        "    Landmines still block the way home for many families, and donors fund only\n"
        "    a small share.\n"
        "  ru: >-\n"
        "    Мины.\n"
        "categories: [{en: Kolda, fr: Kolda, ru: Колда}]\n")
    # Line breaks that are part of the text are kept in the copy, as typed.
    assert written("note: |\n  Line one\n  line two.\n",
                   TextChange(("note",), "ru", "Строка.", "en", ("fr",))) == (
        "note:\n  en: |\n    Line one\n    line two.\n  fr: |\n    Line one\n    line two.\n"
        "  ru: >-\n    Строка.\n")


def test_a_replaced_translation_keeps_its_folded_style() -> None:
    text = "summary:\n  en: Short.\n  fr: >-\n    Ancien\n    texte.\n  ru: Коротко.\n"
    assert written(text, TextChange(("summary",), "fr", "Nouveau texte.")) == (
        "summary:\n  en: Short.\n  fr: >-\n    Nouveau texte.\n  ru: Коротко.\n")


def test_the_translate_commands_stay_off_the_start_up_path() -> None:
    """`briefgen --help` loads the command line, not the translation machinery."""
    probe = ("import sys, briefgen.cli; "
             "print(sorted(m for m in sys.modules if m.startswith('briefgen.translation')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_a_unit_in_words_written_once_goes_to_the_translator_and_comes_back(
        folder: Path) -> None:
    """A unit in words (" per family") would print in English on the French page: the
    export offers it, with where it is written, and the import writes it beside the English;
    the French page then prints it. A qualifier (words briefgen has) and a symbol unit ("€")
    are not offered."""
    facts = folder / FACTS
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "    label: former displaced people yet to return\n",
        "    label: former displaced people yet to return\n    suffix: \" per family\"\n"
        "    unit: €\n"), encoding="utf-8")
    assert invoke("translate", "export", SPEC, "--to", "fr").exit_code == 0
    store = xliff.xlifffile.parsefile(str(folder / "brief.fr.xlf"))
    units = {unit.getid().split("\x04")[-1]: unit for unit in store.getunits()}
    assert "stats[displaced].suffix" in units
    assert "stats[displaced].unit" not in units and "stats[foreign-share].prefix" not in units
    assert units["stats[displaced].suffix"].getlocations() == [
        f"facts/figures.yaml:{line_of(facts, 'suffix: ')}"]
    assert "€800 000 per family" in units["summary"].getnotes().replace("\u00a0", " ")
    translate_file(folder / "brief.fr.xlf", lambda text: {
        " per family": " par famille", "per family": "par famille"}.get(
            text, FRENCH.get(text, text)))
    result = invoke("translate", "import", "brief.fr.xlf")
    assert result.exit_code == 0, result.output
    assert 'fr: "par famille"' in facts.read_text(encoding="utf-8")
    from briefgen.resolve.figures import printed_figure
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec

    spec = validate_spec(load_spec(folder / SPEC))
    assert printed_figure(spec.stats[0], "fr").replace("\u00a0", " ") == "€800 000 par famille"


# ---------------------------------------------------------------------------------------------
# Texts written once: the same in every language unless translated

SCHOOLS = SPECS / "school-meals"
SCHOOL_SPEC = "school-meals-2027.yaml"
# What the Azerbaijani translator of the school brief keeps as it is: names.
NAMES = {"Paris", "Full Plates Initiative", "IPC", "WFP"}


@pytest.fixture
def schools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The school meals brief (en-US and fr versions, a fact file, a quote spoken in French)
    in a folder with spaces and non-ASCII letters, as the working folder."""
    target = tmp_path / "Məktəb yeməkləri"
    shutil.copytree(SCHOOLS, target)
    monkeypatch.chdir(target)
    return target


def into_azerbaijani(names: set[str] = NAMES) -> Callable[[str], str]:
    """The Azerbaijani translator: names as they are, a word of the language before the rest."""
    return lambda text: text if text.strip() in names or not text.strip() else (
        f"Tərcümə: {text.strip()}")


def school_round_trip(translate: Callable[[str], str]) -> Result:
    exported = invoke("translate", "export", SCHOOL_SPEC, "--to", "az")
    assert exported.exit_code == 0, exported.output
    translate_file(Path("school-meals-2027.az.xlf"), translate)
    imported = invoke("translate", "import", "school-meals-2027.az.xlf")
    assert imported.exit_code == 0, imported.output
    return imported


def test_a_name_given_back_as_it_is_stays_written_once_for_every_language(
        schools: Path) -> None:
    """`place: Paris` served the English and the French versions; the Azerbaijani translator
    keeps "Paris". The French version must still build and print it."""
    before = (schools / SCHOOL_SPEC).read_text(encoding="utf-8")
    imported = school_round_trip(into_azerbaijani())
    assert "“Paris”" in imported.stdout and "written once" in imported.stdout
    after = (schools / SCHOOL_SPEC).read_text(encoding="utf-8")
    assert "    place: Paris\n" in after and "    short: Full Plates Initiative\n" in after
    assert after.count("Tərcümə") > 10 and before.count("Paris") == after.count("Paris")
    checked = invoke("check", SCHOOL_SPEC)
    assert checked.exit_code == 0, checked.output
    assert "no text in 'fr'" not in checked.output
    assert "Paris" in built_docx("fr", SCHOOL_SPEC)


def test_a_text_written_once_and_translated_keeps_serving_the_other_languages(
        schools: Path) -> None:
    """The translator writes the place in their own way: the text becomes a mapping, and the
    French version, which printed it as written, keeps it."""
    names = NAMES - {"Paris"}
    imported = school_round_trip(into_azerbaijani(names))
    assert ("brief.event.place was written once and now has a text per language: French "
            "keeps the one written, as before (under fr:).") in imported.stdout
    spec = yaml.safe_load((schools / SCHOOL_SPEC).read_text(encoding="utf-8"))
    assert spec["brief"]["event"]["place"] == {"en": "Paris", "fr": "Paris",
                                               "az": "Tərcümə: Paris"}
    checked = invoke("check", SCHOOL_SPEC)
    assert checked.exit_code == 0, checked.output
    assert "Paris" in built_docx("fr", SCHOOL_SPEC)
    # The copy is recorded like a translation: a new English text makes it out of date.
    spec_path = schools / SCHOOL_SPEC
    spec_path.write_text(spec_path.read_text(encoding="utf-8").replace(
        "      en: Paris\n", "      en: Paris (OECD)\n"), encoding="utf-8")
    checked = invoke("check", SCHOOL_SPEC)
    assert "fr text of brief.event.place was translated from an earlier English text" in (
        checked.output)


def test_a_finished_translation_reaches_a_clean_status(schools: Path) -> None:
    """Names given back as they are count as done, until the text changes."""
    exported = invoke("translate", "export", SCHOOL_SPEC, "--to", "az")
    assert exported.exit_code == 0
    # Sent out, not back yet: Azerbaijani is followed though no version is printed in it.
    status = invoke("translate", "status", SCHOOL_SPEC)
    rows = {line.split()[0]: line.split() for line in status.stdout.splitlines()[1:3]}
    assert rows["az"][:2] == ["az", "Azerbaijani"] and rows["az"][3] != "0", status.stdout
    translate_file(Path("school-meals-2027.az.xlf"), into_azerbaijani())
    assert invoke("translate", "import", "school-meals-2027.az.xlf").exit_code == 0
    status = invoke("translate", "status", SCHOOL_SPEC, "--to", "az")
    assert status.stdout.splitlines()[1].split()[:-1] == ["az", "Azerbaijani", "0", "0", "0"]
    assert "Untranslated" not in status.stdout
    # The French version still prints the names as written: listed, by text and line.
    status = invoke("translate", "status", SCHOOL_SPEC, "--to", "fr")
    assert status.stdout.splitlines()[1].split()[3] == "3"
    assert "“Paris” (brief.event.place, line " in status.stdout
    spec_path = schools / SCHOOL_SPEC
    spec_path.write_text(spec_path.read_text(encoding="utf-8").replace(
        "place: Paris", "place: Lyon"), encoding="utf-8")
    status = invoke("translate", "status", SCHOOL_SPEC, "--to", "az")
    assert status.stdout.splitlines()[1].split()[3] == "1"
    assert "az: “Lyon” (brief.event.place" in status.stdout


def test_a_quote_spoken_in_another_language_is_translated_from_its_translation(
        schools: Path) -> None:
    """The quote is French, with an English translation: the Azerbaijani translator gets the
    English, and the Azerbaijani page prints their translation under the French words."""
    exported = invoke("translate", "export", SCHOOL_SPEC, "--to", "az")
    assert exported.exit_code == 0
    assert "to translate from" not in exported.output
    store = xliff.xlifffile.parsefile(str(schools / "school-meals-2027.az.xlf"))
    units = {unit.getid().split("\x04")[-1]: unit for unit in store.getunits()}
    assert units["quotes[0].translation"].source == (
        "A hungry child does not learn; the canteen is the first classroom.")
    assert "spoken in French: “Un enfant qui a faim" in units["quotes[0].translation"].getnotes()
    translate_file(schools / "school-meals-2027.az.xlf", into_azerbaijani())
    assert invoke("translate", "import", "school-meals-2027.az.xlf").exit_code == 0
    spec_path = schools / SCHOOL_SPEC
    quote = yaml.safe_load(spec_path.read_text(encoding="utf-8"))["quotes"][0]
    assert quote["translation"] == {
        "en": "A hungry child does not learn; the canteen is the first classroom.",
        "az": "Tərcümə: A hungry child does not learn; the canteen is the first classroom."}
    spec_path.write_text(spec_path.read_text(encoding="utf-8") + (
        "  - id: az\n    name: Azərbaycan nümayəndə heyəti\n    language: az\n    page: A4\n"
        "    stats: [food-insecure, canteen-share]\n"), encoding="utf-8")
    page = built_docx("az", SCHOOL_SPEC)
    assert "Tərcümə: A hungry child does not learn" in page
    assert "Un enfant qui a faim" in page
