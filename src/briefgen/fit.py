"""Fit a document on one page: tighten spacing first, then type, within the template's floors.

One setting `t` in [0, 1] drives both: the first half closes up gaps (down to
`min_spacing`), the second half shrinks type (down to `min_type_scale`, and never below a
style's own minimum size). The smallest `t` that fits is found by bisection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from briefgen.document import Document, Fit, Measurement
from briefgen.errors import FitError, Problem

BISECTION_STEPS = 8


def fit_for(t: float, min_spacing: float, min_type_scale: float) -> Fit:
    spacing = 1.0 - (1.0 - min_spacing) * min(1.0, 2 * t)
    type_scale = 1.0 - (1.0 - min_type_scale) * max(0.0, 2 * t - 1)
    return Fit(spacing=round(spacing, 4), type_scale=round(type_scale, 4))


def find_fit(document: Document, measure: Callable[[Document, Fit], Measurement],
             min_spacing: float, min_type_scale: float, reserve: float,
             describe_origin: Callable[[str], str], spec_path: object) -> Fit:
    """The loosest fit at which the page holds everything with `reserve` points to spare."""
    passes = 0

    def trial(t: float) -> tuple[Fit, Measurement]:
        nonlocal passes
        passes += 1
        fit = fit_for(t, min_spacing, min_type_scale)
        return fit, measure(document, fit)

    def fits(measurement: Measurement) -> bool:
        return measurement.overflow + reserve <= 0

    fit, measurement = trial(0.0)
    if fits(measurement):
        return _done(fit, measurement, passes)
    # Spacing alone (t <= 0.5) keeps every line break, so those trials cost no new layout:
    # try the tightest spacing before touching the type.
    low, high = 0.0, 0.5
    best, best_measurement = trial(0.5)
    if not fits(best_measurement):
        low, high = 0.5, 1.0
        best, best_measurement = trial(1.0)
        if not fits(best_measurement):
            raise _overflow_error(best_measurement, reserve, describe_origin, spec_path)
    for _ in range(BISECTION_STEPS):
        middle = (low + high) / 2
        candidate, candidate_measurement = trial(middle)
        if fits(candidate_measurement):
            high, best, best_measurement = middle, candidate, candidate_measurement
        else:
            low = middle
    return _done(best, best_measurement, passes)


def _done(fit: Fit, measurement: Measurement, passes: int) -> Fit:
    return Fit(spacing=fit.spacing, type_scale=fit.type_scale,
               slack=-measurement.overflow, passes=passes)


def _overflow_error(measurement: Measurement, reserve: float,
                    describe_origin: Callable[[str], str], spec_path: object) -> FitError:
    excess = measurement.overflow + reserve
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
