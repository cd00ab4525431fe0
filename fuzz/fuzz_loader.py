"""Fuzz the spec loader and validator: any bytes give a spec or a located user error.

    .venv/bin/python fuzz/fuzz_loader.py                 # 20,000 inputs (about a minute)
    .venv/bin/python fuzz/fuzz_loader.py --examples 1000000 --seed 7

With atheris installed (`pip install atheris`), `--atheris` runs coverage-guided fuzzing
instead, until stopped. Any other exception is a bug: the input is printed (and atheris
saves it as a crash file) so it can become a test case.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefgen.errors import UserError
from briefgen.spec.loader import parse_yaml
from briefgen.spec.validate import validate_spec

SEEDS = [
    (Path(__file__).resolve().parent.parent / "briefs" / "masg-2025.yaml").read_bytes(),
    (Path(__file__).resolve().parent.parent / "tests" / "specs" / "full.yaml").read_bytes(),
]


def check_one(data: bytes) -> None:
    """Load and validate `data`; only UserError may escape."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # the file reader reports this before parsing (tested separately)
    try:
        validate_spec(parse_yaml(text, Path("fuzz.yaml")))
    except UserError as error:
        assert "fuzz.yaml" in str(error), str(error)


def mutate(random_bytes: bytes, seed: bytes) -> bytes:
    """Splice random bytes into a real spec, so most inputs get past the YAML parser."""
    if not random_bytes:
        return seed
    position = random_bytes[0] * len(seed) // 256
    cut = random_bytes[1] if len(random_bytes) > 1 else 0
    return seed[:position] + random_bytes[2:] + seed[position + cut:]


def run_hypothesis(examples: int, seed: int) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=examples, deadline=None, database=None, derandomize=False)
    @given(st.binary(max_size=300), st.sampled_from(SEEDS))
    def fuzz(random_bytes: bytes, spec: bytes) -> None:
        check_one(mutate(random_bytes, spec))

    import random

    random.seed(seed)
    fuzz()
    print(f"{examples} inputs: no crash")


def run_atheris() -> None:
    import atheris  # type: ignore[import-not-found]

    def one(data: bytes) -> None:
        check_one(mutate(data, SEEDS[0]))

    atheris.Setup(sys.argv[:1], one)
    atheris.Fuzz()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--atheris", action="store_true")
    arguments = parser.parse_args()
    if arguments.atheris:
        run_atheris()
    else:
        run_hypothesis(arguments.examples, arguments.seed)


if __name__ == "__main__":
    main()
