"""What an import writes: each YAML file with its translations spliced in, and the record
of which source text each translation was made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import Problem, UserError
from briefgen.resolve.language import base_language, same_language
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path
from briefgen.spec.models import BriefSpec
from briefgen.translation.records import Record, RecordBook, Records, format_records, record_path
from briefgen.translation.texts import (
    LocalizedField,
    TranslationText,
    languages_printing,
    text_hash,
)
from briefgen.translation.yaml_edit import TextChange, UnwritableChange, write_translations
from briefgen.write import OutputFile

if TYPE_CHECKING:
    from briefgen.template import Template

_BOM = b"\xef\xbb\xbf"


@dataclass
class SpecUpdate:
    """The files an import writes (all or none), with the number of translations written
    into each YAML file and the records that changed."""

    outputs: list[OutputFile] = field(default_factory=list)
    imported: dict[Path, int] = field(default_factory=dict)
    records: list[Path] = field(default_factory=list)


def spec_update(spec: BriefSpec, document: YamlDocument, book: RecordBook,
                fields: list[LocalizedField], accepted: list[tuple[TranslationText, str]],
                target: str, copies: dict[FieldPath, tuple[str, ...]]) -> SpecUpdate:
    """The new contents of every YAML file and record the translations change.

    A text written once that comes back as it is stays written once (only its record says
    it is translated); one that becomes a mapping keeps its text, word for word, for each
    language of `copies`."""
    changes: dict[Path, list[TextChange]] = {}
    recorded: dict[Path, dict[tuple[str, str], Record]] = {}
    for text, markup in accepted:
        file = book.file_of(text.field)
        entries = recorded.setdefault(file, {})
        entries.update(_records_of(text, markup, target, copies))
        if not keeps_as_written(text, markup) and markup != text.target:
            changes.setdefault(file, []).append(_change(spec, document, text, markup, target,
                                                        copies))
    update = SpecUpdate()
    for file, file_changes in changes.items():
        update.outputs.append(_spliced(file, file_changes, document, book, accepted, target))
        update.imported[file] = len(file_changes)
    for file, entries in recorded.items():
        content = _record_file(file, _updated_records(book.records(file), entries, book,
                                                      fields, file))
        path = record_path(file)
        if not path.is_file() or path.read_bytes() != content:
            update.outputs.append(OutputFile(path, content))
            update.records.append(path)
    return update


def _records_of(text: TranslationText, markup: str, target: str,
                copies: dict[FieldPath, tuple[str, ...]]) -> dict[tuple[str, str], Record]:
    """The record of a translation, and of each language that keeps the text as written."""
    assert text.source is not None
    key = text.field.key
    records = {(key, text.target_key or target): Record(text_hash(text.source),
                                                        text_hash(markup))}
    if not keeps_as_written(text, markup) and markup != text.target:
        records |= {(key, other): Record(text_hash(text.source), text_hash(text.source))
                    for other in copies.get(text.field.path, ())}
    return records


def _change(spec: BriefSpec, document: YamlDocument, text: TranslationText, markup: str,
            target: str, copies: dict[FieldPath, tuple[str, ...]]) -> TextChange:
    """A translation to splice into the file its field is written in."""
    return TextChange(local_path(document, text.field.path), text.target_key or target, markup,
                      base_language(spec.brief.language) if isinstance(text.field.value, str)
                      else None, copies.get(text.field.path, ()))


def _spliced(file: Path, changes: list[TextChange], document: YamlDocument, book: RecordBook,
             accepted: list[tuple[TranslationText, str]], target: str) -> OutputFile:
    """A YAML file with its translations written in, its byte-order mark kept."""
    raw = file.read_bytes()
    bom = _BOM if raw.startswith(_BOM) else b""
    try:
        new_text = write_translations(raw[len(bom):].decode("utf-8"), file, changes)
    except UnwritableChange as error:
        merged = next((text.field.path for text, _ in accepted
                       if book.file_of(text.field) == file
                       and local_path(document, text.field.path) == error.path), ())
        raise UserError(Problem(
            document.locate(merged), format_field_path(error.path),
            f"cannot write the {target} translation here without changing other text of "
            f"the file ({error.reason}); nothing was written",
            f"add it by hand as  {target}: ...  or report this file to briefgen's "
            "maintainers")) from None
    return OutputFile(file, bom + new_text.encode("utf-8"))


def _record_file(file: Path, records: Records) -> bytes:
    """The record file's text, with the line endings of the file it describes."""
    newline = "\r\n" if b"\r\n" in file.read_bytes() else "\n"
    return format_records(records, file, newline).encode("utf-8")


def _updated_records(old: Records, entries: dict[tuple[str, str], Record], book: RecordBook,
                     fields: list[LocalizedField], file: Path) -> Records:
    """The record of one file after an import, in the order of its fields. Entries of fields
    or languages the file no longer has are dropped."""
    records: Records = {}
    for item in fields:
        if book.file_of(item) != file:
            continue
        merged = _merged_record(item, old, entries)
        if merged:
            records[item.key] = dict(sorted(merged.items()))
    return records


def _merged_record(item: LocalizedField, old: Records, entries: dict[tuple[str, str], Record]
                   ) -> dict[str, Record]:
    """A field's records by language: the new ones, and the earlier ones still true."""
    new = {language: record for (key, language), record in entries.items() if key == item.key}
    earlier = old.get(item.key) or old.get(item.former_key or "", {})
    languages = set(item.value) if isinstance(item.value, dict) else set()
    kept = {language: record for language, record in earlier.items()
            if _still_true(item, record, language in languages or language in new)}
    return kept | new


def _still_true(item: LocalizedField, record: Record, has_language: bool) -> bool:
    """Whether an earlier record stays: the field still has its language, or it is a text
    written once that reads the same as when it was given back unchanged."""
    return has_language or (isinstance(item.value, str) and record.keeps_as_written(item.value))


def keeps_as_written(text: TranslationText, markup: str) -> bool:
    """A text written once, translated as it is: "Paris" stays "Paris"."""
    return (isinstance(text.field.value, str) and text.target is None
            and text.source is not None and text_hash(markup) == text_hash(text.source))


def languages_keeping(spec: BriefSpec, document: YamlDocument, template: Template,
                      book: RecordBook, taken: list[tuple[TranslationText, str]], target: str
                      ) -> dict[FieldPath, tuple[str, ...]]:
    """For each text written once that a translation turns into a mapping, the languages
    that printed it as written and must go on printing it: those of the versions that print
    it, and those it was given back unchanged for. Not the brief's language (the mapping's
    first key) nor the target."""
    converted = [text for text, markup in taken if isinstance(text.field.value, str)
                 and text.source is not None and not keeps_as_written(text, markup)]
    if not converted:
        return {}
    printing = languages_printing(spec, document, template)
    others = [target, spec.brief.language]
    return {text.field.path: tuple(dict.fromkeys(
        language for language in _languages_printing_as_written(text, printing, book)
        if not any(same_language(language, other) for other in others)))
        for text in converted}


def _languages_printing_as_written(text: TranslationText,
                                   printing: dict[FieldPath, list[str]], book: RecordBook
                                   ) -> list[str]:
    assert text.source is not None
    records = book.records(book.file_of(text.field))
    entry = records.get(text.field.key) or records.get(text.field.former_key or "", {})
    return [*printing.get(text.field.path, []),
            *(language for language, record in entry.items()
              if record.keeps_as_written(text.source))]


def local_path(document: YamlDocument, path: FieldPath) -> FieldPath:
    """A merged spec's path as written in its own file: a fact file's `stats[0]`."""
    local = document.local_names.get(tuple(path[:2]))
    return (*local, *path[2:]) if local is not None else path
