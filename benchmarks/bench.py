"""briefgen benchmark: speed and memory as ratios to a plain hand-written program.

Run with `make benchmark` (or `.venv/bin/python benchmarks/bench.py`). Not part of the tests:
machines' speed drifts by 2x from one day to the next, so every figure is measured side by
side with the floor, a plain typer + PyYAML + Jinja2 + reportlab + python-docx program that
builds a similar one-pager with no checks and no fitting (`--floor`, by default
`../shared/bench/`), and reported as a ratio next to the absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "briefs" / "masg-2025.yaml"
BRIEFGEN = [sys.executable, "-m", "briefgen"]
TARGETS = {  # ratio to the floor; "max" means lower is better
    # 0.5x for the untagged PDF and string-written DOCX; 0.6x with the tagged PDF and the
    # python-docx DOCX carrying its fonts.
    "in_process": ("one brief in process (PDF + DOCX, fitting)", 0.6, "max"),
    "cold": ("`briefgen build briefs/masg-2025.yaml`, five audiences, cold", 1.2, "max"),
    "batch": ("batch of 200 briefs on all cores, briefs per second", 3.5, "min"),
    "help": ("`briefgen --help`", 0.15, "max"),
    "preview": ("save to updated `briefgen preview` page, five audiences", 1.0, "max"),
}


def timed(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def alternate(first: Callable[[], float], second: Callable[[], float], rounds: int
              ) -> tuple[list[float], list[float]]:
    """Run two measurements in turn, so that a slow minute affects both alike."""
    ones, others = [], []
    for _ in range(rounds):
        ones.append(first())
        others.append(second())
    return ones, others


def briefgen_per_brief(repeats: int, audience: int = 0) -> dict[str, float]:
    """Median milliseconds of one audience's brief in process, by stage, after warm-up."""
    from briefgen.engine.build import render_brief
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template

    stages: dict[str, list[float]] = {}
    out = Path(tempfile.mkdtemp())
    for run in range(repeats + 3):  # the first runs warm caches (fonts, templates, imports)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        document = load_spec(EXAMPLE)
        spec = validate_spec(document)
        template = load_template(spec.brief.template, EXAMPLE)
        timings["read"] = time.perf_counter() - started
        render_brief(spec, template, document, audience, out)
        timings["total"] = time.perf_counter() - started
        if run >= 3:
            for stage, seconds in timings.items():
                stages.setdefault(stage, []).append(seconds * 1000)
    shutil.rmtree(out)
    return {stage: statistics.median(values) for stage, values in stages.items()}


def chart_cost(repeats: int, audience: int = 0) -> tuple[float, float]:
    """Median milliseconds one audience's PDF and DOCX take to render with the example's
    chart, and without it (the same page with its chart blocks left out)."""
    from briefgen.document import Block, Chart, Group, Row
    from briefgen.engine.build import prepare_brief
    from briefgen.render.docx import render_docx
    from briefgen.render.pdf import render_pdf
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template

    def without_charts(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        kept: list[Block] = []
        for block in blocks:
            if isinstance(block, Chart):
                continue
            if isinstance(block, Group):
                block = block._replace(blocks=without_charts(block.blocks))
            elif isinstance(block, Row):
                block = block._replace(cells=tuple(cell._replace(blocks=without_charts(
                    cell.blocks)) for cell in block.cells))
            kept.append(block)
        return tuple(kept)

    document = load_spec(EXAMPLE)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, EXAMPLE)
    prepared = prepare_brief(spec, template, document, audience)
    plain = prepared.document._replace(body=without_charts(prepared.document.body))
    timings: dict[str, list[float]] = {"with": [], "without": []}
    for run in range(repeats + 3):
        for name, page in (("with", prepared.document), ("without", plain)):
            started = time.perf_counter()
            render_pdf(page, prepared.fit)
            render_docx(page, prepared.fit)
            if run >= 3:
                timings[name].append((time.perf_counter() - started) * 1000)
    return statistics.median(timings["with"]), statistics.median(timings["without"])


def floor_per_brief(floor: Path, repeats: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([sys.executable, str(floor / "floor.py"), "loop",
                              str(floor / "floor-brief.yaml"), out, "-n", str(repeats),
                              "--font", "dejavu"], check=True, capture_output=True, text=True)
    return float(json.loads(run.stdout)["total"]["median"])


def batch_rate(count: int) -> tuple[float, float]:
    """Briefs per second for `count` one-audience specs, and the peak memory (MB) of any
    process of the command."""
    text = EXAMPLE.read_text(encoding="utf-8")
    head, _, _ = text.partition("\naudiences:\n")
    with tempfile.TemporaryDirectory() as folder:
        specs = Path(folder) / "specs"
        shutil.copytree(ROOT / "briefs", specs, ignore=shutil.ignore_patterns("*.yaml"))
        shutil.copytree(ROOT / "briefs" / "facts", specs / "facts", dirs_exist_ok=True)
        for number in range(count):
            variant = head.replace("id: masg-2025", f"id: masg-2025-copy-{number:03d}", 1)
            (specs / f"copy-{number:03d}.yaml").write_text(variant + "\n", encoding="utf-8")
        seconds = timed([*BRIEFGEN, "build", "-q", "--force", "-o", str(Path(folder) / "out"),
                         str(specs)])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return count / seconds, peak


def preview_latency(saves: int) -> list[float]:
    """Seconds from writing the example spec (a new title: every English page changes) to a
    client of a running `briefgen preview` holding the new snapshot and its five page images,
    once per save. The client reads the server-sent events as the page's script does."""
    import http.client
    import re
    import signal

    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(ROOT / "briefs", Path(folder) / "briefs")
        spec = Path(folder) / "briefs" / "masg-2025.yaml"
        text = spec.read_text(encoding="utf-8")
        process = subprocess.Popen([*BRIEFGEN, "preview", str(spec), "--no-browser"],
                                   cwd=folder, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        assert process.stdout is not None
        found = None
        while found is None:
            line = process.stdout.readline()
            if not line:
                sys.exit("briefgen preview stopped before it printed its address")
            found = re.search(r" at http://127\.0\.0\.1:(\d+)/", line)
        port = int(found[1])
        events = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        events.request("GET", "/events")
        stream = events.getresponse()

        def next_state() -> dict[str, object]:
            data = None
            for raw in stream:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("data: "):
                    data = json.loads(line[len("data: "):])
                elif not line and data is not None and not data["building"]:
                    return data
            raise SystemExit("the preview's event stream ended")

        def fetch(path: str) -> bytes:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", path)
                return connection.getresponse().read()
            finally:
                connection.close()

        seconds = []
        try:
            next_state()
            for save in range(saves):
                edited = text.replace("almost alone", "nearly alone") if save % 2 == 0 else text
                time.sleep(0.5)  # a save now and then, as a person makes them
                started = time.perf_counter()
                spec.write_text(edited, encoding="utf-8")
                state = next_state()
                pages = state["pages"]
                assert isinstance(pages, list) and len(pages) == 5, state
                for page in pages:
                    fetch(page["thumbnail"]["src"])
                seconds.append(time.perf_counter() - started)
        finally:
            events.close()
            process.send_signal(signal.SIGINT)
            process.wait(30)
            process.stdout.close()
    return seconds


def report(key: str, ratio: float, detail: str) -> None:
    label, target, kind = TARGETS[key]
    met = ratio <= target if kind == "max" else ratio >= target
    sign = "≤" if kind == "max" else "≥"
    print(f"  {label}: {ratio:.2f}x the floor (target {sign} {target}x: "
          f"{'met' if met else 'missed'}); {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--floor", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch", type=int, default=200)
    arguments = parser.parse_args()
    floor = arguments.floor
    if not (floor / "floor.py").is_file():
        sys.exit(f"no floor program at {floor}/floor.py; give its folder with --floor")
    floor_build = [sys.executable, str(floor / "floor.py"), "build",
                   str(floor / "floor-brief.yaml"), tempfile.mkdtemp(), "--font", "dejavu"]

    print("Ratios to the floor, measured side by side (medians):")
    ours, theirs = [], []
    for _ in range(3):
        stages = briefgen_per_brief(arguments.repeats)
        ours.append(stages["total"])
        theirs.append(floor_per_brief(floor, arguments.repeats))
    mine, floor_ms = statistics.median(ours), statistics.median(theirs)
    report("in_process", mine / floor_ms,
           f"{mine:.1f} ms per brief (EU version) against {floor_ms:.1f} ms")

    with_chart, without_chart = chart_cost(arguments.repeats)
    added = with_chart - without_chart
    print(f"  a chart (the example's, drawn in the PDF and written as a Word chart with its "
          f"workbook): +{added:.1f} ms per brief, {added / floor_ms:.2f}x the floor's whole "
          f"brief ({with_chart:.1f} ms against {without_chart:.1f} ms to render without it)")

    with tempfile.TemporaryDirectory() as out:
        command = [*BRIEFGEN, "build", "-q", "--force", "-o", out, str(EXAMPLE)]
        cold, floor_cold = alternate(lambda: timed(command), lambda: timed(floor_build),
                                     arguments.rounds)
    ratio = statistics.median(a / b for a, b in zip(cold, floor_cold, strict=True))
    report("cold", ratio, f"{statistics.median(cold):.2f} s against "
           f"{statistics.median(floor_cold):.2f} s for the floor's one brief")

    latency = statistics.median(preview_latency(2 * arguments.rounds + 1))
    report("preview", latency / statistics.median(floor_cold), f"{latency:.2f} s from the write "
           f"to the new page data and images, against {statistics.median(floor_cold):.2f} s")

    rate, peak = batch_rate(arguments.batch)
    floor_rate = 1000 / floor_ms
    report("batch", rate / floor_rate, f"{rate:.1f} briefs/s on {os.cpu_count()} cores "
           f"against {floor_rate:.1f}/s in the floor's process; peak memory of one process "
           f"{peak:.0f} MB (target < 250 MB)")

    helps, floor_runs = alternate(lambda: timed([*BRIEFGEN, "--help"]),
                                  lambda: timed(floor_build), arguments.rounds)
    ratio = statistics.median(a / b for a, b in zip(helps, floor_runs, strict=True))
    report("help", ratio, f"{statistics.median(helps):.3f} s against "
           f"{statistics.median(floor_runs):.2f} s for the floor's whole process")

    stages = briefgen_per_brief(arguments.repeats)
    print("One brief in process, by stage (ms): " + ", ".join(
        f"{stage} {value:.1f}" for stage, value in stages.items()))


if __name__ == "__main__":
    main()
