"""How many processes build a run's units."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefgen.engine.pool
from briefgen.engine.pool import units_per_worker, worker_count
from briefgen.engine.units import BuildOptions, Unit


def units(count: int) -> list[Unit]:
    return [Unit(Path(f"{number}.yaml"), f"b{number}", None, "", Path("out"))
            for number in range(count)]


@pytest.fixture(autouse=True)
def four_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(briefgen.engine.pool, "available_cores", lambda: 4)


def test_by_default_a_worker_is_started_only_for_enough_units() -> None:
    per_worker = units_per_worker()
    assert worker_count(units(per_worker - 1), BuildOptions(jobs=None)) == 0
    assert worker_count(units(2 * per_worker), BuildOptions(jobs=None)) == 2
    assert worker_count(units(100 * per_worker), BuildOptions(jobs=None)) == 4


def test_jobs_asked_for_are_started_but_never_more_than_units() -> None:
    assert worker_count(units(10), BuildOptions(jobs=3)) == 3
    assert worker_count(units(2), BuildOptions(jobs=8)) == 2
