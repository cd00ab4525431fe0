"""Fitting: the loosest setting that puts everything on the page, found in few layouts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefgen.document import Fit, Measurement
from briefgen.errors import FitError
from briefgen.fit import FILLED_WITHIN, T_RESOLUTION, find_fit, fit_for

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
    assert fit.spacing == 0.5
    assert height(fit) <= AVAILABLE
    # One resolution step looser no longer fits.
    t = 0.5 + (1 - fit.type_scale) / (1 - 0.88) / 2
    looser = fit_for(t - T_RESOLUTION, 0.5, 0.88)
    assert height(looser) > AVAILABLE
    assert 0.93 < fit.type_scale <= 0.95


def test_a_page_too_long_even_at_the_floors_names_its_longest_part() -> None:
    with pytest.raises(FitError) as caught:
        search(lambda fit: 900.0)
    assert "200 pt too long" in str(caught.value)
    assert "summary (900 pt)" in str(caught.value)
