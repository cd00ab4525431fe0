"""Fitting: the loosest setting that puts everything on the page, found in few layouts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefgen.document import Fit, Measurement
from briefgen.errors import FitError, UserError
from briefgen.layout.fit import FILLED_WITHIN, T_RESOLUTION, find_fit, fit_for
from tests.support import FOUR_FIGURES, MINIMAL_TEXT, build_brief, filler_words

AVAILABLE = 700.0


def search(height: Callable[[Fit], float], reserve: float = 0.0) -> tuple[Fit, list[Fit]]:
    """Run the search against a page whose height at each setting is `height(fit)`."""
    tried: list[Fit] = []

    def measure(document: Any, fit: Fit) -> Measurement:
        tried.append(fit)
        return Measurement(body=height(fit), footer=0.0, available=AVAILABLE,
                           block_heights=[("summary", height(fit))])

    fit = find_fit(None, measure, 0.5, 0.88, reserve,  # type: ignore[arg-type]
                   lambda origin: origin, Path("spec.yaml"))
    return fit, tried


def test_a_page_that_fits_as_designed_is_measured_once() -> None:
    fit, tried = search(lambda fit: 650.0)
    assert (fit.spacing, fit.type_scale, fit.passes) == (1.0, 1.0, 1)
    assert len(tried) == 1


@pytest.mark.parametrize("reserve", [0.0, 18.0])
def test_spacing_closes_up_just_enough_in_a_few_layouts(reserve: float) -> None:
    # 160 pt of gaps on a page 60 pt too long: the gaps close to 0.625 of their height.
    fit, tried = search(lambda fit: 600.0 + 160.0 * fit.spacing, reserve)
    expected = (AVAILABLE - 600.0 - reserve) / 160
    assert fit.spacing == pytest.approx(expected, abs=0.01)
    assert fit.type_scale == 1.0
    assert -FILLED_WITHIN - 1e-9 <= 600.0 + 160.0 * fit.spacing + reserve - AVAILABLE <= 0
    assert fit.passes == len(tried) <= 4


def test_type_shrinks_only_to_the_step_that_fits() -> None:
    """Type changes heights in steps (lines re-break); the search lands on the first step
    that fits, not on the smallest type."""

    def height(fit: Fit) -> float:
        lines_saved = 0 if fit.type_scale > 0.95 else 2 if fit.type_scale > 0.92 else 4
        return 690.0 + 60.0 * fit.spacing - 13.0 * lines_saved

    fit, _ = search(height)
    assert height(fit) <= AVAILABLE
    # One resolution step looser type no longer fits, even with the tightest spacing.
    t = 0.5 + (1 - fit.type_scale) / (1 - 0.88) / 2
    looser = fit_for(t - T_RESOLUTION, 0.5, 0.88)
    assert height(looser) > AVAILABLE
    assert 0.93 < fit.type_scale <= 0.95
    # The room the step leaves goes back into the gaps, not into white above the footer.
    assert fit.spacing > 0.5
    assert AVAILABLE - height(fit) <= FILLED_WITHIN + 1.0


def test_a_page_too_long_even_at_the_floors_names_its_longest_part() -> None:
    with pytest.raises(FitError) as caught:
        search(lambda fit: 900.0)
    assert "200 pt too long" in str(caught.value)
    assert "summary (900 pt)" in str(caught.value)


# ---------------------------------------------------------------------------------------------
# What the message says when a brief does not fit: which column, what is in it, what to cut


def long_brief(*, section_words: int, quote_words: int, translated: bool) -> str:
    """Five asks and four sections (the main column), four key figures and a quote (the side
    column); `section_words` and `quote_words` set how long each column runs."""
    lines = MINIMAL_TEXT.rstrip("\n").split("\n")
    lines = lines[:lines.index("asks:") + 1]
    for index in range(5):
        lines += [f"  - headline: Ask number {index + 1}",
                  f"    detail: {filler_words(40, index * 7)}"]
    lines.append("sections:")
    for index, heading in enumerate(["Why now", "What funding achieves", "Who else pays",
                                     "What comes next"]):
        lines += [f"  - heading: {heading}", f"    body: {filler_words(section_words, index)}"]
    lines += FOUR_FIGURES.splitlines()
    lines += ["quotes:", f"  - text: {filler_words(quote_words, 3)}", "    speaker: A farmer",
              "    consent: true"]
    if translated:
        lines += ["    language: fr", f"    translation: {filler_words(quote_words, 5)}"]
    return "\n".join(lines) + "\n"


def fit_problem(tmp_path: Path, text: str) -> str:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build_brief(spec, tmp_path / "out")
    return str(caught.value).replace(str(tmp_path) + "/", "")


def test_the_message_names_the_column_that_runs_long_and_what_is_in_it(tmp_path: Path
                                                                         ) -> None:
    text = long_brief(section_words=75, quote_words=10, translated=False)
    message, _, hint = fit_problem(tmp_path, text).partition("\n    hint: ")
    excess = re.search(r"does not fit on one page: (\d+) pt too long", message)
    assert excess is not None, message
    # The side column has room: the whole excess is the main column's, named by its parts,
    # with the section headings as typed (the page sets them in capitals).
    assert message.endswith(
        f"; the left column is {excess[1]} pt too long: asks (5), sections 'Why now', "
        "'What funding achieves', 'Who else pays', 'What comes next'"), message
    assert "right column" not in message
    # Cutting the side column would not shorten the page, so its parts are not suggested.
    assert "hint" not in hint and "stats" not in hint and "quotes" not in hint, hint
    assert re.match(r"shorten the longest parts: (sections\[\d\]\.body \(line \d+\) \(\d+ pt\)"
                    r"(; )?){3}$", hint), hint
    assert "prints its original" not in hint  # the quote is not translated


def test_both_columns_too_long_are_each_named_with_their_own_excess(tmp_path: Path) -> None:
    message = fit_problem(tmp_path, long_brief(section_words=60, quote_words=150,
                                               translated=False)).partition("\n")[0]
    found = re.search(r": (\d+) pt too long .*; the left column is (\d+) pt too long: asks "
                      r"\(5\), sections .*; the right column is (\d+) pt too long: key figures "
                      r"\(4\), the quote$", message)
    assert found is not None, message
    page, left, right = map(int, found.groups())
    assert max(left, right) == page and min(left, right) < page  # the longer one sets the row


def test_a_translated_quote_is_named_as_printing_its_original(tmp_path: Path) -> None:
    """The quote's original follows its translation: a quote takes twice the lines a reader
    of the spec expects; the hint says how many, and what halving it saves."""
    problem = fit_problem(tmp_path, long_brief(section_words=20, quote_words=200,
                                               translated=True))
    message, _, hint = problem.partition("\n    hint: ")
    # So long a quote goes under the main column's text, where the page comes out shorter;
    # it is named in the column that holds it, which runs long.
    assert message.endswith(", the quote"), message
    found = re.search(r"the quote prints its original under the translation, (\d+) lines in "
                      r"all: a quote half as long saves about (\d+)$", hint)
    assert found is not None, hint
    lines, saved = map(int, found.groups())
    # Two paragraphs of 200 words at five to fifteen words a line.
    assert 25 <= lines <= 80 and saved == lines // 2, hint


def test_a_version_that_does_not_fit_is_named_before_the_figures(tmp_path: Path) -> None:
    text = long_brief(section_words=75, quote_words=10, translated=False) + (
        "audiences:\n  - id: uk\n    name: UK delegation\n")
    message = fit_problem(tmp_path, text).partition("\n")[0]
    assert re.match(r"spec\.yaml: the brief does not fit on one page \(version for uk\): \d+ pt "
                    r"too long .*; the left column is \d+ pt too long: asks \(5\), sections "
                    r"'Why now', .*'What comes next'$", message), message
