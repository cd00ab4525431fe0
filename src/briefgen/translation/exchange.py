"""`briefgen translate export / import / status`, end to end.

    spec + fact files --localized_fields--> texts for a language --tag_source--> XLIFF 1.2
    translated XLIFF --read_xliff--> checked units --markup_from_target--> markup
      --write_translations--> spec + fact files, and their translation records (all or none)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import Location, Problem, SpecError, UserError, command_path, display_path
from briefgen.resolve.language import base_language, language_name, same_language, text_or_first
from briefgen.spec.loader import YamlDocument
from briefgen.spec.models import BriefSpec
from briefgen.translation.brief import (
    checked_language,
    default_export_path,
    export_mark,
    languages_in_use,
    load_brief,
    load_brief_template,
)
from briefgen.translation.placeholders import TagError, content_signature
from briefgen.translation.records import RecordBook
from briefgen.translation.spec_update import keeps_as_written, languages_keeping, spec_update
from briefgen.translation.texts import (
    TranslationText,
    localized_fields,
    text_hash,
    texts_for_language,
    versions_in,
)
from briefgen.translation.units import (
    checked_translation,
    export_unit,
    labels_in,
    source_element,
    tagged_source,
    texts_by_key,
)
from briefgen.translation.xliff import ImportUnit, XliffFile, read_xliff, write_xliff
from briefgen.write import OutputFile, write_atomically

if TYPE_CHECKING:
    from briefgen.template import Template


@dataclass
class ExportResult:
    """What `export_translation` wrote: `path` is None when nothing needed translating."""

    spec_path: Path
    source_language: str  # the brief's language, without region: `en`
    language: str
    path: Path | None
    missing: int
    outdated: int
    untranslated: int = 0
    without_source: list[tuple[Location, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    """What `import_translation` wrote: translations per YAML file, and the records."""

    spec_path: Path
    language: str
    imported: dict[Path, int]
    records: list[Path]
    untranslated: int  # units without a translation, left out
    unchanged: int  # translations the spec already had, word for word
    has_version: bool  # some audience (or the brief) is printed in the language
    # Translations not imported because the spec's text was changed after the export.
    conflicts: list[Problem] = field(default_factory=list)
    # Texts written once that came back as they are (names): left written once, recorded.
    kept: list[str] = field(default_factory=list)
    # Texts written once that became mappings, each with the languages that keep printing
    # the text as written (given it word for word under their own key).
    copied: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


@dataclass
class LanguageStatus:
    """The texts the versions in `language` print, by state (see `texts.State`)."""

    language: str
    missing: list[TranslationText]
    untranslated: list[TranslationText]
    outdated: list[TranslationText]
    done: int


# ---------------------------------------------------------------------------------------------
# Export


def export_translation(spec_path: Path, language: str, out: Path | None = None) -> ExportResult:
    """Write the XLIFF file of every text a version in `language` prints that the language
    lacks or has out of date."""
    document, spec = load_brief(spec_path)
    target = checked_language(language, spec, Location(spec_path, 1, 1))
    template = load_brief_template(spec, spec_path)
    book = RecordBook(document)
    result = ExportResult(spec_path, base_language(spec.brief.language), target, None, 0, 0)
    wanted = _texts_to_translate(spec, document, template, target, book, result)
    if not wanted:
        return result
    path = out if out is not None else default_export_path(spec_path, target)
    _refuse_to_overwrite_translations(path, spec, document, template, target, book)
    labels = labels_in(template, target)
    units = [export_unit(spec, document, text, outdated, target, labels)
             for text, outdated in wanted]
    data = write_xliff(units, original=spec_path.name, brief_id=spec.brief.id,
                       source_language=spec.brief.language, target_language=target,
                       note=_file_note(spec, target, len(units)),
                       export_mark=export_mark(spec.brief.id, target))
    write_atomically([OutputFile(path, data)], protected={spec_path, *document.included})
    result.path = path
    return result


def _texts_to_translate(spec: BriefSpec, document: YamlDocument, template: Template,
                        target: str, book: RecordBook, result: ExportResult
                        ) -> list[tuple[TranslationText, bool]]:
    """The texts a version in `target` prints that are not translated (or are out of date),
    each with whether it is out of date; counted into `result`, as are those without a
    text to translate from."""
    wanted: list[tuple[TranslationText, bool]] = []
    for text in texts_for_language(spec, document, template, target):
        if text.source is None:
            if text.target is None:
                result.without_source.append((document.locate(text.field.path),
                                              document.describe(text.field.path)))
            continue
        state = book.state(text, target)
        if state != "done":
            wanted.append((text, book.is_outdated(text)))
            result.missing += state == "missing"
            result.untranslated += state == "untranslated"
            result.outdated += state == "outdated"
    return wanted


def _file_note(spec: BriefSpec, target: str, count: int) -> str:
    """The note at the top of the file: what it is, and what its tags are."""
    title = text_or_first(spec.brief.title, spec.brief.language)
    return (f"{title} ({spec.brief.id}): {count} texts from "
            f"{language_name(base_language(spec.brief.language))} into "
            f"{language_name(target)}. Keep each tag once; you may move it. <x/> prints a figure "
            "or a source's note number from the brief's data; <g> is bold, italic or a link "
            "around words, which you translate inside it. Each text's note says where it is "
            "printed and how long it may be.")


def _refuse_to_overwrite_translations(path: Path, spec: BriefSpec, document: YamlDocument,
                                      template: Template, target: str, book: RecordBook
                                      ) -> None:
    """An earlier export may have come back translated: never write over a translation that
    is not in the spec yet."""
    if not path.exists():
        return
    try:
        existing = read_xliff(path)
    except UserError:
        raise UserError(Problem(path, "", "exists and is not a translation file briefgen "
                                "can read", "delete it, or write elsewhere with --out FILE")
                        ) from None
    texts = texts_by_key(spec, document, template, target)
    if not all(_in_the_spec(unit, texts.get(unit.key), book, target) for unit in existing.units
               if unit.has_translation):
        raise UserError(Problem(
            path, "", "holds translations that are not in the spec yet",
            f"import them first: briefgen translate import {command_path(path)}  (or "
            "write elsewhere with --out FILE)"))


def _in_the_spec(unit: ImportUnit, text: TranslationText | None, book: RecordBook,
                 target: str) -> bool:
    """Whether a unit's translation is the one the spec has (imported already)."""
    if text is None or text.source is None:
        return False
    try:
        translation = checked_translation(unit, text, tagged_source(text)[1])
    except TagError:
        return False
    return (text.source if book.keeps_as_written(text, target) else text.target) == translation


# ---------------------------------------------------------------------------------------------
# Import


def import_translation(xliff_path: Path, spec_path: Path | None = None, *,
                       overwrite: bool = False) -> ImportResult:
    """Write the translations of a translated XLIFF file into its spec and fact files.

    Refuses the whole file, writing nothing, when it was made for another brief or another
    language, when a unit's source text has changed since the export, or when a
    translation's tags are broken, missing or extra. A translation in the spec that differs
    from the one the export knew (corrected by hand since) is a conflict: it is kept, and the
    file's is not imported, unless `overwrite`. Writes every changed file and record, or none.
    """
    xliff = read_xliff(xliff_path)
    spec_path = spec_path if spec_path is not None else _spec_beside(xliff_path, xliff.original)
    document, spec = load_brief(spec_path)
    target = _target_language(xliff, spec, spec_path)
    template = load_brief_template(spec, spec_path)
    importing = _Import(xliff, spec_path, spec, document, template, target)
    book = RecordBook(document)
    taken, conflicts = importing.taken(importing.accepted_units(), book, overwrite=overwrite)
    copies = languages_keeping(spec, document, template, book, taken, target)
    update = spec_update(spec, document, book, localized_fields(spec), taken, target, copies)
    if update.outputs:
        write_atomically(update.outputs)
    kept = [text.source for text, markup in taken
            if text.source is not None and keeps_as_written(text, markup)]
    return ImportResult(spec_path, target, update.imported, update.records,
                        importing.untranslated,
                        len(taken) - sum(update.imported.values()) - len(kept),
                        bool(versions_in(spec, target)), conflicts, kept,
                        [(document.describe(path), languages)
                         for path, languages in copies.items() if languages])


def _spec_beside(xliff_path: Path, original: str) -> Path:
    """The spec an XLIFF file names, looked for beside it (never elsewhere)."""
    name = Path(original).name
    if not original or name != original or not name.endswith((".yaml", ".yml")):
        raise UserError(Problem(xliff_path, "", "does not name the spec it was made for",
                                "name it: briefgen translate import FILE --spec SPEC"))
    candidate = xliff_path.parent / name
    if not candidate.is_file():
        raise UserError(Problem(xliff_path, "", f"was made for {name}, which is not beside it",
                                f"name the spec: briefgen translate import "
                                f"{command_path(xliff_path)} --spec briefs/{name}"))
    return candidate


def _target_language(xliff: XliffFile, spec: BriefSpec, spec_path: Path) -> str:
    """The language the file translates into, once it is known to be made for this brief,
    from its language, into a language it can be translated into."""
    file_place = Location(xliff.path, 1, 1)
    shown_spec = display_path(spec_path)
    if xliff.brief_id is not None and xliff.brief_id != spec.brief.id:
        raise UserError(Problem(file_place, "", f"was made for the brief {xliff.brief_id!r}, "
                                f"not for {spec.brief.id!r} ({shown_spec})",
                                "import it into the spec it was exported from (--spec)"))
    if xliff.brief_id is None and xliff.original != spec_path.name:
        raise UserError(Problem(file_place, "", f"was made for {xliff.original!r}, not for "
                                f"{spec_path.name!r}", "import it into the spec it was "
                                "exported from (--spec)"))
    if not same_language(xliff.source_language or "?", spec.brief.language):
        raise UserError(Problem(file_place, "", f"translates from {xliff.source_language!r}, "
                                f"but {shown_spec} is written in {spec.brief.language!r}",
                                "export the texts again and have the new file translated"))
    if not xliff.target_language:
        raise UserError(Problem(file_place, "", "does not say which language it translates "
                                "into (target-language)", "export the file again"))
    target = checked_language(xliff.target_language, spec, file_place)
    _check_export_mark(xliff, spec, target, spec_path)
    return target


def _check_export_mark(xliff: XliffFile, spec: BriefSpec, target: str, spec_path: Path) -> None:
    """Refuse a file whose language was changed after the export (an `az` file relabelled
    `fr` would write Azerbaijani over the French). A file whose tool dropped the mark is
    read: each of its texts is still checked against the translation the export knew."""
    mark = xliff.export_mark
    if mark is None or mark == export_mark(spec.brief.id, target):
        return
    exported_for = mark.split(" ")[0]
    name = language_name(target)
    export = f"briefgen translate export {command_path(spec_path)} --to {target}"
    if exported_for and not same_language(exported_for, target):
        message = (f"was exported for {language_name(exported_for)} ({exported_for}), but its "
                   f"target-language now says {name} ({xliff.target_language})")
        hint = (f"set target-language back to {exported_for} if the translations are in "
                f"{language_name(exported_for)}; for {name}, export its texts: {export}")
    else:
        message = (f"says it translates into {name} ({xliff.target_language}), but it was "
                   "exported for another language or brief (its briefgen:export mark does "
                   "not match)")
        hint = f"import the file as it was exported, or export the texts again: {export}"
    raise UserError(Problem(xliff.location, "", message, hint))


@dataclass
class _Import:
    """One translated file being read into its brief."""

    xliff: XliffFile
    spec_path: Path
    spec: BriefSpec
    document: YamlDocument
    template: Template
    target: str
    untranslated: int = 0  # units without a translation yet

    def accepted_units(self) -> list[tuple[TranslationText, str, ImportUnit]]:
        """Each translated unit with its text and its translation as markup; `SpecError`
        with every unit that cannot be imported."""
        texts = texts_by_key(self.spec, self.document, self.template, self.target)
        problems: list[Problem] = []
        accepted: list[tuple[TranslationText, str, ImportUnit]] = []
        seen: set[str] = set()
        for unit in self.xliff.units:
            text = texts.get(unit.key)
            name = text.field.key if text is not None else unit.key
            if name in seen:
                problems.append(Problem(unit.location, unit.key, "is in the file twice",
                                        "keep one of the two"))
                continue
            seen.add(name)
            if not unit.has_translation:
                self.untranslated += 1  # not translated yet: nothing to check or write
                continue
            found = self._translation(unit, text)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                accepted.append((found[0], found[1], unit))
        if problems:
            raise SpecError(problems)
        return accepted

    def _translation(self, unit: ImportUnit, text: TranslationText | None
                     ) -> tuple[TranslationText, str] | Problem:
        """A unit's text and its translation as markup, or why it cannot be imported."""
        source_name = language_name(base_language(self.spec.brief.language))
        if text is None or text.source is None:
            return Problem(unit.location, unit.key, f"{display_path(self.spec_path)} has no "
                           f"such text in {source_name} (removed or renamed since the "
                           "export?)", self._export_again())
        source_xml, tags = tagged_source(text)
        if content_signature(unit.source) != content_signature(source_element(source_xml)):
            return Problem(unit.location, unit.key, f"its {source_name} text has changed since "
                           f"this file was exported (now at "
                           f"{self.document.locate(text.field.path)})", self._export_again())
        try:
            return text, checked_translation(unit, text, tags)
        except TagError as error:
            return Problem(unit.location, unit.key, f"the translation {error.message}",
                           error.hint)

    def taken(self, accepted: list[tuple[TranslationText, str, ImportUnit]], book: RecordBook,
              *, overwrite: bool) -> tuple[list[tuple[TranslationText, str]], list[Problem]]:
        """The translations to write, and the conflicts: translations the spec has that
        were written or corrected after the export (kept, unless `overwrite`)."""
        taken: list[tuple[TranslationText, str]] = []
        conflicts: list[Problem] = []
        for text, markup, unit in accepted:
            if overwrite or _may_replace(text, markup, unit, book):
                taken.append((text, markup))
            else:
                conflicts.append(self._conflict(text, unit))
        return taken, conflicts

    def _export_again(self) -> str:
        return (f"export again (briefgen translate export {command_path(self.spec_path)} --to "
                f"{self.target}) and have the new file translated; the tool's memory reuses "
                "what is unchanged")

    def _conflict(self, text: TranslationText, unit: ImportUnit) -> Problem:
        """The spec's translation was written or corrected after the export: it is kept."""
        path = (*text.field.path, text.target_key) if text.target_key else text.field.path
        xliff_path, spec_path = self.xliff.path, self.spec_path
        beside = xliff_path.resolve().parent == spec_path.resolve().parent
        command = (f"briefgen translate import {command_path(xliff_path)} --overwrite"
                   + ("" if beside else f" --spec {command_path(spec_path)}"))
        return Problem(
            unit.location, unit.key,
            f"the {language_name(self.target)} text in the spec "
            f"({self.document.locate(path)}) was written or corrected after this file was "
            "exported: it is kept, and the file's translation was not imported",
            f"to take the file's translation instead: {command}")


def _may_replace(text: TranslationText, markup: str, unit: ImportUnit, book: RecordBook) -> bool:
    """Whether a translation may be written: the spec has none, the same, or the one the
    export knew (a text exported out of date, to be updated)."""
    current = text.target
    if current is None or text_hash(current) == text_hash(markup):
        return True
    if unit.known_translation is not None:
        return unit.known_translation == text_hash(current)
    # The tool dropped briefgen's marks: the export knew the translation when it is the
    # recorded one and its source text has changed since, so it was exported out of date.
    return book.is_outdated(text)


# ---------------------------------------------------------------------------------------------
# Status


def translation_status(spec_path: Path, languages: list[str] | None = None
                       ) -> tuple[BriefSpec, YamlDocument, list[LanguageStatus]]:
    """Per language, the texts its versions print: missing (a build stops without them),
    untranslated (printed as written in another language), out of date, and the number done.

    Languages: those given, else every language the brief's versions or texts use.
    """
    document, spec = load_brief(spec_path)
    book = RecordBook(document)
    if languages:
        wanted = [checked_language(language, spec, Location(spec_path, 1, 1))
                  for language in languages]
    else:
        wanted = languages_in_use(spec, localized_fields(spec), spec_path, book)
    if not wanted:
        return spec, document, []
    template = load_brief_template(spec, spec_path)
    return spec, document, [_language_status(spec, document, template, book, language)
                            for language in wanted]


def _language_status(spec: BriefSpec, document: YamlDocument, template: Template,
                     book: RecordBook, language: str) -> LanguageStatus:
    status = LanguageStatus(language, [], [], [], 0)
    for text in texts_for_language(spec, document, template, language):
        state = book.state(text, language)
        if state == "done":
            status.done += 1
        else:
            getattr(status, state).append(text)
    return status
