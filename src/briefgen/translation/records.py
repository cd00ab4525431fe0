"""Which source text each translation was made from, kept beside the file it describes.

`briefs/masg-2025.translations.yaml` describes `briefs/masg-2025.yaml`, and
`briefs/facts/azerbaijan.translations.yaml` the fact file, so every brief that includes the
fact file sees the same record. `briefgen translate import` writes them; they are committed
with the spec. For each field and language a record holds two fingerprints: of the source
text the translation was made from, and of the translation itself.

A translation is out of date when its source text has changed since. A translation edited
after it was recorded no longer matches its record: like any translation made by hand, it
counts as done, because the person who edited it has seen the source. A text written once
that came back unchanged (a name) is recorded with both fingerprints equal, and no entry in
the spec: it stays written once, and counts as translated while it reads the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from briefgen.errors import Location, Problem, SpecError, command_path
from briefgen.resolve.language import language_name, pick_language
from briefgen.spec.loader import YamlDocument, load_yaml
from briefgen.spec.models import BriefSpec
from briefgen.translation.texts import (
    LocalizedField,
    State,
    TranslationText,
    localized_fields,
    quote_translation_source,
    state_of,
    text_hash,
)

RECORD_SUFFIX = ".translations.yaml"
RULE = "translation-outdated"
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Record:
    """Fingerprints (`text_hash`) of a translation's source text and of the translation."""

    source: str
    translation: str

    def is_outdated(self, source: str, translation: str) -> bool:
        """The recorded translation is still there, but its source text has changed."""
        return self.translation == text_hash(translation) and self.source != text_hash(source)

    def keeps_as_written(self, source: str) -> bool:
        """The translator gave back `source` as it is (a name: "Paris", "UNFPA")."""
        return self.source == self.translation == text_hash(source)


# field key -> language -> record
Records = dict[str, dict[str, Record]]


def record_path(yaml_path: Path) -> Path:
    """`masg-2025.translations.yaml` for `masg-2025.yaml`."""
    return yaml_path.with_name(yaml_path.stem + RECORD_SUFFIX)


def read_records(yaml_path: Path) -> Records:
    """The record of the translations in `yaml_path`; empty when it has none.

    Read with briefgen's strict loader; a malformed entry is a `SpecError` at its line.
    """
    path = record_path(yaml_path)
    if not path.is_file():
        return {}
    document = load_yaml(path)
    data = document.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SpecError(_malformed(document, ()))
    problems: list[Problem] = []
    records: Records = {}
    for key, languages in data.items():
        if not isinstance(languages, dict):
            problems.append(_malformed(document, (key,)))
            continue
        for language, entry in languages.items():
            record = _record(entry)
            if record is None:
                problems.append(_malformed(document, (key, language)))
            else:
                records.setdefault(key, {})[language] = record
    if problems:
        raise SpecError(problems)
    return records


def _record(entry: object) -> Record | None:
    """`{source: <16 hex digits>, translation: <16 hex digits>}` as a record; None if the
    entry is not one."""
    if not isinstance(entry, dict):
        return None
    source, translation = entry.get("source"), entry.get("translation")
    if not all(isinstance(value, str) and _FINGERPRINT.match(value)
               for value in (source, translation)):
        return None
    return Record(source, translation)  # type: ignore[arg-type]


def format_records(records: Records, described: Path, newline: str = "\n") -> str:
    """The text of a record file, in the order of `records`."""
    lines = [
        f"# Which source text each translation in {described.name} was made from, written by",
        "# `briefgen translate import`. Commit it with that file: `briefgen check` and",
        "# `briefgen translate status` use it to find translations whose source text has",
        "# changed since. A translation edited by hand after it was recorded counts as done.",
    ]
    for key, languages in records.items():
        lines.append(f"{key}:")
        for language, record in languages.items():
            lines.append(f"  {language}: {{source: {record.source}, "
                         f"translation: {record.translation}}}")
    return newline.join(lines) + newline


class RecordBook:
    """The translation records of a spec and of its fact files, read when first asked for."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self._by_file: dict[Path, Records] = {}
        self._resolved: dict[Path, Path] = {}

    def file_of(self, field: LocalizedField) -> Path:
        """The YAML file a field is written in (resolved)."""
        written = self.document.locate(field.path).file
        if written not in self._resolved:
            self._resolved[written] = written.resolve()
        return self._resolved[written]

    def records(self, yaml_path: Path) -> Records:
        if yaml_path not in self._by_file:
            self._by_file[yaml_path] = read_records(yaml_path)
        return self._by_file[yaml_path]

    def record(self, field: LocalizedField, language: str) -> Record | None:
        records = self.records(self.file_of(field))
        entry = records.get(field.key) or records.get(field.former_key or "", {})
        return entry.get(language)

    def keeps_as_written(self, text: TranslationText, language: str) -> bool:
        """Whether a text written once was given back unchanged for `language`: it stays
        written once, and counts as translated until the text changes."""
        if text.target is not None or text.source is None or not isinstance(
                text.field.value, str):
            return False
        record = self.record(text.field, language)
        return record is not None and record.keeps_as_written(text.source)

    def state(self, text: TranslationText, language: str) -> State:
        """A text's state for `language` (see `texts.State`), a text written once and given
        back unchanged (a name) being translated."""
        if self.keeps_as_written(text, language):
            return "done"
        return state_of(text, self.is_outdated(text))

    def is_outdated(self, text: TranslationText) -> bool:
        """Whether the translation in `text` was made from an earlier source text."""
        if text.source is None or text.target is None or text.target_key is None:
            return False
        record = self.record(text.field, text.target_key)
        return record is not None and record.is_outdated(text.source, text.target)


def outdated_translations(spec: BriefSpec, document: YamlDocument) -> list[Problem]:
    """`briefgen check`'s `translation-outdated` rule: a warning at every translation whose
    source text has changed since it was translated (per the records beside the files).

    Costs a file lookup per spec and fact file when no record exists.
    """
    files = [document.path, *document.included]
    if not any(record_path(file).is_file() for file in files):
        return []
    book = RecordBook(document)
    problems, readable = _readable_records(book, files)
    for field in localized_fields(spec):
        if isinstance(field.value, dict) and book.file_of(field) in readable:
            problems += _outdated_in(field, field.value, spec, document, book)
    return problems


def _readable_records(book: RecordBook, files: list[Path]) -> tuple[list[Problem], set[Path]]:
    """The files whose records can be read, and a warning for each broken record."""
    problems: list[Problem] = []
    readable: set[Path] = set()
    for file in files:
        try:
            book.records(file.resolve())
            readable.add(file.resolve())
        except SpecError as error:
            problems += [replace(problem, rule=RULE, severity="warning",
                                 hint="fix or delete this file: until then, translations of "
                                 f"{file.name} are not checked for being out of date")
                         for problem in error.problems]
    return problems, readable


def _outdated_in(field: LocalizedField, value: dict[str, str], spec: BriefSpec,
                 document: YamlDocument, book: RecordBook) -> list[Problem]:
    """A warning at each translation of one field made from an earlier source text."""
    source_language = spec.brief.language
    if field.quote_words is not None:
        source, source_key = quote_translation_source(field, source_language)
    else:
        source_key = pick_language(value, source_language)
        source = value[source_key] if source_key else None
    if source is None:
        return []
    return [_outdated(field, language, spec, document) for language, translation in value.items()
            if language != source_key
            and _is_outdated(book.record(field, language), source, translation)]


def _is_outdated(record: Record | None, source: str, translation: str) -> bool:
    return record is not None and record.is_outdated(source, translation)


def _outdated(field: LocalizedField, language: str, spec: BriefSpec, document: YamlDocument
              ) -> Problem:
    path = (*field.path, language)
    source_name = language_name(spec.brief.language.split("-")[0])
    return Problem(
        document.locate(path), document.describe(path),
        f"{language} text of {document.describe(field.path)} was translated from an "
        f"earlier {source_name} text",
        f"update it (an edited translation counts as done), or have it translated again: "
        f"briefgen translate export {command_path(document.path)} --to {language}",
        rule=RULE, severity="warning")


def _malformed(document: YamlDocument, path: tuple[str, ...]) -> Problem:
    location: Location = document.locate(path)
    return Problem(location, ".".join(path), "is not a translation record entry",
                   "entries read  fr: {source: <16 hex digits>, translation: <16 hex digits>};"
                   " `briefgen translate import` writes them", rule=RULE)
