"""briefgen benchmark: prints the speed and memory figures the README reports.

Run with `make benchmark` (or `.venv/bin/python benchmarks/bench.py`). Not part of the test run:
timings depend on the machine and on what else it is doing, so they are reported, not asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "briefs" / "masg-2025.yaml"
BRIEFGEN = [sys.executable, "-m", "briefgen"]


def in_process(repeats: int) -> None:
    from briefgen.build import render_brief
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template

    stages: dict[str, list[float]] = {}
    totals: list[float] = []
    out = Path(tempfile.mkdtemp())
    for run in range(repeats + 3):  # the first runs warm caches (fonts, templates, imports)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        mark = time.perf_counter()
        document = load_spec(EXAMPLE)
        timings["load"] = time.perf_counter() - mark
        mark = time.perf_counter()
        spec = validate_spec(document)
        timings["validate"] = time.perf_counter() - mark
        template = load_template(spec.brief.template, EXAMPLE)
        brief = render_brief(spec, template, document, 0, out, timings)
        total = time.perf_counter() - started
        if run >= 3:
            totals.append(total)
            for stage, seconds in timings.items():
                stages.setdefault(stage, []).append(seconds)
    shutil.rmtree(out)
    print(f"One brief (EU audience), PDF + DOCX in process, median of {repeats} after warm-up:")
    for stage, values in stages.items():
        print(f"  {stage:<10} {statistics.median(values) * 1000:7.1f} ms")
    print(f"  {'total':<10} {statistics.median(totals) * 1000:7.1f} ms"
          f"   (fit passes: {brief.fit.passes}, fit: {brief.fit.describe()})")


def whole_command(repeats: int) -> None:
    audiences = EXAMPLE.read_text(encoding="utf-8").count("\n  - id: ", EXAMPLE.read_text(
        encoding="utf-8").index("\naudiences:"))
    for label, selection in ((f"all {audiences} audiences", []),
                             ("3 audiences: -a eu -a us -a be",
                              ["-a", "eu", "-a", "us", "-a", "be"])):
        times = []
        with tempfile.TemporaryDirectory() as out:
            for _ in range(repeats):
                started = time.perf_counter()
                subprocess.run([*BRIEFGEN, "build", "-q", "--force", "-o", out, str(EXAMPLE),
                                *selection], check=True, stderr=subprocess.DEVNULL)
                times.append(time.perf_counter() - started)
        print(f"`briefgen build briefs/masg-2025.yaml` ({label}), whole command, new process "
              f"each time: median {statistics.median(times):.2f} s, best {min(times):.2f} s "
              f"of {repeats}")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([*BRIEFGEN, "--help"], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    print(f"`briefgen --help`: median {statistics.median(times):.2f} s")


def batch(count: int, jobs: int) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    head, _, _ = text.partition("\naudiences:\n")
    with tempfile.TemporaryDirectory() as folder:
        specs = Path(folder) / "specs"
        shutil.copytree(ROOT / "briefs", specs, ignore=shutil.ignore_patterns("*.yaml"))
        shutil.copytree(ROOT / "briefs" / "facts", specs / "facts", dirs_exist_ok=True)
        for number in range(count):
            variant = head.replace("id: masg-2025", f"id: masg-2025-copy-{number:03d}", 1)
            (specs / f"copy-{number:03d}.yaml").write_text(variant + "\n", encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run([*BRIEFGEN, "build", "-q", "--force", "-j", str(jobs), "-o",
                        str(Path(folder) / "out"), str(specs)], check=True,
                       stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"Batch of {count} briefs on {jobs} processes: {seconds:.2f} s, "
          f"{count / seconds:.1f} briefs/s; peak memory of one process "
          f"{max(peak, before) / 1024:.0f} MB (x{jobs} workers + parent)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    arguments = parser.parse_args()
    in_process(arguments.repeats)
    whole_command(max(3, arguments.repeats // 3))
    batch(arguments.batch, arguments.jobs)


if __name__ == "__main__":
    main()
