"""`briefgen translate`: hand a brief's texts to a translator and take the translations back.

The commands parse arguments and print; the work is in `briefgen.translation`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen.cli.exits import EXIT_USER_ERROR, LISTED_AT_MOST, echo_problems, exiting_on_error
from briefgen.cli.options import Debug
from briefgen.cli.output import echo_table, plural

if TYPE_CHECKING:
    from briefgen.errors import Problem
    from briefgen.spec.loader import YamlDocument
    from briefgen.translation.exchange import ImportResult, LanguageStatus
    from briefgen.translation.texts import TranslationText

translate_app = typer.Typer(
    name="translate", no_args_is_help=True, rich_markup_mode=None, add_completion=False,
    help="Export a brief's texts for a translator (XLIFF) and import the translations back.")

SpecPath = Annotated[Path, typer.Argument(help="The brief spec (.yaml).", metavar="SPEC",
                                          show_default=False)]
KEPT_NAMED = LISTED_AT_MOST // 4  # texts that came back as written, quoted by `import`
UNTRANSLATED_NAMED = 6  # texts named per language by `status`; the rest are counted
QUOTED_AT_MOST = 40  # characters of a text shown in a list


@translate_app.command("export")
def export_command(
    spec: SpecPath,
    to: Annotated[str, typer.Option(
        "--to", metavar="LANG", help="The language to translate into, e.g. fr, ru, az.",
        show_default=False)],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FILE", help="Where to write the XLIFF file "
        "[default: beside the spec, e.g. briefs/masg-2025.fr.xlf].", show_default=False)
    ] = None,
    debug: Debug = False,
) -> None:
    """Write an XLIFF file with every text a LANG version prints that is not yet in LANG.

    \b
    Example:
      briefgen translate export briefs/masg-2025.yaml --to fr
    Any translation tool opens the file (Trados, memoQ, Phrase, OmegaT, Weblate, Poedit).
    Figures, source notes, bold, italic and links are tags in it that the tool protects.
    """
    from briefgen.errors import command_path, display_path
    from briefgen.translation.exchange import export_translation
    from briefgen.translation.texts import language_name

    with exiting_on_error(debug, consequence="nothing was written"):
        result = export_translation(spec, to, out)
    for location, field in result.without_source:
        typer.echo(f"{location}: warning: {field}: has no text in "
                   f"{language_name(result.source_language)} to translate from; left out",
                   err=True)
    name = language_name(result.language)
    if result.path is None:
        typer.echo(f"Nothing to translate: every text of {display_path(spec)} is in {name}, "
                   "and none is out of date.")
        return
    total = result.missing + result.untranslated + result.outdated
    typer.echo(f"Wrote {display_path(result.path)}: {total} text{plural(total)} to translate "
               f"into {name} ({result.missing} missing, {result.untranslated} untranslated, "
               f"{result.outdated} out of date).")
    typer.echo("Next: send it to the translator; when it comes back translated, run")
    beside = result.path.resolve().parent == spec.resolve().parent
    typer.echo(f"  briefgen translate import {command_path(result.path)}"
               + ("" if beside else f" --spec {command_path(spec)}"))


@translate_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The translated XLIFF file.", metavar="FILE",
                                         show_default=False)],
    spec: Annotated[Path | None, typer.Option(
        "--spec", metavar="SPEC", help="The spec the file was exported from "
        "[default: the one it names, beside it].", show_default=False)] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Take the file's translation also where the spec's was written "
        "or corrected after the export (by default such a text is kept, and reported).")
    ] = False,
    debug: Debug = False,
) -> None:
    """Write the translations of FILE into its spec and fact files.

    \b
    Example:
      briefgen translate import briefs/masg-2025.fr.xlf
    Each translation is added beside its source text (summary: {en: ..., fr: ...});
    comments, layout and everything else in the files stay as they are. A text written
    once that comes back as it is (a name) stays written once; one translated otherwise
    keeps its text for the languages that printed it (place: {en: Paris, fr: Paris,
    ru: Париж}). Nothing is written when a text changed since the export, a tag is
    broken, or the file belongs to another brief or language. A translation corrected in
    the spec after the export is kept, and reported (--overwrite takes the file's
    instead). What each translation was made from is recorded beside the spec
    (masg-2025.translations.yaml): commit it, so `briefgen check` can tell when a
    translation is out of date.
    """
    from briefgen.errors import display_path
    from briefgen.translation.exchange import import_translation
    from briefgen.translation.texts import language_name

    with exiting_on_error(
            debug, consequence=f"{display_path(file)}: not imported; nothing was written"):
        result = import_translation(file, spec, overwrite=overwrite)
    name = language_name(result.language)
    _echo_imported(result, name)
    _echo_kept(result.kept, name)
    _echo_copied(result.copied)
    _echo_unchanged(result, name)
    if not sum(result.imported.values()) and not (
            result.unchanged or result.conflicts or result.kept):
        typer.echo(f"No {name} translations in {display_path(file)}: nothing was imported.")
    _echo_untranslated_and_records(result)
    if result.conflicts:
        _echo_conflicts(result.conflicts, name, file)
        raise typer.Exit(EXIT_USER_ERROR)
    _echo_next_build(result, name)


def _echo_imported(result: ImportResult, name: str) -> None:
    """`Imported 12 French texts: 9 into briefs/x.yaml, 3 into briefs/facts.yaml.`"""
    from briefgen.errors import display_path

    count = sum(result.imported.values())
    if count:
        places = ", ".join(f"{number} into {display_path(path)}"
                           for path, number in result.imported.items())
        typer.echo(f"Imported {count} {name} text{plural(count)}: {places}.")


def _echo_kept(kept: list[str], name: str) -> None:
    """Texts written once that came back as written (names): they stay written once."""
    if not kept:
        return
    one = len(kept) == 1
    shown = ", ".join(f"“{text}”" for text in kept[:KEPT_NAMED])
    more = f" and {len(kept) - KEPT_NAMED} more" if len(kept) > KEPT_NAMED else ""
    typer.echo(f"{len(kept)} text{plural(len(kept))} came back as written ({shown}{more}): "
               f"{'it stays' if one else 'they stay'} written once, the same in every "
               f"language, and {'counts' if one else 'count'} as translated into {name}.")


def _echo_copied(copied: list[tuple[str, tuple[str, ...]]]) -> None:
    """Texts written once that now have a text per language."""
    from briefgen.translation.texts import language_name

    for described, languages in copied:
        names = " and ".join(language_name(language) for language in languages)
        keys = ", ".join(f"{language}:" for language in languages)
        typer.echo(f"{described} was written once and now has a text per language: {names} "
                   f"{'keeps' if len(languages) == 1 else 'keep'} the one written, as "
                   f"before (under {keys}).")


def _echo_unchanged(result: ImportResult, name: str) -> None:
    if result.unchanged:
        typer.echo(f"{result.unchanged} {name} text{plural(result.unchanged)} "
                   f"{'was' if result.unchanged == 1 else 'were'} in the spec already, word "
                   "for word" + ("; recorded as translated from the current text."
                                 if result.records else "."))


def _echo_untranslated_and_records(result: ImportResult) -> None:
    from briefgen.errors import display_path

    if result.untranslated:
        typer.echo(f"{result.untranslated} text{plural(result.untranslated)} had no "
                   "translation yet: left as "
                   + ("it was." if result.untranslated == 1 else "they were."))
    if result.records:
        typer.echo("Recorded the source of each translation in "
                   + " and ".join(display_path(path) for path in result.records)
                   + (": commit it" if len(result.records) == 1 else ": commit them")
                   + " with the spec.")


def _echo_conflicts(conflicts: list[Problem], name: str, file: Path) -> None:
    """Translations not imported because the spec's text changed after the export."""
    from briefgen.errors import display_path

    echo_problems(conflicts)
    one = len(conflicts) == 1
    typer.echo(f"error: {len(conflicts)} {name} text{plural(len(conflicts))} of "
               f"{display_path(file)} {'was' if one else 'were'} not imported: the spec's "
               f"{'translation was' if one else 'translations were'} kept (see above)",
               err=True)


def _echo_next_build(result: ImportResult, name: str) -> None:
    from briefgen.errors import command_path

    if sum(result.imported.values()) or result.records:
        typer.echo(f"Next: briefgen build {command_path(result.spec_path)}")
        if not result.has_version:
            typer.echo(f"  (no version is printed in {name} yet: give an audience  "
                       f"language: {result.language})")


@translate_app.command("status")
def status_command(
    spec: SpecPath,
    to: Annotated[list[str] | None, typer.Option(
        "--to", metavar="LANG", help="Only this language (repeat for several) "
        "[default: every language the brief uses].", show_default=False)] = None,
    debug: Debug = False,
) -> None:
    """List, per language, how many of the texts its versions print are missing,
    untranslated, out of date and done.

    \b
    Missing: a version in the language stops without it (`build` says "no text in 'az'").
    Untranslated: printed as written, in the brief's language (a text written once, such
    as a name), or left out (a quote's translation); each is named with its line. A name a
    translator gives back as it is counts as done.
    Out of date: its source text changed after it was translated (as recorded by
    `briefgen translate import`). A text translated by hand counts as done.
    """
    from briefgen.errors import command_path, display_path
    from briefgen.translation.exchange import translation_status
    from briefgen.translation.texts import language_name

    with exiting_on_error(debug):
        brief, document, statuses = translation_status(spec, to)
    source_name = language_name(brief.brief.language.split("-")[0])
    if not statuses:
        typer.echo(f"{display_path(spec)} is only in {source_name}. Start a translation "
                   f"with: briefgen translate export {command_path(spec)} --to fr")
        return
    echo_table([("language", "", "missing", "untranslated", "out of date", "done")] + [
        (status.language, language_name(status.language), str(len(status.missing)),
         str(len(status.untranslated)), str(len(status.outdated)), str(status.done))
        for status in statuses], right_aligned={2, 3, 4, 5})
    _echo_untranslated(statuses, document, source_name)
    _echo_outdated(statuses, document, source_name)
    pending = [status.language for status in statuses if status.missing or status.outdated]
    if pending:
        typer.echo("Next: " + "; ".join(f"briefgen translate export {command_path(spec)} "
                                        f"--to {language}" for language in pending))


def _echo_untranslated(statuses: list[LanguageStatus], document: YamlDocument,
                       source_name: str) -> None:
    """Per language, the texts printed as written until translated, named."""
    if not any(status.untranslated for status in statuses):
        return
    typer.echo(f"Untranslated: printed as written, in {source_name}, until translated. "
               "The export includes them; a name that stays the same (\"Paris\") is given "
               "back as it is, and then counts as done:")
    for status in statuses:
        if status.untranslated:
            typer.echo(f"  {status.language}: " + _named_texts(document, status.untranslated))


def _echo_outdated(statuses: list[LanguageStatus], document: YamlDocument,
                   source_name: str) -> None:
    """Each translation made from an earlier text, where it is."""
    for status in statuses:
        for text in status.outdated:
            path = (*text.field.path, text.target_key or status.language)
            typer.echo(f"{document.locate(path)}: {status.language} text of "
                       f"{document.describe(text.field.path)} was translated from an earlier "
                       f"{source_name} text")


def _named_texts(document: YamlDocument, texts: list[TranslationText]) -> str:
    """`“IPC” (sources 'ipc-2026'.short, line 83), ...`: what each text says and where."""
    named = []
    for text in texts[:UNTRANSLATED_NAMED]:
        words = " ".join((text.source or "").split())
        if len(words) > QUOTED_AT_MOST:
            words = words[:QUOTED_AT_MOST - 1].rstrip() + "…"
        location = document.locate(text.field.path)
        where = ("" if location.file.resolve() == document.path.resolve()
                 else f"{location.file.name} ") + f"line {location.line}"
        named.append(f"“{words}” ({document.describe(text.field.path)}, {where})")
    if len(texts) > UNTRANSLATED_NAMED:
        named.append(f"and {len(texts) - UNTRANSLATED_NAMED} more")
    return ", ".join(named)
