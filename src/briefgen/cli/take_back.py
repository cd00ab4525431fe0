"""`briefgen take-back`: what a colleague changed in a brief's DOCX, back into the spec.

The command parses arguments, shows the changes and asks before writing; the work is in
`briefgen.edits`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen.cli.exits import EXIT_USER_ERROR, exiting_on_error
from briefgen.cli.options import Debug
from briefgen.cli.output import counted

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from briefgen.edits.take_back import TakeBack, TextUpdate

CONTEXT_WORDS = 6  # words shown around each change of a long text
SHORT_TEXT = 160  # characters: a text this short is shown whole
_WORDS = re.compile(r"\S+|\s+")


def take_back_command(
    file: Annotated[Path, typer.Argument(help="The DOCX as the colleague sent it back.",
                                         metavar="DOCX", show_default=False)],
    spec: Annotated[Path | None, typer.Option(
        "--spec", metavar="SPEC", help="The spec the DOCX was built from [default: the one "
        "it names, beside it, here, or in briefs/].", show_default=False)] = None,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Write the changes without asking (needed when not run in a "
        "terminal).")] = False,
    accept_tracked: Annotated[bool, typer.Option(
        "--accept-tracked", help="Take tracked changes (insertions and deletions still "
        "waiting to be accepted in Word) as if accepted; by default they are listed and "
        "not taken.")] = False,
    debug: Debug = False,
) -> None:
    """Take the edits a colleague made in a brief's DOCX back into its spec.

    \b
    Example:
      briefgen take-back "2025-03-24_masg-2025_eu_en-gb (AN edits).docx"
    Each text of the spec that was changed in Word is shown, old and new, with where it is
    written (spec, fact file, or its translation), then written in on confirmation: only
    those texts change; comments and layout of the files stay. Figures are changed in their
    stats, not in the text: a number edited in Word is listed and not taken, and a
    citation [@id] stays where its number still is. Tracked changes and comments are listed
    with their authors; pending tracked changes are not taken unless --accept-tracked. A
    text changed both in the spec (since the DOCX was built) and in the DOCX is a conflict:
    listed, and neither is overwritten. Nothing is written when the DOCX is unsafe,
    damaged, or was built from another brief.
    """
    from briefgen.errors import display_path

    out = _console(sys.stdout)
    with exiting_on_error(debug, consequence=f"{display_path(file)}: nothing was taken back"):
        from briefgen.edits.take_back import take_back, write_back

        result = take_back(file, spec, accept_tracked=accept_tracked)
        show_take_back(result, out)
        failed = EXIT_USER_ERROR if result.conflicts else 0
        if not result.updates:
            out.print("Nothing to take back: no text of the spec was changed in the DOCX"
                      + (" (see above)." if result.remarks else "."))
            raise typer.Exit(failed)
        count = counted(len(result.updates), "text")
        if not yes and not _confirmed(count, out):
            raise typer.Exit(failed if sys.stdin.isatty() else EXIT_USER_ERROR)
        written = write_back(result)
    files = ", ".join(display_path(path) for path in written)
    out.print(f"Wrote {count} into {files}. Build it again to see them on the page:")
    out.print(f"  briefgen build {_command_path(result.spec_path)}")
    raise typer.Exit(failed)


def _confirmed(count: str, out: Console) -> bool:
    """Whether the user agrees to write `count` texts; never, without a terminal to ask on."""
    if not sys.stdin.isatty():
        out.print(f"Nothing written: run it again with --yes to write these {count} "
                  "(there is no terminal to ask on).")
        return False
    if typer.confirm(f"Write these {count} into the spec?", default=False):
        return True
    out.print("Nothing written.")
    return False


def show_take_back(result: TakeBack, out: Console) -> None:
    """What the DOCX brings back: where it comes from, each text's change, what else."""
    from briefgen.errors import display_path

    origin = result.origin
    version = f"the version for {origin.audience_id}" if origin.audience_id else "the brief"
    out.print(f"{display_path(result.docx_path)}: built from {display_path(result.spec_path)}, "
              f"{version} ({origin.language}).")
    if result.spec_changed:
        out.print("The spec has changed since this DOCX was built: a text changed in both is "
                  "a conflict (listed below, neither is overwritten); a text changed only in "
                  "the spec keeps the spec's words.")
    for update in result.updates:
        show_update(update, out)
    if result.remarks:
        out.print()
    for remark in result.remarks:
        style = "red" if remark.severity == "error" else "yellow"
        out.print(_plain_text(str(remark), style))


def show_update(update: TextUpdate, out: Console) -> None:
    """One text's change: its name and place, then the old and new words with what changed
    marked (struck out in red, added in green), long texts around their changes only."""
    from rich.text import Text

    from briefgen.errors import display_path

    out.print()
    heading = Text()
    heading.append(update.described, style="bold")
    heading.append(f"  {display_path(update.location.file)}:{update.location.line}",
                   style="cyan")
    language = update.change.language
    if language and update.change.source_key is not None:
        heading.append(f"  (written for {language} beside the text as it was)", style="dim")
    out.print(heading)
    old, new = word_diff(update.old, update.new)
    for label, words in (("old", old), ("new", new)):
        line = Text()
        line.append(f"  {label}  ", style="dim")
        line.append_text(words)
        out.print(line)


def word_diff(old: str, new: str) -> tuple[Text, Text]:
    """The old and new texts with deleted words struck out in red and added ones in green;
    a long text shortened to the words around its changes."""
    import difflib

    from rich.text import Text

    before = _WORDS.findall(" ".join(old.split()))
    after = _WORDS.findall(" ".join(new.split()))
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    opcodes = _joined(list(matcher.get_opcodes()), before)
    shorten = len(old) > SHORT_TEXT or len(new) > SHORT_TEXT
    old_text, new_text = Text(), Text()
    for index, (operation, first, last, start, end) in enumerate(opcodes):
        if operation == "equal":
            _append_context(old_text, before[first:last], index, len(opcodes), shorten)
            _append_context(new_text, after[start:end], index, len(opcodes), shorten)
            continue
        _append_changed(old_text, "".join(before[first:last]), "red strike")
        _append_changed(new_text, "".join(after[start:end]), "green underline")
    return old_text, new_text


def _joined(opcodes: Sequence[tuple[str, int, int, int, int]], before: list[str]
            ) -> list[tuple[str, int, int, int, int]]:
    """Changes only a space apart as one ("fund only" → "cover just")."""
    joined: list[tuple[str, int, int, int, int]] = []
    for opcode in opcodes:
        if (len(joined) >= 2 and joined[-2][0] != "equal" and opcode[0] != "equal"
                and joined[-1][0] == "equal"
                and not "".join(before[joined[-1][1]:joined[-1][2]]).strip()):
            joined.pop()  # the space between them
            previous = joined.pop()
            joined.append(("replace", previous[1], opcode[2], previous[3], opcode[4]))
            continue
        joined.append(opcode)
    return joined


def _append_changed(text: Text, words: str, style: str) -> None:
    """Changed words styled, the spaces around them not."""
    stripped = words.strip()
    lead = words[:len(words) - len(words.lstrip())]
    text.append(lead)
    text.append(stripped, style=style)
    text.append(words[len(lead) + len(stripped):])


def _append_context(text: Text, words: list[str], index: int, count: int,
                    shorten: bool) -> None:
    """Unchanged words: all of them, or those next to a change with "…" for the rest."""
    keep = CONTEXT_WORDS * 2  # words and the spaces between them
    if not shorten or len(words) <= 2 * keep:
        text.append("".join(words))
        return
    if index > 0:  # after a change
        text.append("".join(words[:keep]).rstrip())
    text.append(" … " if 0 < index < count - 1 else " …" if index else "… ", style="dim")
    if index < count - 1:  # before a change
        text.append("".join(words[-keep:]).lstrip())


def _plain_text(line: str, style: str) -> Text:
    from rich.text import Text

    return Text(line, style=style)


def _console(stream: object) -> Console:
    from rich.console import Console

    # No markup, emoji or highlighting of the spec's words: "[@id]" and ":x:" are text.
    return Console(file=stream, highlight=False, markup=False, emoji=False,  # type: ignore[arg-type]
                   soft_wrap=True)


def _command_path(path: Path) -> str:
    from briefgen.errors import command_path

    return command_path(path)
