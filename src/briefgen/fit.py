"""Fit a document on one page: tighten spacing first, then type, within the template's floors.

One setting `t` in [0, 1] drives both: the first half closes up gaps (down to
`min_spacing`), the second half shrinks type (down to `min_type_scale`, and never below a
style's own minimum size). The smallest `t` that fits is searched by false position.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from briefgen.document import Document, Fit, Measurement
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
             max_spacing: float = 1.0) -> Fit:
    """The loosest fit at which the page holds everything with `reserve` points to spare;
    a page with room to spare opens its gaps, up to `max_spacing`, to fill it."""
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
        return _done(fit, measurement, passes)
    # Spacing alone (t <= 0.5) keeps every line break, and heights then change linearly, so
    # the first estimate is usually the answer; type changes move in steps.
    low, over_low = 0.0, over
    high = 0.5
    over_high, best, best_measurement = excess(high)
    if over_high > 0:
        low, over_low, high = 0.5, over_high, 1.0
        over_high, best, best_measurement = excess(high)
        if over_high > 0:
            raise _overflow_error(best_measurement, reserve, describe_origin, spec_path)
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
    return _done(best, best_measurement, passes)


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
        return _done(widest, measure(document, widest), passes + 1)
    spacing = 1.0 + (max_spacing - 1.0) * -over / (over_widest - over)
    for _ in range(4):  # rounding: step back until it holds
        fit = Fit(spacing=round(spacing - 0.00005, 4))
        opened = measure(document, fit)
        passes += 1
        if opened.overflow + reserve <= 0:
            return _done(fit, opened, passes)
        spacing -= (spacing - 1.0) / 8
    return _done(Fit(), measurement, passes)


def _done(fit: Fit, measurement: Measurement, passes: int) -> Fit:
    return Fit(spacing=fit.spacing, type_scale=fit.type_scale,
               slack=-measurement.overflow, passes=passes)


def _overflow_error(measurement: Measurement, reserve: float,
                    describe_origin: Callable[[str], str], spec_path: object) -> FitError:
    excess = math.ceil(measurement.overflow + reserve)  # "0 pt too long" would puzzle
    lines = max(1, round(excess / 13))
    parts = [f"{describe_origin(origin)} ({height:.0f} pt)"
             for origin, height in longest_parts(measurement)]
    message = (f"the brief does not fit on one page: {excess:.0f} pt too long (about {lines} "
               f"line{'s' if lines != 1 else ''} of body text) even with the tightest spacing "
               f"and smallest type allowed")
    hint = "shorten the longest parts: " + "; ".join(parts) if parts else "shorten the text"
    return FitError(Problem(spec_path, "", message, hint, rule="fit"))  # type: ignore[arg-type]



def longest_parts(measurement: Measurement, count: int = 3) -> Iterator[tuple[str, float]]:
    """The spec fields whose paragraphs take the most height, tallest first."""
    totals: dict[str, float] = {}
    for origin, height in measurement.block_heights:
        if origin and not origin.startswith("layout:"):
            totals[origin] = totals.get(origin, 0.0) + height
    yield from sorted(totals.items(), key=lambda item: -item[1])[:count]
