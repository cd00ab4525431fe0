"""Which texts a language needs: the ones its versions print, as the build resolves them.

`translate status` must count as missing exactly the texts a build of that language stops on
("no text in 'az'"), and `translate export` must offer every text such a version prints: the
tests compare both with what `briefgen build` itself says, on the example, on a second brief
written in French with a chart, and on specs whose audiences leave texts unprinted.
"""

from __future__ import annotations

import re
import shutil
from contextlib import suppress
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.errors import SpecError
from briefgen.resolve.view import PrintedText, resolve_brief
from briefgen.spec.includes import load_spec
from briefgen.spec.validate import validate_spec
from briefgen.template import load_template
from briefgen.translation.exchange import translation_status
from briefgen.translation.texts import localized_fields, texts_for_language, versions_in
from tests.support import EXAMPLE_SPEC, SPECS

runner = CliRunner()
SECOND_BRIEF = SPECS / "translate" / "ecoles-eau.yaml"
# `briefgen build` on a version without a text in its language.
NO_TEXT = re.compile(r"^(?P<where>\S+:\d+:\d+): (?P<field>.+): no text in '(?P<language>[^']+)' "
                     r"for this version", re.MULTILINE)
AZ_AUDIENCE = ("  - id: az\n    name: Azərbaycan nümayəndə heyəti\n    language: az\n"
               "    page: A4\n")


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example brief (briefs/) as the working folder; its spec's path."""
    shutil.copytree(EXAMPLE_SPEC.parent, tmp_path / "briefs")
    monkeypatch.chdir(tmp_path / "briefs")
    return tmp_path / "briefs" / EXAMPLE_SPEC.name


@pytest.fixture
def second_brief(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SECOND_BRIEF.parent, tmp_path / "translate")
    monkeypatch.chdir(tmp_path / "translate")
    return tmp_path / "translate" / SECOND_BRIEF.name


def build_complaints(spec_path: Path, language: str) -> set[tuple[str, str]]:
    """(place, field) of every text `briefgen build` says the versions in `language` lack."""
    spec = validate_spec(load_spec(spec_path))
    audiences = [spec.audiences[index].id for index in versions_in(spec, language)
                 if index is not None]
    assert audiences, f"no version in {language} to build"
    options = [option for audience in audiences for option in ("-a", audience)]
    result = runner.invoke(app, ["build", str(spec_path.name), *options, "--out", "out", "-j",
                                 "1", "--force", "-q"])
    assert "Traceback" not in result.output and "internal error" not in result.output
    complaints = {(match["where"], match["field"])
                  for match in NO_TEXT.finditer(result.output)}
    assert (result.exit_code == 0) == (not complaints), result.output
    return complaints


def status_missing(spec_path: Path, language: str) -> set[tuple[str, str]]:
    _, document, [status] = translation_status(Path(spec_path.name), [language])
    return {(str(document.locate(text.field.path)), document.describe(text.field.path))
            for text in status.missing}


def add_audience(spec_path: Path, audience: str) -> None:
    spec_path.write_text(spec_path.read_text(encoding="utf-8") + audience, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Status counts what the build stops on


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_the_untouched_example_misses_nothing_in_french_and_russian(example: Path,
                                                                      language: str) -> None:
    """Its French and Russian versions build: nothing is missing. What is left is a source's
    short name written once ("ANAMA"), which those versions print as written."""
    assert status_missing(example, language) == build_complaints(example, language) == set()
    _, _, [status] = translation_status(Path(example.name), [language])
    assert sorted(text.field.key for text in status.untranslated) == [
        "sources[newsaz-2023].short", "sources[undp-2024].short"]


def test_a_new_language_of_the_example_misses_what_its_build_stops_on(example: Path) -> None:
    add_audience(example, AZ_AUDIENCE)
    complaints = build_complaints(example, "az")
    fields = {field for _, field in complaints}
    # The chart's texts are among them: the first thing a translator was never given.
    assert {"charts 'who-pays'.categories[0]", "charts 'who-pays'.categories[1]",
            "charts 'who-pays'.title"} <= fields
    assert status_missing(example, "az") == complaints


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_the_second_brief_misses_in_each_language_what_its_build_stops_on(
        second_brief: Path, language: str) -> None:
    complaints = build_complaints(second_brief, language)
    assert any("categories" in field for _, field in complaints)
    assert status_missing(second_brief, language) == complaints


# ---------------------------------------------------------------------------------------------
# Only what a version in the language prints


def test_texts_an_audience_replaces_or_hides_are_not_offered(example: Path) -> None:
    """The only Azerbaijani audience has its own summary and shows no chart: the brief's
    summary and the chart's texts are not offered, and not missing."""
    add_audience(example, AZ_AUDIENCE + "    summary: {en: Our own summary., az: Öz xülasəmiz.}\n"
                 "    charts: []\n")
    document = load_spec(Path(example.name))
    spec = validate_spec(document)
    template = load_template(spec.brief.template, example)
    keys = {text.field.key for text in texts_for_language(spec, document, template, "az")}
    assert "summary" not in keys and not any(key.startswith("charts") for key in keys)
    assert "asks[0].detail" in keys and "audiences[az].summary" in keys
    assert status_missing(example, "az") == build_complaints(example, "az")


def test_a_language_without_a_version_yet_is_offered_the_brief_s_own_texts(
        example: Path) -> None:
    document = load_spec(Path(example.name))
    spec = validate_spec(document)
    template = load_template(spec.brief.template, example)
    keys = {text.field.key for text in texts_for_language(spec, document, template, "az")}
    assert {"summary", "charts[who-pays].categories[0]", "stats[mines].label",
            "quotes[0].translation", "sources[newsaz-2023].short"} <= keys
    # Not another audience's own line, nor the label of a figure cited only in sentences.
    assert "audiences[eu].intro" not in keys and "stats[displaced].label" not in keys


# ---------------------------------------------------------------------------------------------
# Every text the build asks per language is one the translation knows


@pytest.mark.parametrize("spec_path", [EXAMPLE_SPEC, SECOND_BRIEF],
                         ids=["example", "second brief"])
def test_every_text_printed_per_language_is_a_translatable_field(spec_path: Path) -> None:
    """A field added to the models and printed per language is offered to translators: no
    text the build prints with one text per language is unknown to `localized_fields`, but
    a speaker's name, which is spelt per script rather than translated."""
    document = load_spec(spec_path)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, spec_path)
    known = {field.path for field in localized_fields(spec)}
    versions = range(len(spec.audiences)) if spec.audiences else [None]
    for index in versions:
        printed: list[PrintedText] = []
        with suppress(SpecError):  # a text missing in a version: its texts were read
            resolve_brief(spec, template, document, index, printed=printed)
        per_language = {text.origin for text in printed
                        if isinstance(text.value, dict) and text.origin[-1] != "speaker"}
        assert per_language <= known, per_language - known
