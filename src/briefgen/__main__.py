"""The `briefgen` command (also `python -m briefgen`)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    # pydantic looks through every installed package's metadata for plugins on first use
    # (~20 ms of each start); briefgen uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from briefgen import prestart

    workers = prestart.wanted_workers(sys.argv[1:], prestart.available_cores())
    if workers:
        prestart.start(workers, sys.argv[1:])
    from briefgen.cli import main as run_command_line

    run_command_line()


if __name__ == "__main__":
    main()
