"""Fit a document on one page: tighten spacing first, then type, within the template's floors.

One setting `t` in [0, 1] drives both: the first half closes up gaps (down to
`min_spacing`), the second half shrinks type (down to `min_type_scale`, and never below a
style's own minimum size). The smallest `t` that fits is searched by false position.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from briefgen.document import (
    Block,
    Cell,
    Chart,
    Document,
    Fit,
    Measurement,
    Paragraph,
    Row,
    fitted_style,
    iter_blocks,
)
from briefgen.errors import FitError, Problem

# The search stops when the page is filled to within half a point, or when `t` is known to
# within 1/512 of its range (what eight halvings of each half would give).
FILLED_WITHIN = 0.5
T_RESOLUTION = 1 / 512
MAX_TRIALS = 16


def fit_for(t: float, min_spacing: float, min_type_scale: float) -> Fit:
    spacing = 1.0 - (1.0 - min_spacing) * min(1.0, 2 * t)
    type_scale = 1.0 - (1.0 - min_type_scale) * max(0.0, 2 * t - 1)
    return Fit(spacing=round(spacing, 4), type_scale=round(type_scale, 4))


def find_fit(document: Document, measure: Callable[[Document, Fit], Measurement],
             min_spacing: float, min_type_scale: float, reserve: float,
             describe_origin: Callable[[str], str], spec_path: object,
             max_spacing: float = 1.0, typed_text: Callable[[str], str] = str) -> Fit:
    """The loosest fit at which the page holds everything with `reserve` points to spare;
    a page with room to spare opens its gaps, up to `max_spacing`, to fill it.

    A page that does not fit raises `FitError`, naming its fields with `describe_origin`
    (`sections[1].body (line 88)`) and its section headings as `typed_text` gives them.
    """
    passes = 0

    def excess(t: float) -> tuple[float, Fit, Measurement]:
        """Points by which the page is too long at `t` (negative: room to spare)."""
        nonlocal passes
        passes += 1
        fit = fit_for(t, min_spacing, min_type_scale)
        measurement = measure(document, fit)
        return measurement.overflow + reserve, fit, measurement

    over, fit, measurement = excess(0.0)
    if over <= 0:
        if max_spacing > 1.0 and over < -FILLED_WITHIN:
            return _opened(document, measure, over, measurement, reserve, max_spacing,
                           passes)
        return _final_fit(fit, measurement, passes)
    # Spacing alone (t <= 0.5) keeps most line breaks (the columns' split may move), and
    # heights then change about linearly, so the first estimate is usually the answer; type
    # changes move in steps.
    low, over_low = 0.0, over
    high = 0.5
    over_high, best, best_measurement = excess(high)
    if over_high > 0:
        best, best_measurement, passes = _type_fitted(
            document, measure, min_spacing, min_type_scale, reserve, passes,
            lambda fit, measurement: _overflow_error(document, fit, measurement, reserve,
                                                     describe_origin, typed_text, spec_path))
        return _final_fit(best, best_measurement, passes)
    # False position (Illinois variant): `weight_*` start as the ends' excesses; an end kept
    # twice running has its weight halved so the estimate moves off it.
    weight_low, weight_high = over_low, over_high
    kept = ""
    while (passes < MAX_TRIALS and high - low > T_RESOLUTION
           and over_high < -FILLED_WITHIN):
        t = high - weight_high * (high - low) / (weight_high - weight_low)
        margin = (high - low) / 64  # always shrink the bracket, even on a flat stretch
        t = min(max(t, low + margin), high - margin)
        over, fit, measurement = excess(t)
        if over <= 0:
            high, over_high, weight_high = t, over, over
            best, best_measurement = fit, measurement
            if kept == "high":
                weight_low /= 2
            kept = "high"
        else:
            low, weight_low = t, over
            if kept == "low":
                weight_high /= 2
            kept = "low"
    return _final_fit(best, best_measurement, passes)


def type_steps(document: Document | None, min_type_scale: float) -> list[float]:
    """The type scales, largest first, at which the page's type changes: below 1.0 and down
    to `min_type_scale`, each just under a point where some style's size drops by half a
    point (sizes go by half points), so each state of the type is tried once.

    A document of None (a measurement made up for a test of the search alone) gets a
    step every 1/256 of the range."""
    if document is None:
        return [1 - (1 - min_type_scale) * step / 256 for step in range(1, 257)]
    steps = {min_type_scale}
    for style in document.styles.values():
        size = style.font_size
        # round(2 * size * scale) / 2 drops from k/2 + 1/2 to k/2 where 2 * size * scale
        # passes k + 1/2; no lower than the style's own minimum.
        half_points = math.floor(2 * size)
        for k in range(half_points - 1, -1, -1):
            scale = (k + 0.5) / (2 * size)
            if scale <= min_type_scale or k / 2 < style.min_font_size:
                break
            if scale < 1.0:
                steps.add(math.floor((scale - 1e-9) * 10_000) / 10_000)
    return sorted((step for step in steps if step >= min_type_scale), reverse=True)


def _type_fitted(document: Document, measure: Callable[[Document, Fit], Measurement],
                 min_spacing: float, min_type_scale: float, reserve: float, passes: int,
                 too_long: Callable[[Fit, Measurement], FitError]
                 ) -> tuple[Fit, Measurement, int]:
    """The largest type that fits with the gaps closed up, by bisection over the steps the
    type goes by (smaller type never makes the page longer), then the room that step
    leaves given back to the gaps. Raises `too_long(...)` when even the smallest does not
    fit."""
    steps = type_steps(document, min_type_scale)
    tightest = Fit(spacing=min_spacing, type_scale=steps[-1])
    measured = measure(document, tightest)
    passes += 1
    if measured.overflow + reserve > 0:
        raise too_long(tightest, measured)
    best, best_measurement = tightest, measured
    lower, upper = 0, len(steps) - 1  # steps[upper] fits; those before `lower` do not
    while lower < upper:
        middle = (lower + upper) // 2
        fit = Fit(spacing=min_spacing, type_scale=steps[middle])
        measurement = measure(document, fit)
        passes += 1
        if measurement.overflow + reserve <= 0:
            upper, best, best_measurement = middle, fit, measurement
        else:
            lower = middle + 1
    if best_measurement.overflow + reserve < -FILLED_WITHIN:
        # Type sizes move in half points, so the size that fits may leave room: it goes
        # back into the gaps rather than stay as white above the footer.
        return _spent(document, measure, best, best_measurement, reserve, passes)
    return best, best_measurement, passes


def _opened(document: Document, measure: Callable[[Document, Fit], Measurement],
            over: float, measurement: Measurement, reserve: float, max_spacing: float,
            passes: int) -> Fit:
    """Gaps opened so the page is filled: heights grow linearly with spacing above 1 (line
    breaks and line spacing stay as designed), so one measurement at the widest setting
    gives the answer; one more confirms it."""
    widest = Fit(spacing=max_spacing)
    over_widest = measure(document, widest).overflow + reserve
    passes += 1
    if over_widest <= 0:
        return _final_fit(widest, measure(document, widest), passes + 1)
    spacing = 1.0 + (max_spacing - 1.0) * -over / (over_widest - over)
    for _ in range(4):  # rounding: step back until it holds
        fit = Fit(spacing=round(spacing - 0.00005, 4))
        opened = measure(document, fit)
        passes += 1
        if opened.overflow + reserve <= 0:
            return _final_fit(fit, opened, passes)
        spacing -= (spacing - 1.0) / 8
    return _final_fit(Fit(), measurement, passes)


def _spent(document: Document, measure: Callable[[Document, Fit], Measurement], fit: Fit,
           measurement: Measurement, reserve: float, passes: int
           ) -> tuple[Fit, Measurement, int]:
    """`fit` with its gaps opened, at its type size, as far as the page still holds: heights
    grow about linearly with spacing at one type size, so one measurement at the designed
    spacing gives the estimate, and one or two more confirm it."""
    over = measurement.overflow + reserve
    widest = fit._replace(spacing=1.0)
    at_widest = measure(document, widest)
    passes += 1
    over_widest = at_widest.overflow + reserve
    if over_widest <= 0:
        return widest, at_widest, passes
    spacing = fit.spacing + (1.0 - fit.spacing) * -over / (over_widest - over)
    for _ in range(4):  # rounding and line breaks: step back until it holds
        trial = fit._replace(spacing=round(spacing - 0.00005, 4))
        if trial.spacing <= fit.spacing:
            break
        measured = measure(document, trial)
        passes += 1
        if measured.overflow + reserve <= 0:
            return trial, measured, passes
        spacing -= (spacing - fit.spacing) / 4
    return fit, measurement, passes


def _final_fit(fit: Fit, measurement: Measurement, passes: int) -> Fit:
    """`fit` as the build reports it: with the room left, the passes it took and the column
    that ends short, if any."""
    short_column, short_by = measurement.white_under or ("", 0.0)
    return Fit(spacing=fit.spacing, type_scale=fit.type_scale,
               slack=-measurement.overflow, passes=passes, short_column=short_column,
               short_by=short_by)


def _overflow_error(document: Document, fit: Fit, measurement: Measurement, reserve: float,
                    describe_origin: Callable[[str], str], typed_text: Callable[[str], str],
                    spec_path: object) -> FitError:
    """How much is too long, in which column and with what in it, and what to shorten."""
    excess = math.ceil(measurement.overflow + reserve)  # "0 pt too long" would puzzle
    lines = max(1, round(excess / 13))
    message = (f"the brief does not fit on one page: {excess:.0f} pt too long (about {lines} "
               f"line{'s' if lines != 1 else ''} of body text) even with the tightest spacing "
               f"and smallest type allowed")
    document = measurement.document or document  # its columns as arranged for the fit
    columns = columns_too_long(document, measurement, excess)
    message += "".join(f"; the {column} is {overrun:.0f} pt too long: "
                       f"{contents(cell, typed_text)}" for column, overrun, cell in columns.too_long)
    # Shortening a column that is not the longer one of its row saves nothing.
    parts = [f"{describe_origin(origin)} ({height:.0f} pt)"
             for origin, height in longest_parts(measurement, skip=columns.short_origins)]
    hints = ["shorten the longest parts: " + "; ".join(parts) if parts else "shorten the text"]
    quote = translated_quote_lines(document, fit, measurement, columns.short_origins)
    if quote:
        hints.append(f"the quote prints its original under the translation, {quote} lines in "
                     f"all: a quote half as long saves about {quote // 2}")
    return FitError(Problem(spec_path, "", message, "; ".join(hints),  # type: ignore[arg-type]
                            rule="fit"))


@dataclass
class Columns:
    """The columns of the page's tallest row that must lose height for the page to fit (what
    to call each, by how much, and its cell), and the spec fields in its other columns."""

    too_long: list[tuple[str, float, Cell]] = field(default_factory=list)
    short_origins: set[str] = field(default_factory=set)


def columns_too_long(document: Document, measurement: Measurement, excess: float) -> Columns:
    """Which columns of the tallest row of the body run `excess` points over: a column of
    height h in a row of height H must lose `excess - (H - h)` points."""
    columns = Columns()
    if document is None:  # a measurement made up for a test of the search alone
        return columns
    measured = {id(row): heights for row, heights in measurement.row_heights}
    rows = [block for block in document.body if isinstance(block, Row) and id(block) in measured]
    if not rows:
        return columns
    row = max(rows, key=lambda row: max(measured[id(row)], default=0.0))
    filled = [(cell, height) for cell, height in zip(row.cells, measured[id(row)], strict=True)
              if _origins(cell.blocks)]
    if len(filled) < 2:
        return columns
    tallest = max(height for _, height in filled)
    names = (["left column", "right column"] if len(filled) == 2 else
             ["left column", "middle column", "right column"] if len(filled) == 3 else
             [f"column {index + 1}" for index in range(len(filled))])
    for name, (cell, height) in zip(names, filled, strict=True):
        overrun = math.ceil(excess - (tallest - height))
        if overrun > 0:
            columns.too_long.append((name, overrun, cell))
        else:
            columns.short_origins |= _origins(cell.blocks)
    return columns


_ORIGIN = re.compile(r"^(?:audiences\[\d+\]\.)?(asks|sections|stats|quotes|charts)\[(\d+)\]")
_NAMES = {"asks": "asks", "stats": "key figures", "quotes": "quotes", "charts": "charts"}
_NAMED_BY = {"sections": "heading", "charts": "title"}  # what names a section, a chart


def contents(cell: Cell, typed_text: Callable[[str], str]) -> str:
    """What a column holds, in the spec's words: `asks (3), sections 'Why now', 'What
    funding achieves'` or `key figures (3), chart 'Who pays', the quote`."""
    entries: dict[str, dict[int, str]] = {}
    others: list[str] = []
    for block in iter_blocks(cell.blocks):
        origin = block.origin if isinstance(block, Paragraph | Chart) else ""
        if not origin or origin.startswith("layout:"):
            continue
        found = _ORIGIN.match(origin)
        if found is None:
            if origin not in others:
                others.append(origin)
            continue
        kind, index = found.group(1), int(found.group(2))
        names = entries.setdefault(kind, {})
        if f"{kind}[{index}].{_NAMED_BY.get(kind)}" in origin:
            names[index] = typed_text(origin).strip()
        else:
            names.setdefault(index, "")
    described = []
    for kind, names in entries.items():
        if kind in _NAMED_BY and all(names.values()):
            noun = kind if len(names) > 1 else kind.removesuffix("s")
            described.append(f"{noun} " + ", ".join(f"'{name}'" for name in names.values()))
        elif kind == "quotes" and len(names) == 1:
            described.append("the quote")
        else:
            described.append(f"{_NAMES.get(kind, kind)} ({len(names)})")
    return ", ".join(described + others)


def _origins(blocks: tuple[Block, ...]) -> set[str]:
    """The spec fields whose text or chart the blocks show."""
    return {block.origin for block in iter_blocks(blocks)
            if isinstance(block, Paragraph | Chart) and block.origin
            and not block.origin.startswith("layout:")}


def translated_quote_lines(document: Document, fit: Fit, measurement: Measurement,
                           skip: set[str]) -> int:
    """Lines a quote printed with its translation takes, translation and original together
    (0 when no such quote is on the page, or it is in a column that is not too long)."""
    if document is None:
        return 0
    heights = dict(measurement.block_heights)
    lines: dict[str, int] = {}  # quote ("quotes[0]", "audiences[2].quotes[0]") -> lines
    translated: set[str] = set()
    for block in iter_blocks(document.body):
        if not isinstance(block, Paragraph) or block.origin in skip:
            continue
        found = _QUOTE_WORDS.match(block.origin)
        if found and block.origin in heights:
            leading = fitted_style(document.styles[block.style], fit).leading
            quote = found.group(1)
            lines[quote] = lines.get(quote, 0) + round(heights[block.origin] / leading)
            if found.group(2) == "translation":
                translated.add(quote)
    return max((lines[quote] for quote in translated), default=0)


_QUOTE_WORDS = re.compile(r"^((?:audiences\[\d+\]\.)?quotes\[\d+\])\.(translation|text)\b")


def longest_parts(measurement: Measurement, count: int = 3, skip: set[str] | None = None
                  ) -> Iterator[tuple[str, float]]:
    """The spec fields whose paragraphs take the most height, tallest first (leaving out
    those in `skip`)."""
    totals: dict[str, float] = {}
    for origin, height in measurement.block_heights:
        if origin and not origin.startswith("layout:") and origin not in (skip or ()):
            totals[origin] = totals.get(origin, 0.0) + height
    yield from sorted(totals.items(), key=lambda item: -item[1])[:count]
