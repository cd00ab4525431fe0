"""The `briefgen` command (also `python -m briefgen`)."""

from __future__ import annotations

import io
import os
import sys


def main() -> None:
    # pydantic looks through every installed package's metadata for plugins on first use
    # (~20 ms of each start); briefgen uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # A Windows console or a redirected output may use cp1252 or cp437: a message holding
    # ə, Cyrillic or typographic quotes must print as '?' there rather than end the command.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    from briefgen.cli import main as run_command_line

    run_command_line()


if __name__ == "__main__":
    main()
