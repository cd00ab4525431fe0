"""Build units: in this process, or on a standard process pool when there are enough of them.

Workers are started the platform's usual way (spawn on Windows and macOS, fork on Linux) and
all joined before `build_units` returns; how they stop is in `stopping.py`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from briefgen.engine.stopping import build_in_worker, start_worker, stop_request
from briefgen.engine.units import BuildOptions, Unit, UnitResult
from briefgen.errors import BriefgenBug

# With the default number of jobs, a worker is started only when it gets this many briefs to
# build. A forked worker (Linux) costs less than building two briefs; a worker started as a
# fresh interpreter (Windows, macOS) loads every library again, as much as building six.
# Measured on the example (five briefs, two cores): 0.57 s on two forked workers against
# 0.67 s in one process.
UNITS_PER_WORKER = {"fork": 2}
UNITS_PER_FRESH_WORKER = 6

OnResult = Callable[[UnitResult], None]


def units_per_worker() -> int:
    return UNITS_PER_WORKER.get(multiprocessing.get_start_method(), UNITS_PER_FRESH_WORKER)


def available_cores() -> int:
    """Cores this process may run on: the default number of briefs built at once."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # Windows, macOS


def worker_count(units: list[Unit], options: BuildOptions) -> int:
    """`--jobs`, else as many cores as there are units to share; never more than units."""
    wanted = options.jobs if options.jobs is not None else min(
        available_cores(), len(units) // units_per_worker())
    return min(wanted, len(units))


def build_units(units: list[Unit], options: BuildOptions,
                on_result: OnResult | None = None) -> list[UnitResult]:
    """Build every unit: in this process, or on a pool of processes when it pays (or when
    `options.jobs` asks for it). Results come in the order of `units`; `on_result` is
    called as each finishes.

    Every worker has ended when this returns. On an error or a request to stop (see
    `stopping.py`), units not yet started are cancelled and those being built finish first
    (each is written whole or not at all).
    """
    workers = worker_count(units, options)
    finished = on_result or _ignore
    if workers <= 1:
        return _build_here(units, options, finished)
    return _build_on_pool(units, options, workers, finished)


def _ignore(_: UnitResult) -> None:
    pass


def _build_here(units: list[Unit], options: BuildOptions, finished: OnResult
                ) -> list[UnitResult]:
    from briefgen.engine.build import build_unit

    results = []
    for unit in units:
        with stop_request.deferred():  # a unit being written here is finished first
            results.append(build_unit(unit, options))
            finished(results[-1])
    return results


def _build_on_pool(units: list[Unit], options: BuildOptions, workers: int,
                   finished: OnResult) -> list[UnitResult]:
    with ProcessPoolExecutor(max_workers=workers, initializer=start_worker) as pool:
        futures = [pool.submit(build_in_worker, unit, options) for unit in units]
        try:
            results = _collect(futures, finished)
        except BrokenProcessPool:
            raise BriefgenBug("a worker process stopped unexpectedly; not built: " + ", ".join(
                str(unit.spec_path) + (f" (audience {unit.audience_id})" if unit.audience_id
                                       else "")
                for unit, future in zip(units, futures, strict=True)
                if not _succeeded(future))) from None
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


def _collect(futures: list[Future[UnitResult]], finished: OnResult) -> list[UnitResult]:
    """The futures' results in their order, each passed to `finished` as it comes."""
    for future in as_completed(futures):
        finished(future.result())
    return [future.result() for future in futures]


def _succeeded(future: Future[UnitResult]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None
