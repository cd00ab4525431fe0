"""`briefgen check`: every rule, triggered by a small spec, with the exact line it prints.

Each case edits tests/specs/minimal.yaml, usually with FACTS appended. Line numbers in the
expected lines are lines of that edited text, written by hand: minimal.yaml has 2 `brief:`,
3 `id:`, 4 `title:`, 5 `date:`, 6 `event:`, 8 `place:`, 13 `summary:` (its text starts in column
10), 15 `asks:`, 17 the last line. FACTS (below) starts at line 18 with `stats:`.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from briefgen.cli import app
from tests.support import (
    EXAMPLE_SPEC,
    FACTS_TEXT,
    FOUR_FIGURES,
    MINIMAL_TEXT,
    ROOT,
    filler_words,
    replace_once,
)

runner = CliRunner()
Check = Callable[..., Result]

# Lines 18-29 of MINIMAL_TEXT + FACTS. Together they pass every rule.
FACTS = FACTS_TEXT
WITH_FACTS = MINIMAL_TEXT + FACTS


def edit(base: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        base = replace_once(base, old, new)
    return base


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Check:
    """Write `text` to spec.yaml in a fresh working folder and run `briefgen check` on it."""
    monkeypatch.chdir(tmp_path)

    def run(text: str, *options: str) -> Result:
        Path("spec.yaml").write_text(text, encoding="utf-8")
        return runner.invoke(app, ["check", "spec.yaml", *options])

    return run


def problem_lines(result: Result) -> list[str]:
    """The located lines `check` printed, without the hint lines under them."""
    return [line for line in result.stdout.splitlines() if not line.startswith("    ")]


def first_line(result: Result) -> str:
    lines = problem_lines(result)
    assert lines, f"check printed no problem (exit {result.exit_code}):\n{result.output}"
    return lines[0]


def test_the_base_specs_pass_every_rule(check: Check) -> None:
    """The cases' problems come from their edits, not from a broken base."""
    for text in (MINIMAL_TEXT, WITH_FACTS):
        result = check(text)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert result.stderr == "1 spec checked: 0 errors, 0 warnings\n"


# (case id, spec text, exact first line, exit code)
CASES: list[tuple[str, str, str, int]] = [
    ("unknown-key",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24\n", "  subtitel: Briefing note\n  date: 2025-03-24\n")),
     "spec.yaml:5:3: error: unknown-key: brief.subtitel: unknown key 'subtitel'", 1),
    ("missing-field",
     edit(MINIMAL_TEXT, ("    place: Geneva\n", "")),
     "spec.yaml:6:3: error: missing-field: brief.event.place: required field is missing", 1),
    ("invalid-value",
     edit(MINIMAL_TEXT, ("date: 2025-03-24", "date: 2025-13-01")),
     "spec.yaml:5:9: error: invalid-value: brief.date: expected a real date", 1),
    ("unknown-source",
     edit(WITH_FACTS, ("    source: gov-2024", "    source: hrw-2024")),
     "spec.yaml:22:13: error: unknown-source: stats 'mines'.source: no source with id 'hrw-2024' in "
     "sources (known: gov-2024)", 1),
    ("unknown-figure-in-summary",
     edit(WITH_FACTS, ("We ask donors", "About [@nope] donors")),
     "spec.yaml:13:70: error: unknown-figure: summary: no figure with id 'nope' in stats "
     "(known: mines)", 1),
    ("unknown-figure-in-audience-stats",
     WITH_FACTS + "audiences:\n  - id: us\n    name: United States delegation\n"
                  "    stats: [nope]\n",
     "spec.yaml:33:13: error: unknown-figure: audiences[0].stats[0]: no figure with id 'nope' "
     "in stats (known: mines)", 1),
    ("duplicate-id",
     edit(WITH_FACTS, ("sources:\n", "  - id: mines\n    value: 5\n    label: other\n"
                                     "    source: gov-2024\nsources:\n")),
     "spec.yaml:24:9: error: duplicate-id: stats 'mines'.id: duplicate id 'mines' (also defined "
     "at line 19)", 1),
    ("unsafe-link-in-a-section-heading",
     MINIMAL_TEXT + "sections:\n  - heading: Why [now](javascript:alert) matters\n"
                    "    body: Because.\n",
     "spec.yaml:19:18: error: unsafe-link: sections[0].heading: link address 'javascript:alert' "
     "is not allowed", 1),
    ("anachronism-of-a-figure",
     edit(WITH_FACTS, ("    as_of: 2025-01-27", "    as_of: 2025-03-25")),
     "spec.yaml:23:12: error: anachronism: stats 'mines'.as_of: dated 2025-03-25, after the brief "
     "itself (2025-03-24)", 1),
    ("anachronism-of-a-source",
     edit(WITH_FACTS, ("    date: 2025-01-27", "    date: 2025-04-01")),
     "spec.yaml:28:11: error: anachronism: sources 'gov-2024'.date: dated 2025-04-01, after the "
     "brief itself (2025-03-24)", 1),
    # 2023-03-01 to the event on 2025-04-09: 25 whole months.
    ("stale-figure",
     edit(WITH_FACTS, ("    as_of: 2025-01-27", "    as_of: 2023-03-01")),
     "spec.yaml:23:12: warning: stale-figure: stats 'mines'.as_of: figure is 25 months old at the "
     "event (limit: 24)", 0),
    # 2024-09-01 to 2025-04-09: 7 whole months, over a limit of 6 (the line moves down by one).
    ("stale-figure-with-a-shorter-limit",
     edit(WITH_FACTS, ("  date: 2025-03-24\n", "  date: 2025-03-24\n  stale_after_months: 6\n"),
          ("    as_of: 2025-01-27", "    as_of: 2024-09-01")),
     "spec.yaml:24:12: warning: stale-figure: stats 'mines'.as_of: figure is 7 months old at the "
     "event (limit: 6)", 0),
    ("source-without-url",
     edit(WITH_FACTS, ("    url: https://example.org/report\n", "")),
     "spec.yaml:25:5: warning: source-incomplete: sources 'gov-2024': source 'gov-2024' has no url", 0),
    ("source-without-date",
     edit(WITH_FACTS, ("    date: 2025-01-27\n", "")),
     "spec.yaml:25:5: warning: source-incomplete: sources 'gov-2024': source 'gov-2024' has no "
     "date", 0),
    ("source-without-date-and-url",
     edit(WITH_FACTS, ("    date: 2025-01-27\n    url: https://example.org/report\n", "")),
     "spec.yaml:25:5: warning: source-incomplete: sources 'gov-2024': source 'gov-2024' has no "
     "date and no url", 0),
    ("unused-source",
     WITH_FACTS + "  - id: old-report\n    title: Old report\n    publisher: Agency\n"
                  "    date: 2024-01-01\n    url: https://example.org/old\n",
     "spec.yaml:30:9: warning: unused-source: sources 'old-report'.id: source 'old-report' is "
     "not cited, so it is not printed", 0),
    ("quote-consent",
     MINIMAL_TEXT + "quotes:\n  - text: We want to go home.\n    speaker: A resident\n",
     "spec.yaml:19:5: warning: quote-consent: quotes[0]: no consent recorded for the quote by "
     "A resident, so the versions that print it are drafts", 0),
    ("font-coverage",
     edit(MINIMAL_TEXT, ("We ask donors", "We ask 你 donors")),
     "spec.yaml:13:10: error: font-coverage: summary: the font Carlito cannot draw '你' (U+4F60)",
     1),
    ("language-tag-that-is-not-a-tag",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24\n", "  date: 2025-03-24\n  language: xx-!!\n")),
     "spec.yaml:6:13: error: invalid-value: brief.language: has the wrong form", 1),
    ("unknown-language",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24\n", "  date: 2025-03-24\n  language: qq\n")),
     "spec.yaml:6:13: error: language: brief.language: unknown language code 'qq'", 1),
    ("right-to-left-language",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24\n", "  date: 2025-03-24\n  language: ar\n")),
     "spec.yaml:6:13: error: language: brief.language: 'ar' is written right to left, which "
     "briefgen cannot lay out yet", 1),
    ("language-without-labels",
     edit(MINIMAL_TEXT, ("  date: 2025-03-24\n", "  date: 2025-03-24\n  language: de\n")),
     "spec.yaml:6:13: warning: language: brief.language: the one-pager template has no labels "
     "in 'de'; headings will be in English", 0),
    ("language-of-an-audience",
     MINIMAL_TEXT + "audiences:\n  - id: gulf\n    name: Gulf delegations\n    language: ar\n",
     "spec.yaml:21:15: error: language: audiences[0].language: 'ar' is written right to left, "
     "which briefgen cannot lay out yet", 1),
]


@pytest.mark.parametrize(("text", "expected", "exit_code"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_rule_prints_its_exact_line(check: Check, text: str, expected: str,
                                    exit_code: int) -> None:
    result = check(text)
    assert first_line(result) == expected, result.stdout
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output


def test_a_problem_is_followed_by_its_hint(check: Check) -> None:
    result = check(edit(WITH_FACTS, ("    as_of: 2025-01-27", "    as_of: 2025-03-25")))
    assert result.stdout.splitlines() == [
        "spec.yaml:23:12: error: anachronism: stats 'mines'.as_of: dated 2025-03-25, after the brief "
        "itself (2025-03-24)",
        "    hint: a brief cannot cite what was published after it: use the figure available at "
        "the time, or correct the date",
    ]
    assert result.stderr == "1 spec checked: 1 error, 0 warnings\n"


def test_a_figure_exactly_at_the_limit_is_not_stale(check: Check) -> None:
    # 2023-04-09 to 2025-04-09: 24 months, not more than 24.
    result = check(edit(WITH_FACTS, ("    as_of: 2025-01-27", "    as_of: 2023-04-09")))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


# Words of running text in MINIMAL_TEXT outside the summary: "Fund clearance" (2) and
# "Support survey and clearance teams where families plan to return." (10).
ASK_WORDS = 12


def with_words(summary_words: int, section_words: int = 0) -> str:
    """MINIMAL_TEXT whose running text has 12 + summary_words + section_words (+2) words."""
    text = edit(MINIMAL_TEXT, (
        "summary: Landmines still block the way home for many families. We ask donors to fund "
        "clearance.", "summary: " + " ".join(["aa"] * summary_words)))
    if section_words:
        text += "sections:\n  - heading: Why now\n    body: " + " ".join(["bb"] * section_words)
        text += "\n"
    return text


@pytest.mark.parametrize(("text", "expected"), [
    (with_words(650 - ASK_WORDS), None),
    (with_words(651 - ASK_WORDS),
     "spec.yaml:13:10: warning: word-count: summary: 651 words of running text; aim for at most "
     "650"),
    # 600 + 12 + "Why now" (2) + 137 = 751
    (with_words(600, 137),
     "spec.yaml:13:10: error: word-count: summary: 751 words of running text; the one-pager "
     "template allows at most 750"),
], ids=["650-words", "651-words", "751-words"])
def test_word_count(check: Check, text: str, expected: str | None) -> None:
    """Word-count problems are located at the summary. (So much text may also not fit: the fit
    problem, which has no line, is not what this test is about.)"""
    lines = [line for line in problem_lines(check(text)) if ": word-count: " in line]
    assert lines == ([expected] if expected else [])


def test_word_count_names_the_longest_version(check: Check) -> None:
    text = with_words(600) + ("audiences:\n  - id: short\n    name: Short version\n"
                              "  - id: long\n    name: Long version\n    intro: "
                              + " ".join(["cc"] * 50) + "\n")
    lines = [line for line in problem_lines(check(text)) if ": word-count: " in line]
    # 600 + 12 + 50 = 662 words in the version for "long", whose entry starts on line 21.
    assert lines == ["spec.yaml:21:5: warning: word-count: audiences[1]: 662 words of running "
                     "text (version for long); aim for at most 650"]


def low_contrast_template(folder: Path) -> tuple[int, int]:
    """Copy the shipped one-pager to folder/templates/low-contrast with a pale headline colour;
    returns the line and column of that colour in the copy's template.yaml."""
    copy = folder / "templates" / "low-contrast"
    shutil.copytree(ROOT / "templates" / "one-pager", copy)
    design = copy / "template.yaml"
    pale = '"#999999"'
    text = design.read_text(encoding="utf-8")
    old = re.search(r"^  headline: .*?color: (accent)", text, re.MULTILINE)
    assert old, "the shipped template has no headline style in accent"
    text = text[:old.start(1)] + pale + text[old.end(1):]
    design.write_text(text, encoding="utf-8")
    line = text[:old.start(1)].count("\n") + 1
    column = old.start(1) - text.rfind("\n", 0, old.start(1))
    return line, column


def test_contrast(check: Check, tmp_path: Path) -> None:
    """#999999 on white: luminance ((0.6 + 0.055) / 1.055) ** 2.4 = 0.3186, so the ratio is
    1.05 / 0.3686 = 2.8. The problem points at the colour in the template's own file."""
    line, column = low_contrast_template(tmp_path)
    result = check(edit(MINIMAL_TEXT, ("  date: 2025-03-24\n",
                                       "  date: 2025-03-24\n  template: low-contrast\n")))
    assert problem_lines(result) == [
        f"templates/low-contrast/template.yaml:{line}:{column}: error: contrast: "
        "styles.headline.color: text colour #999999 on #FFFFFF has a contrast of 2.8:1; readers "
        "need at least 4.5:1"], result.stdout
    assert result.exit_code == 1


def overlong_text() -> str:
    """Too long for one page yet under 650 words: four key figures narrow the text column."""
    lines = MINIMAL_TEXT.rstrip("\n").split("\n")
    lines = lines[:lines.index("asks:") + 1]
    for index in range(5):
        lines += [f"  - headline: Ask number {index + 1}", f"    detail: {filler_words(52, index * 7)}"]
    lines.append("sections:")
    for index in range(4):
        lines += [f"  - heading: Section {index + 1}", f"    body: {filler_words(80, index * 11)}"]
    lines += FOUR_FIGURES.splitlines()
    return "\n".join(lines) + "\n"


def test_fit(check: Check) -> None:
    """The page as a whole is too long, so the problem names the file without a line."""
    result = check(overlong_text())
    assert re.fullmatch(
        r"spec\.yaml: error: fit: the brief does not fit on one page: \d+ pt too long \(about "
        r"\d+ lines? of body text\) even with the tightest spacing and smallest type allowed; "
        r"the left column is \d+ pt too long: asks \(5\), sections 'Section 1', 'Section 2', "
        r"'Section 3', 'Section 4'",
        first_line(result)), result.stdout
    assert [line for line in problem_lines(result) if ": word-count: " in line] == []
    assert "hint: shorten the longest parts: sections[" in result.stdout
    assert result.exit_code == 1


def test_every_problem_is_reported_at_once_in_file_order(check: Check) -> None:
    text = edit(WITH_FACTS, ("    as_of: 2025-01-27", "    as_of: 2023-03-01"),
                ("    url: https://example.org/report\n", ""))
    text += "quotes:\n  - text: We want to go home.\n    speaker: A resident\n"
    result = check(text)
    assert problem_lines(result) == [
        "spec.yaml:23:12: warning: stale-figure: stats 'mines'.as_of: figure is 25 months old at the "
        "event (limit: 24)",
        "spec.yaml:25:5: warning: source-incomplete: sources 'gov-2024': source 'gov-2024' has no url",
        "spec.yaml:30:5: warning: quote-consent: quotes[0]: no consent recorded for the quote by "
        "A resident, so the versions that print it are drafts",
    ]
    assert result.stderr == "1 spec checked: 0 errors, 3 warnings\n"
    assert result.exit_code == 0


def test_json_format(check: Check) -> None:
    text = edit(WITH_FACTS, ("    as_of: 2025-01-27", "    as_of: 2025-03-25"),
                ("    url: https://example.org/report\n", ""))
    result = check(text, "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert problems == [
        {"file": "spec.yaml", "line": 23, "column": 12, "severity": "error",
         "rule": "anachronism", "field": "stats 'mines'.as_of",
         "message": "dated 2025-03-25, after the brief itself (2025-03-24)",
         "hint": "a brief cannot cite what was published after it: use the figure available at "
                 "the time, or correct the date"},
        {"file": "spec.yaml", "line": 25, "column": 5, "severity": "warning",
         "rule": "source-incomplete", "field": "sources 'gov-2024'",
         "message": "source 'gov-2024' has no url",
         "hint": "readers check sources: give the publication date and address"},
    ]


def test_json_format_of_a_clean_spec_is_an_empty_list(check: Check) -> None:
    result = check(MINIMAL_TEXT, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_unknown_format_is_a_usage_error(check: Check) -> None:
    result = check(MINIMAL_TEXT, "--format", "xml")
    assert result.exit_code == 2
    assert "--format must be text or json" in result.stderr


def test_the_example_brief_passes() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLE_SPEC)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"1 spec checked: 0 errors, \d+ warnings?\n", result.stderr)
    assert " error: " not in result.stdout


# ---------------------------------------------------------------------------------------------
# build runs the same rules


def build(*arguments: str) -> Result:
    return runner.invoke(app, ["build", *arguments, "--out", "out", "--jobs", "1"])


def test_build_refuses_to_write_when_a_rule_finds_an_error(check: Check) -> None:
    check(edit(WITH_FACTS, ("    as_of: 2025-01-27", "    as_of: 2025-03-25")))
    result = build("spec.yaml")
    assert result.exit_code == 1
    assert ("spec.yaml:23:12: stats 'mines'.as_of: dated 2025-03-25, after the brief itself "
            "(2025-03-24)") in result.stderr.splitlines()
    assert "not built" in result.stderr
    assert not Path("out").exists()


def test_build_writes_when_there_are_only_warnings(check: Check) -> None:
    check(edit(WITH_FACTS, ("    url: https://example.org/report\n", "")))
    result = build("spec.yaml")
    assert result.exit_code == 0, result.output
    assert ("spec.yaml:25:5: warning: sources 'gov-2024': source 'gov-2024' has no url"
            in result.stderr.splitlines())
    assert sorted(path.name for path in Path("out", "minimal-brief").glob("[!.]*")) == [
        "2025-03-24_minimal-brief_en.docx", "2025-03-24_minimal-brief_en.pdf"]


@pytest.mark.parametrize(("value", "expected"), [
    ("0.13", "stats 'mines'.value: 0.13 would print as 0.1%; is it a fraction?"),
    ("0.004", "stats 'mines'.value: 0.004 would print as 0"),
])
def test_figures_that_would_print_misleadingly_are_warnings(check: Check, value: str,
                                                            expected: str) -> None:
    text = edit(WITH_FACTS, ("    value: 1500000", f"    value: {value}"))
    if value == "0.13":
        text = edit(text, ("    label: landmines", "    format: percent\n    label: landmines"))
    result = check(text)
    assert result.exit_code == 0
    assert any(line.endswith(expected) and ": warning: figure: " in line
               for line in problem_lines(result)), result.stdout


def test_text_cut_by_a_comment_is_a_warning(check: Check) -> None:
    result = check(edit(MINIMAL_TEXT, ("summary: Landmines", "summary: Join #MineFree now. Landmines")))
    assert problem_lines(result)[0] == (
        "spec.yaml:13:15: warning: comment: summary: the rest of this line, from '#', is a "
        "YAML comment and will not be printed")


@pytest.mark.parametrize("typo", ["[mines]", "[@mines", "@[mines]", "[@ mines]", "[@]"])
def test_a_mistyped_citation_is_an_error(check: Check, typo: str) -> None:
    result = check(edit(WITH_FACTS, ("fund clearance.", f"fund clearance, {typo} so far.")))
    assert result.exit_code == 1
    line = first_line(result)
    # The mistyped citation's own column: the summary's text starts in column 10.
    assert line.startswith("spec.yaml:13:97: error: unknown-figure: summary: ")
    assert "looks like a figure citation but is not one" in line


def test_language_tags_are_not_case_sensitive(check: Check) -> None:
    result = check(edit(MINIMAL_TEXT, ("  date: 2025-03-24", "  date: 2025-03-24\n  language: FR")))
    assert result.exit_code == 0, result.stdout
    assert "language" not in result.stdout


def test_a_version_in_another_language_with_untranslated_text_warns(check: Check) -> None:
    result = check(MINIMAL_TEXT + "audiences:\n  - id: ch\n    name: Suisse\n    language: fr\n")
    assert problem_lines(result)[0].startswith(
        "spec.yaml:21:15: warning: missing-translation: audiences[0].language: ")


def test_an_audience_s_empty_summary_is_the_brief_s_summary_to_check_too(check: Check) -> None:
    """`summary: {}` gives no text of the audience's own: its page prints the brief's
    summary, written once in English, so the French version is warned about it."""
    result = check(MINIMAL_TEXT + "audiences:\n  - id: ch\n    name: Suisse\n    language: fr\n"
                   "    summary: {}\n    asks:\n      - {headline: Agir, detail: Agir.}\n")
    assert "summary (line" in problem_lines(result)[0], result.output


FRENCH_QUOTE = ("quotes:\n  - text: Un enfant qui a faim n’apprend pas.\n    language: fr\n"
                "    speaker: A head teacher\n    consent: true\n")
VERSIONS = ("audiences:\n  - id: us\n    name: United States\n  - id: fr\n    name: France\n"
            "    language: fr\n  - id: az\n    name: Azərbaycan\n    language: az\n")


@pytest.mark.parametrize(("translation", "expected"), [
    ("    translation: {en: A hungry child does not learn.}\n",
     ["spec.yaml:19:18: warning: missing-translation: quotes[0].translation: the Azerbaijani "
      "version (az) prints the quote by A head teacher in French with no translation in "
      "Azerbaijani (given: en): the page would mix languages"]),
    ("    translation: A hungry child does not learn.\n",
     ["spec.yaml:19:18: warning: missing-translation: quotes[0].translation: the Azerbaijani "
      "version (az) prints the quote by A head teacher in French with only its English "
      "translation: the page would mix languages"]),
    ("", ["spec.yaml:18:15: warning: missing-translation: quotes[0].language: the English "
          "version (us) prints the quote by A head teacher in French with no translation in "
          "English: the page would mix languages",
          "spec.yaml:18:15: warning: missing-translation: quotes[0].language: the Azerbaijani "
          "version (az) prints the quote by A head teacher in French with no translation in "
          "Azerbaijani: the page would mix languages"]),
    ("    translation: {en: A hungry child does not learn., az: Ac uşaq öyrənmir.}\n", []),
])
def test_a_quote_without_a_translation_in_the_page_s_language_warns(
        check: Check, translation: str, expected: list[str]) -> None:
    """A quote spoken in French on the Azerbaijani page needs its Azerbaijani translation;
    the French page needs none."""
    text = edit(MINIMAL_TEXT, ("  title: Clearance", "  language: en\n  title: Clearance"))
    result = check(text.replace("\nasks:", "\n" + FRENCH_QUOTE.replace(
        "    speaker:", translation + "    speaker:") + "\nasks:", 1) + VERSIONS)
    quotes = [line for line in problem_lines(result) if "quote by" in line]
    assert quotes == expected, result.output
    if expected:
        assert "add  az: ...  under quotes[0].translation (or send it to a translator: " \
            "briefgen translate export spec.yaml --to az)" in result.output


# ---------------------------------------------------------------------------------------------
# Figures in sentences: prefixes, units and suffixes printed once


def with_affixes(*lines: str) -> str:
    """WITH_FACTS whose stat `mines` has the given extra lines (e.g. `prefix: "more than "`)."""
    return edit(WITH_FACTS, ("    label: landmines\n",
                             "    label: landmines\n" + "".join(f"    {line}\n" for line in lines)))


@pytest.mark.parametrize(("lines", "sentence", "expected"), [
    (['qualifier: more than'], "more than [@+mines] mines",
     "spec.yaml:13:107: warning: repeated-words: summary: 'more than' would be printed twice: "
     "the text before [@+mines] has it, and the figure's prefix prints it"),
    # A qualifier prints in the version's words: French "jusqu’à" before [@+id] is twice too.
    (['qualifier: up to'], "jusqu’à [@+mines] mines",
     "spec.yaml:13:105: warning: repeated-words: summary: 'jusqu’à' would be printed twice: "
     "the text before [@+mines] has it, and the figure's prefix prints it"),
    (['prefix: {en: "up to ", fr: "jusqu’à "}'], "Up to [@+mines] mines",
     "spec.yaml:13:103: warning: repeated-words: summary: 'up to' would be printed twice: the "
     "text before [@+mines] has it, and the figure's prefix prints it"),
    (["unit: €"], "a budget of €[@mines] for",
     "spec.yaml:13:110: warning: repeated-words: summary: '€' would be printed twice: the text "
     "before [@mines] has it, and the figure's unit prints it"),
    (['suffix: " m²"'], "clear [@mines] m² of land",
     "spec.yaml:13:103: warning: repeated-words: summary: 'm²' would be printed twice: the text "
     "after [@mines] has it, and the figure's suffix prints it"),
])
def test_words_a_citation_prints_twice_are_a_warning(check: Check, lines: list[str],
                                                     sentence: str, expected: str) -> None:
    result = check(edit(with_affixes(*lines), ("fund clearance.", f"fund clearance, {sentence}.")))
    assert result.exit_code == 0, result.output
    assert [line for line in problem_lines(result) if "repeated-words" in line] == [expected]


@pytest.mark.parametrize(("lines", "sentence"), [
    # Without the plus, a sentence has its own words and the qualifier is left out.
    (['qualifier: more than'], "more than [@mines] mines"),
    (['qualifier: up to'], "set up [@+mines] teams"),
    (["unit: €"], "a budget of [@mines] for"),
    (['suffix: " m²"'], "clear [@mines] of land, m² by m²"),
])
def test_words_printed_once_are_fine(check: Check, lines: list[str], sentence: str) -> None:
    result = check(edit(with_affixes(*lines), ("fund clearance.", f"fund clearance, {sentence}.")))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_a_currency_written_as_a_prefix_is_a_warning(check: Check) -> None:
    """A prefix is left out of sentences, so a currency there would vanish from them."""
    result = check(with_affixes("prefix: {en: US$}"))
    assert problem_lines(result) == [
        "spec.yaml:22:13: warning: figure: stats 'mines'.prefix: 'US$' looks like a currency, but "
        "a prefix is shown only in the callout: sentences citing [@mines] would lose it"]
    assert "hint: write it as unit: US$" in result.stdout


@pytest.mark.parametrize(("lines", "value", "expected"), [
    ([], "2025", "stats 'mines'.value: 2025 would print as 2,025; is it a year?"),
    (["format: count"], "1991", "stats 'mines'.value: 1991 would print as 1,991; is it a year?"),
    (["format: plain"], "2025", None),
    ([], "2000", None),  # a round count more often than a year
    ([], "2500", None),
])
def test_a_count_that_looks_like_a_year_is_a_warning(check: Check, lines: list[str], value: str,
                                                     expected: str | None) -> None:
    result = check(edit(with_affixes(*lines), ("    value: 1500000", f"    value: {value}")))
    assert result.exit_code == 0, result.output
    found = [line.split(": warning: figure: ")[1] for line in problem_lines(result)
             if ": warning: figure: " in line]
    assert found == ([expected] if expected else [])


# ---------------------------------------------------------------------------------------------
# Sources cited by a sentence; quotes on the public record; historical figures


@pytest.mark.parametrize("typo", ["[gov-2024]", "[^gov-2024", "^[gov-2024]", "[^ gov-2024]",
                                  "[ ^gov-2024]", "[^]"])
def test_a_mistyped_source_citation_is_an_error(check: Check, typo: str) -> None:
    result = check(edit(WITH_FACTS, ("fund clearance.", f"fund clearance by 2026{typo}.")))
    assert result.exit_code == 1
    line = first_line(result)
    assert line.startswith("spec.yaml:13:")
    assert ": error: unknown-source: summary: " in line
    assert "looks like a source citation but is not one" in line


def test_a_source_cited_only_by_a_sentence_is_printed_and_not_unused(check: Check) -> None:
    text = (WITH_FACTS.replace("    source: gov-2024\n", "    source: gov-2024\n    featured: false\n")
            + "  - id: treaty\n    title: Convention\n    publisher: UN\n"
              "    date: 2024-01-01\n    url: https://example.org/treaty\n")
    result = check(edit(text, ("fund clearance.", "fund clearance by 1 March 2026[^treaty].")))
    assert result.exit_code == 0, result.output
    assert [line for line in problem_lines(result) if "unused-source" in line] == [
        "spec.yaml:26:9: warning: unused-source: sources 'gov-2024'.id: source 'gov-2024' is not "
        "cited, so it is not printed"]


PUBLIC_QUOTE = "quotes:\n  - text: Every mine cleared is a life saved.\n    speaker: A minister\n"


@pytest.mark.parametrize(("lines", "expected"), [
    ("    public: true\n    source: gov-2024\n", None),
    ("    consent: true\n", None),
    ("    public: true\n",
     "spec.yaml:27:13: warning: quote-consent: quotes[0].public: the quote by A minister is "
     "marked public but names no source, so the versions that print it are drafts"),
    ("", "spec.yaml:25:5: warning: quote-consent: quotes[0]: no consent recorded for the quote "
         "by A minister, so the versions that print it are drafts"),
])
def test_a_quote_on_the_public_record_needs_its_source_not_consent(
        check: Check, lines: str, expected: str | None) -> None:
    result = check(WITH_FACTS.replace("sources:", PUBLIC_QUOTE + lines + "sources:"))
    assert result.exit_code == 0, result.output
    assert [line for line in problem_lines(result) if "quote-consent" in line] == (
        [expected] if expected else [])


def test_a_historical_figure_does_not_go_stale(check: Check) -> None:
    old = edit(WITH_FACTS, ("    as_of: 2025-01-27", "    as_of: 2016-09-20"))
    assert "stale-figure" in check(old).stdout
    result = check(edit(old, ("    as_of: 2016-09-20", "    as_of: 2016-09-20\n    historical: true")))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


# ---------------------------------------------------------------------------------------------
# Quotes and sections per delegation

JAPAN = """audiences:
  - id: us
    name: United States delegation
  - id: jp
    name: Japan delegation
    quotes:
      - text: Clearance opens the road to recovery.
        speaker: A Japanese engineer
    sections:
      - heading: Japan's record
        body: Japan has long funded clearance.
"""
US_QUOTE = "quotes:\n  - text: We will not walk away.\n    speaker: A US president\n"


def test_consent_is_checked_for_an_audience_quote_too(check: Check) -> None:
    result = check(MINIMAL_TEXT + US_QUOTE + JAPAN)
    assert [line for line in problem_lines(result) if "quote-consent" in line] == [
        "spec.yaml:19:5: warning: quote-consent: quotes[0]: no consent recorded for the quote by "
        "A US president, so the versions that print it are drafts",
        "spec.yaml:27:9: warning: quote-consent: audiences[1].quotes[0]: no consent recorded for "
        "the quote by A Japanese engineer, so the versions that print it are drafts"]


def test_the_word_count_of_a_version_counts_its_own_quotes_and_sections(check: Check) -> None:
    long_section = " ".join(["dd"] * 640)
    text = MINIMAL_TEXT + JAPAN.replace("Japan has long funded clearance.", long_section)
    lines = [line for line in problem_lines(check(text)) if ": word-count: " in line]
    assert len(lines) == 1
    assert "(version for jp)" in lines[0]
    assert "sections" not in check(MINIMAL_TEXT + "audiences:\n  - id: us\n    name: US\n"
                                   "    sections: []\n").stdout


# ---------------------------------------------------------------------------------------------
# Messages name the texts they are about


def test_untranslated_texts_are_named_with_their_lines(check: Check) -> None:
    text = edit(MINIMAL_TEXT, ("title: Clearance lets families go home",
                               "title: {en: Clearance lets families go home, fr: Déminer}"))
    text += ("sections:\n  - heading: Why now\n    body: Because.\n"
             "audiences:\n  - id: ch\n    name: Suisse\n    language: fr\n"
             "    asks:\n      - headline: Financer\n        detail: Le déminage.\n")
    assert problem_lines(check(text))[0] == (
        "spec.yaml:24:15: warning: missing-translation: audiences[0].language: 3 of the texts on "
        "this fr version are written only once, in en: summary (line 13), sections[0].heading "
        "(line 19), sections[0].body (line 20)")


def test_a_broken_audience_does_not_hide_the_other_warnings(check: Check) -> None:
    text = edit(MINIMAL_TEXT, ("summary: Landmines", "summary: Join #MineFree now. Landmines"))
    result = check(text + "audiences:\n  - id: broken\n    name: Broken\n    page: A5\n"
                          "  - id: fine\n    name: Fine\n")
    lines = problem_lines(result)
    assert ("spec.yaml:13:15: warning: comment: summary: the rest of this line, from '#', is a "
            "YAML comment and will not be printed") in lines
    assert any(": error: invalid-value: audiences[0].page: " in line for line in lines)


# ---------------------------------------------------------------------------------------------
# Qualifiers and units in each version's language

FRENCH_VERSION = "audiences:\n  - id: ch\n    name: Suisse\n    language: fr\n"


def figure_lines(result: Result) -> list[str]:
    """The problems `check` found with the figures (the rest of these specs is in English
    only, which the French version reports too)."""
    return [line for line in problem_lines(result) if "stats '" in line]


def test_a_sign_written_as_a_prefix_is_read_as_a_qualifier_and_check_says_so(check: Check
                                                                             ) -> None:
    """Specs written with prefix: "~" keep building, in words, and are told to write
    qualifier: about."""
    result = check(with_affixes('prefix: "~"'))
    assert result.exit_code == 0, result.output
    assert figure_lines(result) == [
        "spec.yaml:22:13: warning: qualifier: stats 'mines'.prefix: the prefix '~' is read as "
        "qualifier: about, printed in each version's words (\"about 1,500,000\", \"environ "
        "1 500 000\", \"около 1 500 000\", \"təxminən 1.500.000\")"]
    assert "hint: write qualifier: about instead of the prefix" in result.stdout


def test_an_english_only_prefix_is_named_in_every_version_that_prints_it(check: Check) -> None:
    """"as many as " prints as it is on the French page: check names it, with its line and
    column, for the version in French."""
    result = check(with_affixes('prefix: "as many as "') + FRENCH_VERSION)
    assert figure_lines(result) == [
        "spec.yaml:22:13: warning: missing-translation: stats 'mines'.prefix: 'as many as' is "
        "written only once, in en: the fr version (ch) prints it as it is"]


def test_a_prefix_given_in_english_only_leaves_the_french_figure_without_it(check: Check
                                                                            ) -> None:
    result = check(with_affixes('prefix: {en: "as many as "}') + FRENCH_VERSION)
    assert figure_lines(result) == [
        "spec.yaml:22:13: warning: missing-translation: stats 'mines'.prefix: the prefix is "
        "given in en only: the fr version (ch) prints the figure without it"]


def test_a_unit_in_words_written_once_is_named_but_a_symbol_is_not(check: Check) -> None:
    result = check(with_affixes('suffix: " per family"') + FRENCH_VERSION)
    assert figure_lines(result) == [
        "spec.yaml:22:13: warning: missing-translation: stats 'mines'.suffix: 'per family' is "
        "written only once, in en: the fr version (ch) prints it as it is"]
    for symbol in ('suffix: " m²"', "unit: €", "unit: US$", 'suffix: " km²"'):
        assert figure_lines(check(with_affixes(symbol) + FRENCH_VERSION)) == [], symbol


def test_a_unit_given_for_some_languages_only_is_named_where_it_is_missing(check: Check
                                                                           ) -> None:
    result = check(with_affixes('unit: {en: "€"}', 'suffix: {fr: " €"}')
                   + FRENCH_VERSION + "  - id: kz\n    name: Казахстан\n    language: ru\n")
    assert figure_lines(result) == [
        "spec.yaml:22:11: warning: missing-translation: stats 'mines'.unit: the figure's unit is "
        "given in en only: the ru version (kz) prints the number without it"]


def test_a_plain_prefix_beside_a_qualifier_is_not_printed(check: Check) -> None:
    result = check(with_affixes("qualifier: about", 'prefix: "some "'))
    assert figure_lines(result) == [
        "spec.yaml:23:13: warning: qualifier: stats 'mines'.prefix: the prefix 'some ' is not "
        "printed: the figure has qualifier: about, which is printed in each version's words"]


def test_a_qualifier_in_a_language_briefgen_has_no_words_for(check: Check) -> None:
    result = check(with_affixes("qualifier: about")
                   + "audiences:\n  - id: de\n    name: Deutschland\n    language: de\n")
    assert ("spec.yaml:22:16: warning: missing-translation: stats 'mines'.qualifier: briefgen "
            "has no de words for 'about': the de version (de) prints it in English"
            in figure_lines(result))


def test_a_label_naming_its_own_source_in_brackets_is_a_warning(check: Check) -> None:
    """"landmines (Ministry estimate)": the line under the figure names the source; the
    bracket's last word was left alone on a line."""
    result = check(edit(WITH_FACTS, ("    label: landmines\n",
                                     "    label: landmines (Ministry estimate)\n")))
    assert figure_lines(result) == [
        "spec.yaml:21:12: warning: label-source: stats 'mines'.label: the label names its "
        "source in brackets ('Ministry estimate'); the source line under the figure names it "
        "already"]
    assert check(edit(WITH_FACTS, ("    label: landmines\n",
                                   "    label: landmines (estimate)\n"))).stdout == ""


# ---------------------------------------------------------------------------------------------
# The same figure twice on one version; an ask's amount without a source; a long address

TWO_TEXTS = edit(WITH_FACTS, (
    "summary: Landmines still block the way home for many families.",
    "summary: About [@mines] landmines still block the way home for many families."))


@pytest.mark.parametrize(("detail", "expected"), [
    # the same stat cited in two texts
    ("Clear [@mines] mines.",
     "spec.yaml:17:34: warning: repeated-figure: asks[0].detail: 1,500,000 is stated twice: "
     "here, and in summary at spec.yaml:13:16"),
    # typed in one text and cited in the other, written the way the page prints it or not
    ("Clear 1,500,000 mines.",
     "spec.yaml:17:34: warning: repeated-figure: asks[0].detail: 1,500,000 is stated twice: "
     "here, and in summary at spec.yaml:13:16"),
    ("Clear 1.5 million mines.",
     "spec.yaml:17:34: warning: repeated-figure: asks[0].detail: 1.5 million is stated twice: "
     "here, and in summary at spec.yaml:13:16"),
])
def test_a_figure_stated_in_two_texts_is_named_at_both_places(check: Check, detail: str,
                                                              expected: str) -> None:
    text = edit(TWO_TEXTS, ("detail: Support survey and clearance teams where families plan to "
                            "return.", f"detail: Support teams. {detail}"))
    result = check(text)
    assert [line for line in problem_lines(result) if "repeated-figure" in line] == [expected]
    assert result.exit_code == 0


def test_a_number_typed_twice_is_a_repeated_figure_but_years_and_small_counts_are_not(
        check: Check) -> None:
    text = edit(MINIMAL_TEXT, (
        "summary: Landmines still block the way home for many families.",
        "summary: Since 2020, 12 teams cleared 250 000 m² for many families."), (
        "detail: Support survey and clearance teams where families plan to return.",
        "detail: Fund 12 more teams in 2026-2027 to clear another 250,000 m²."))
    result = check(text)
    assert [line for line in problem_lines(result) if "repeated-figure" in line] == [
        "spec.yaml:17:62: warning: repeated-figure: asks[0].detail: 250,000 is stated twice: "
        "here, and in summary at spec.yaml:13:39"]


def test_a_figure_repeated_on_some_versions_names_them(check: Check) -> None:
    text = TWO_TEXTS + (
        "audiences:\n"
        "  - id: eu\n    name: EU\n    intro: Thank you for clearing [@mines] mines.\n"
        "  - id: us\n    name: US\n    intro: Thank you.\n"
        "  - id: uk\n    name: UK\n    intro: We thank you for [@mines] mines cleared.\n")
    result = check(text)
    assert [line for line in problem_lines(result) if "repeated-figure" in line] == [
        "spec.yaml:33:35: warning: repeated-figure: audiences[0].intro: 1,500,000 is stated "
        "twice on the version for eu: here, and in summary at spec.yaml:13:16",
        "spec.yaml:39:29: warning: repeated-figure: audiences[2].intro: 1,500,000 is stated "
        "twice on the version for uk: here, and in summary at spec.yaml:13:16"]


def test_an_ask_s_amount_counts_as_a_place_the_figure_is_stated(check: Check) -> None:
    text = edit(TWO_TEXTS, (
        "detail: Support survey and clearance teams where families plan to return.\n",
        "detail: Support survey and clearance teams where families plan to return.\n"
        "    amount: {stat: mines, requested: true}\n"))
    result = check(text)
    assert [line for line in problem_lines(result) if "repeated-figure" in line] == [
        "spec.yaml:18:20: warning: repeated-figure: asks[0].amount.stat: 1,500,000 is stated "
        "twice: here, and in summary at spec.yaml:13:16"]


def test_the_example_states_each_figure_once_on_every_version() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLE_SPEC)])
    assert "repeated-figure" not in result.stdout, result.stdout


@pytest.mark.parametrize(("amount", "expected"), [
    ("{value: 2000000, currency: EUR}",
     ["spec.yaml:18:13: warning: amount-source: asks[0].amount: the ask's amount names no "
      "source and is not marked as your own request, so the versions that print it are "
      "drafts"]),
    ("{value: 2000000, currency: EUR, requested: true}", []),
    ("{value: 2000000, currency: EUR, source: gov-2024}", []),
    ("{stat: mines}", []),
])
def test_an_ask_s_amount_names_its_source_or_says_it_is_the_ask(check: Check, amount: str,
                                                               expected: list[str]) -> None:
    text = edit(WITH_FACTS, (
        "detail: Support survey and clearance teams where families plan to return.\n",
        "detail: Support survey and clearance teams where families plan to return.\n"
        f"    amount: {amount}\n"))
    result = check(text)
    assert [line for line in problem_lines(result) if "amount" in line] == expected
    assert "unused-source" not in result.stdout  # an amount's source is printed


def test_a_sources_address_too_long_to_type_is_a_warning(check: Check) -> None:
    text = edit(MINIMAL_TEXT, ("  date: 2025-03-24\n", "  date: 2025-03-24\n  sources_url: "
                               "https://www.example.org/reports/2025/landmines/full-sources\n"))
    assert problem_lines(check(text)) == [
        "spec.yaml:6:16: warning: sources-url: brief.sources_url: the address prints as "
        "'example.org/reports/2025/landmines/full-sources', 47 characters: hard to type from "
        "paper, and its QR code's squares get too small for some phones to read"]
    short = edit(MINIMAL_TEXT, ("  date: 2025-03-24\n", "  date: 2025-03-24\n  sources_url: "
                                "https://example.org/masg-2025\n"))
    assert problem_lines(check(short)) == []


def test_words_the_layout_colours_itself_are_held_to_the_same_contrast(check: Check,
                                                                       tmp_path: Path) -> None:
    """The draft line is set in the template's `draft` colour with <color>: a pale one is
    refused as a style's colour is. #FF9999 on white: 1.05 / 0.513 = 2.04:1."""
    copy = tmp_path / "templates" / "pale-draft"
    shutil.copytree(ROOT / "templates" / "one-pager", copy)
    design = copy / "template.yaml"
    design.write_text(replace_once(design.read_text(encoding="utf-8"), 'draft: "#B3261E"',
                                   'draft: "#FF9999"'), encoding="utf-8")
    text = edit(MINIMAL_TEXT, ("  date: 2025-03-24\n",
                               "  date: 2025-03-24\n  template: pale-draft\n"))
    result = check(text + "quotes:\n  - text: We want to go home.\n    speaker: A resident\n")
    assert [line for line in problem_lines(result) if "contrast" in line] == [
        "templates/pale-draft/page.xml.j2: error: contrast: <color> in the audience style: "
        "text colour #FF9999 on #FFFFFF has a contrast of 2.0:1; readers need at least 4.5:1"]
    assert result.exit_code == 1


def test_a_currency_symbol_the_font_lacks_is_named_at_the_amount(check: Check) -> None:
    """Turkish writes the lira as ₺, which Carlito does not draw: an error, not an empty box."""
    text = edit(MINIMAL_TEXT, (
        "detail: Support survey and clearance teams where families plan to return.\n",
        "detail: Support survey and clearance teams where families plan to return.\n"
        "    amount: {value: 2500000, currency: TRY, requested: true}\n"))
    result = check(text + "audiences:\n  - id: tr\n    name: Türkiye\n    language: tr\n")
    assert [line for line in problem_lines(result) if "font-coverage" in line] == [
        "spec.yaml:18:13: error: font-coverage: asks[0].amount: the font Carlito cannot draw "
        "'₺' (U+20BA)"]
    assert result.exit_code == 1
