"""Validation error catalogue: small bad specs and the exact lines briefgen prints for them.

Each case edits tests/specs/minimal.yaml (optionally with the STATS block appended). Line
numbers in the expected messages are lines of that edited text; the first lines of
minimal.yaml are: 2 `brief:`, 3 `id:`, 4 `title:`, 5 `date:`, 6 `event:`, 9 `start:`,
13 `summary:`, 15 `asks:`. STATS starts at line 19 (`stats:`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import BaseModel

from briefgen.errors import SpecError
from briefgen.spec.includes import load_spec
from briefgen.spec.loader import load_yaml
from briefgen.spec.models import BriefHeader, BriefSpec
from briefgen.spec.validate import validate_spec, validate_spec_by_audience
from tests.support import MINIMAL_TEXT, replace_once

STATS = """
stats:
  - id: mines
    value: 1500000
    label: landmines
    source: gov-2025
  - id: share
    value: 5
    format: percent
    label: of the budget
    source: news-2023
sources:
  - id: gov-2025
    title: Report
    publisher: Ministry
  - id: news-2023
    title: Article
    publisher: News
"""
WITH_STATS = MINIMAL_TEXT + STATS
ASK_DETAIL = "    detail: Support survey and clearance teams where families plan to return.\n"


def keys_of(model: type[BaseModel]) -> list[str]:
    """The keys a spec may use in a mapping of this model, as written in YAML."""
    return [field.alias or name for name, field in model.model_fields.items()]


def edit(base: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        base = replace_once(base, old, new)
    return base


CATALOGUE: list[tuple[str, str, list[str]]] = [
    ("misspelt-top-level-key",
     edit(MINIMAL_TEXT, ("summary:", "sumary:")),
     ["spec.yaml:2:1: summary: required field is missing",
      "    hint: add summary: under the top level",
      "spec.yaml:13:1: sumary: unknown key 'sumary'",
      "    hint: did you mean 'summary'?"]),
    ("misspelt-nested-required-key",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24", "  detial: 2025-03-24")),
     ["spec.yaml:2:1: brief.date: required field is missing",
      "    hint: add date: under brief",
      "spec.yaml:5:3: brief.detial: unknown key 'detial'",
      "    hint: did you mean 'date'?"]),
    ("misspelt-nested-optional-key",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24", "  date: 2025-03-24\n  subtitel: Note")),
     ["spec.yaml:6:3: brief.subtitel: unknown key 'subtitel'",
      "    hint: did you mean 'subtitle'?"]),
    ("unknown-key-without-a-near-name",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24", "  date: 2025-03-24\n  colour: red")),
     ["spec.yaml:6:3: brief.colour: unknown key 'colour'",
      f"    hint: allowed here: {', '.join(keys_of(BriefHeader))}"]),
    ("missing-required-field-points-at-parent",
     edit(MINIMAL_TEXT, ("    place: Geneva\n", "")),
     ["spec.yaml:6:3: brief.event.place: required field is missing",
      "    hint: add place: under brief.event"]),
    ("impossible-date",
     edit(MINIMAL_TEXT, ("2025-03-24", "2025-13-40")),
     ["spec.yaml:5:9: brief.date: expected a real date",
      "    hint: write it as YYYY-MM-DD, e.g. 2025-04-09 (and check the day exists)"]),
    ("number-written-as-a-word",
     edit(WITH_STATS, ("value: 1500000", "value: lots")),
     ["spec.yaml:21:12: stats 'mines'.value: expected a number",
      "    hint: write digits only, e.g. 1500000 or 13.4"]),
    ("boolean-that-is-neither",
     edit(WITH_STATS, ("    source: gov-2025", "    source: gov-2025\n    featured: maybe")),
     ["spec.yaml:24:15: stats 'mines'.featured: expected true or false"]),
    ("unknown-stat-source-with-suggestion",
     edit(WITH_STATS, ("source: gov-2025", "source: gov-2052")),
     ["spec.yaml:23:13: stats 'mines'.source: no source with id 'gov-2052' in sources "
      "(known: gov-2025, news-2023)",
      "    hint: did you mean 'gov-2025'? (check that it is the same source)"]),
    ("unknown-stat-source-without-suggestion",
     edit(WITH_STATS, ("source: gov-2025", "source: hrw-2024")),
     ["spec.yaml:23:13: stats 'mines'.source: no source with id 'hrw-2024' in sources "
      "(known: gov-2025, news-2023)",
      "    hint: add an entry with id: hrw-2024 to sources, or correct the id"]),
    ("citation-of-unknown-stat-in-summary",
     edit(WITH_STATS, ("We ask donors", "About [@nope] donors")),
     ["spec.yaml:13:70: summary: no figure with id 'nope' in stats (known: mines, share)",
      "    hint: cite a figure as [@id] with the id of an entry in stats"]),
    ("citation-without-any-stats",
     edit(MINIMAL_TEXT, ("We ask donors", "About [@nope] donors")),
     ["spec.yaml:13:70: summary: no figure with id 'nope' in stats (known: none)",
      "    hint: cite a figure as [@id] with the id of an entry in stats"]),
    ("javascript-link",
     edit(MINIMAL_TEXT, ("We ask donors", "[Click here](javascript:alert) donors")),
     ["spec.yaml:13:64: summary: link address 'javascript:alert' is not allowed",
      "    hint: links must start with https://, http:// or mailto:"]),
    ("javascript-link-in-an-ask",
     edit(MINIMAL_TEXT, ("Support survey", "See [this](javascript:void) survey")),
     ["spec.yaml:17:17: asks[0].detail: link address 'javascript:void' is not allowed",
      "    hint: links must start with https://, http:// or mailto:"]),
    ("duplicate-stat-ids",
     edit(WITH_STATS, ("  - id: share", "  - id: mines")),
     ["spec.yaml:24:9: stats 'mines'.id: duplicate id 'mines' (also defined at line 20)",
      "    hint: give each entry its own id"]),
    ("event-ends-before-it-starts",
     edit(MINIMAL_TEXT, ("    start: 2025-04-09", "    start: 2025-04-09\n    end: 2025-04-01")),
     ["spec.yaml:10:10: brief.event.end: the event ends before it starts",
      "    hint: check the start and end dates"]),
    ("page-size-a5",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24", "  date: 2025-03-24\n  page: A5")),
     ["spec.yaml:6:9: brief.page: expected one of 'A4' or 'Letter'"]),
    ("id-with-capitals-and-spaces",
     edit(MINIMAL_TEXT, ("id: minimal-brief", "id: Minimal Brief")),
     ["spec.yaml:3:7: brief.id: has the wrong form",
      "    hint: use lower-case letters, digits and hyphens, e.g. minimal-brief"]),
    ("empty-title",
     edit(MINIMAL_TEXT, ("title: Clearance lets families go home", 'title: ""')),
     ["spec.yaml:4:10: brief.title: must not be empty",
      "    hint: write some text here"]),
    ("no-asks",
     edit(MINIMAL_TEXT, ("asks:\n  - headline: Fund clearance\n", "asks: []\nx:\n  - headline: F\n")),
     ["spec.yaml:15:7: asks: needs at least 1 item(s)",
      "spec.yaml:16:1: x: unknown key 'x'",
      f"    hint: allowed here: {', '.join(keys_of(BriefSpec))}"]),
    ("two-problems-reported-at-once-in-file-order",
     edit(WITH_STATS, ("source: gov-2025", "source: hrw-2024"), ("2025-03-24", "2025-13-40")),
     ["spec.yaml:5:9: brief.date: expected a real date",
      "    hint: write it as YYYY-MM-DD, e.g. 2025-04-09 (and check the day exists)",
      "spec.yaml:23:13: stats 'mines'.source: no source with id 'hrw-2024' in sources "
      "(known: gov-2025, news-2023)",
      "    hint: add an entry with id: hrw-2024 to sources, or correct the id"]),
    ("amount-given-twice",
     edit(WITH_STATS, (ASK_DETAIL,
                       ASK_DETAIL + "    amount: {stat: mines, value: 5, currency: EUR}\n")),
     ["spec.yaml:18:13: asks[0].amount: give the amount as stat: (the id of a figure in stats) "
      "or as value: with currency:, not both"]),
    ("amount-without-currency",
     edit(WITH_STATS, (ASK_DETAIL, ASK_DETAIL + "    amount: {value: 5000000}\n")),
     ["spec.yaml:18:13: asks[0].amount: a typed amount needs its currency:, e.g. currency: EUR"]),
    ("amount-from-a-stat-with-its-own-currency",
     edit(WITH_STATS, (ASK_DETAIL, ASK_DETAIL + "    amount: {stat: mines, currency: EUR}\n")),
     ["spec.yaml:18:13: asks[0].amount: currency: comes from the stat 'mines'; give it there, "
      "or type the amount as value:"]),
    ("amount-currency-in-words",
     edit(WITH_STATS, (ASK_DETAIL, ASK_DETAIL + "    amount: {value: 5, currency: euro}\n")),
     ["spec.yaml:18:34: asks[0].amount.currency: has the wrong form",
      "    hint: write the currency's three-letter code in capitals, e.g. EUR, USD, CHF"]),
    ("amount-of-an-unknown-stat",
     edit(WITH_STATS, (ASK_DETAIL, ASK_DETAIL + "    amount: {stat: mine, requested: true}\n")),
     ["spec.yaml:18:20: asks[0].amount.stat: no figure with id 'mine' in stats (known: mines, "
      "share)",
      "    hint: did you mean 'mines'?"]),
    ("amount-from-an-unknown-source",
     edit(WITH_STATS, (ASK_DETAIL, ASK_DETAIL + "    amount: {value: 5, currency: EUR, "
                       "source: hrw-2024}\n")),
     ["spec.yaml:18:47: asks[0].amount.source: no source with id 'hrw-2024' in sources (known: "
      "gov-2025, news-2023)",
      "    hint: add an entry with id: hrw-2024 to sources, or correct the id"]),
    ("not-a-mapping",
     "- brief\n- summary\n",
     ["spec.yaml:1:1: a spec must be a mapping of keys (brief:, summary:, asks:, ...)"]),
]


@pytest.fixture
def validate_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], BriefSpec]:
    monkeypatch.chdir(tmp_path)

    def validate(text: str) -> BriefSpec:
        path = Path("spec.yaml")
        path.write_text(text, encoding="utf-8")
        return validate_spec(load_yaml(path))

    return validate


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in CATALOGUE],
                         ids=[case[0] for case in CATALOGUE])
def test_error_catalogue(validate_text: Callable[[str], BriefSpec], text: str,
                         expected: list[str]) -> None:
    with pytest.raises(SpecError) as caught:
        validate_text(text)
    assert str(caught.value).splitlines() == expected


def test_catalogue_base_specs_are_valid(validate_text: Callable[[str], BriefSpec]) -> None:
    """The catalogue's errors come from its edits, not from a broken base spec."""
    spec = validate_text(WITH_STATS)
    assert [stat.id for stat in spec.stats] == ["mines", "share"]
    assert validate_text(MINIMAL_TEXT).brief.id == "minimal-brief"


def test_every_problem_is_one_located_line_sorted_by_line(
        validate_text: Callable[[str], BriefSpec]) -> None:
    text = edit(WITH_STATS, ("  date: 2025-03-24", "  detial: 2025-03-24\n  page: A5"),
                ("value: 5", "value: five"), ("source: news-2023", "source: newz-2023"),
                ("We ask donors", "See [@nope] and [x](ftp://files.example) donors"))
    with pytest.raises(SpecError) as caught:
        validate_text(text)
    problems = caught.value.problems
    located = [line for line in str(caught.value).splitlines() if not line.startswith("    ")]
    assert len(located) == len(problems) >= 5
    positions = [(problem.location.line, problem.location.column)  # type: ignore[union-attr]
                 for problem in problems]
    assert positions == sorted(positions)
    fields = {problem.field for problem in problems}
    assert {"brief.detial", "brief.page", "stats 'share'.value"} <= fields


def test_yaml_11_surprises_are_typed_by_the_schema(validate_text: Callable[[str], BriefSpec]
                                                    ) -> None:
    """`no`, `01234`, `12:30` and `1e3` stay the text typed where the schema wants text."""
    text = edit(MINIMAL_TEXT, ("title: Clearance lets families go home", "title: 12:30"),
                ("  date: 2025-03-24", "  date: 2025-03-24\n  subtitle: 1e3"),
                ("organization: Example Coalition", "organization: no"),
                ("name: MASG meeting", "name: 01234"))
    spec = validate_text(text)
    assert spec.brief.title == "12:30"
    assert spec.brief.subtitle == "1e3"
    assert spec.brief.from_.organization == "no"
    assert spec.brief.event.name == "01234"


def test_stats_and_dates_are_typed(validate_text: Callable[[str], BriefSpec]) -> None:
    spec = validate_text(edit(WITH_STATS, ("    source: gov-2025",
                                           "    source: gov-2025\n    featured: false")))
    assert spec.stats[0].value == 1_500_000
    assert spec.stats[0].featured is False
    assert spec.brief.date.isoformat() == "2025-03-24"


def test_an_optional_field_left_empty_counts_as_absent(
        validate_text: Callable[[str], BriefSpec]) -> None:
    """Copied briefs often keep a key with no value (`end:`) or `~` for "none"."""
    spec = validate_text(edit(MINIMAL_TEXT,
                              ("    start: 2025-04-09", "    start: 2025-04-09\n    end:"),
                              ("  date: 2025-03-24", "  date: 2025-03-24\n  subtitle: ~")))
    assert spec.brief.event.end is None
    assert spec.brief.subtitle is None


# ---------------------------------------------------------------------------------------------
# An unknown citation is located at the citation itself, however its text was written in YAML.
# (summary: is line 13 of minimal.yaml; the texts below replace that line.)

SUMMARY_LINE = ("summary: Landmines still block the way home for many families. We ask donors "
                "to fund clearance.\n")
CITATION_PLACES = [
    ("plain-one-line",
     "summary: Landmines block the way home for [@nope] families.\n", (13, 43)),
    ("plain-folded-over-lines",
     "summary: Landmines block\n  the way home for\n      [@nope] families.\n", (15, 7)),
    ("folded-block",
     "summary: >-\n  Landmines block the way\n  home for [@nope] families.\n", (15, 12)),
    ("folded-block-with-a-comment-on-its-first-line",
     "summary: >-  # the bottom line\n  Landmines [@nope] block the way home.\n", (14, 13)),
    ("literal-block",
     "summary: |\n  Landmines block the way home\n    for [@nope] families.\n", (15, 9)),
    ("single-quoted-with-a-doubled-quote",
     "summary: 'It''s a long way home for [@nope] families.'\n", (13, 37)),
    ("double-quoted",
     'summary: "Landmines block the way home for [@nope] families."\n', (13, 44)),
    ("per-language",
     "summary:\n  en: Landmines block the way home.\n  fr: Les mines bloquent [@nope].\n",
     (15, 26)),
    # Escapes make the typed text differ from the value: the scalar's start, honestly.
    ("double-quoted-with-escapes",
     'summary: "Landmines \\"still\\" block the way home for [@nope] families."\n', (13, 10)),
    ("not-in-nfc",
     "summary: Caf\u0065\u0301 owners and [@nope] families.\n", (13, 10)),
]


@pytest.mark.parametrize(("summary", "place"), [case[1:] for case in CITATION_PLACES],
                         ids=[case[0] for case in CITATION_PLACES])
def test_an_unknown_citation_points_at_its_own_line_and_column(
        validate_text: Callable[[str], BriefSpec], summary: str, place: tuple[int, int]) -> None:
    text = edit(WITH_STATS, (SUMMARY_LINE, summary))
    with pytest.raises(SpecError) as caught:
        validate_text(text)
    location = caught.value.problems[0].location
    assert (location.line, location.column) == place  # type: ignore[union-attr]
    assert caught.value.problems[0].message.startswith("no figure with id 'nope'")
    line, column = place
    typed = text.splitlines()[line - 1][column - 1:]
    assert typed.startswith("[@nope]") or column == 10


def test_each_unknown_citation_is_located_and_an_escaped_one_is_text(
        validate_text: Callable[[str], BriefSpec]) -> None:
    text = edit(WITH_STATS, (SUMMARY_LINE, "summary: >-\n  A \\[@nope] sign, [@nope] and\n"
                                           "  [@+nope] again.\n"))
    with pytest.raises(SpecError) as caught:
        validate_text(text)
    assert [(problem.location.line, problem.location.column)  # type: ignore[union-attr]
            for problem in caught.value.problems] == [(14, 20), (15, 3)]


def test_a_mistyped_citation_across_lines_points_at_its_start(
        validate_text: Callable[[str], BriefSpec]) -> None:
    text = edit(WITH_STATS, (SUMMARY_LINE, "summary: >-\n  Landmines [@\n  mines] block roads.\n"))
    with pytest.raises(SpecError) as caught:
        validate_text(text)
    assert str(caught.value).splitlines()[0] == (
        "spec.yaml:14:13: summary: '[@ mines]' looks like a figure citation but is not one; it "
        "would be printed as typed")


def test_a_cited_source_must_exist(validate_text: Callable[[str], BriefSpec]) -> None:
    text = edit(WITH_STATS, ("We ask donors", "The treaty binds donors[^treaty] and we ask them"))
    with pytest.raises(SpecError) as caught:
        validate_text(text)
    assert str(caught.value).splitlines() == [
        "spec.yaml:13:87: summary: no source with id 'treaty' in sources (known: gov-2025, "
        "news-2023)",
        "    hint: cite a source as [^id] with the id of an entry in sources"]
    spec = validate_text(edit(WITH_STATS, ("We ask donors", "Donors[^gov-2025] ask")))
    assert "[^gov-2025]" in spec.summary  # type: ignore[operator]


def test_a_source_is_named_by_its_id(validate_text: Callable[[str], BriefSpec]) -> None:
    text = edit(WITH_STATS, ("    publisher: News\n", "    publisher: News\n    url: news.example\n"))
    with pytest.raises(SpecError) as caught:
        validate_text(text)
    assert str(caught.value).splitlines()[0] == (
        "spec.yaml:36:10: sources 'news-2023'.url: has the wrong form")


AUDIENCE_QUOTES = """audiences:
  - id: jp
    name: Japan delegation
    quotes:
      - text: Clearance is development.
        speaker: A minister
        source: nowhere
    sections: []
"""


def test_an_audience_quote_must_name_a_known_source(
        validate_text: Callable[[str], BriefSpec]) -> None:
    with pytest.raises(SpecError) as caught:
        validate_text(WITH_STATS + AUDIENCE_QUOTES)
    assert str(caught.value).splitlines()[0] == (
        "spec.yaml:42:17: audiences[0].quotes[0].source: no source with id 'nowhere' in sources "
        "(known: gov-2025, news-2023)")
    spec = validate_text(WITH_STATS + AUDIENCE_QUOTES.replace("nowhere", "gov-2025"))
    assert spec.audiences[0].quotes is not None and spec.audiences[0].sections == []


def test_a_broken_audience_keeps_what_was_recorded_about_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Removing a broken audience keeps every other position: where each text was typed and
    cut by a '#', and the names of fact-file entries."""
    monkeypatch.chdir(tmp_path)
    Path("facts.yaml").write_text(STATS, encoding="utf-8")
    text = edit(MINIMAL_TEXT, ("  date: 2025-03-24", "  date: 2025-03-24\n  include: [facts.yaml]"),
                ("We ask donors", "Join #MineFree. We ask donors"))
    text += ("audiences:\n  - id: broken\n    name: Broken\n    page: A5\n"
             "  - id: fine\n    name: Fine\n    intro: See [@nope] here.\n")
    Path("spec.yaml").write_text(text, encoding="utf-8")
    document = load_spec(Path("spec.yaml"))
    with pytest.raises(SpecError) as caught:
        validate_spec_by_audience(document)
    # The remaining audience's error is located inside its text, so positions survived.
    assert str(caught.value).splitlines()[0].startswith("spec.yaml:25:16: audiences[0].intro: ")
    fixed = text.replace("[@nope]", "[@mines]")
    Path("spec.yaml").write_text(fixed, encoding="utf-8")
    document = load_spec(Path("spec.yaml"))
    _, cleaned, failures = validate_spec_by_audience(document)
    assert [failure.audience_id for failure in failures] == ["broken"]
    assert cleaned.trailing_comments == document.trailing_comments
    assert cleaned.local_names == document.local_names
    assert cleaned.scalars[("audiences", 0, "intro")] == document.scalars[
        ("audiences", 1, "intro")]
