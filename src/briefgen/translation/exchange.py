"""`briefgen translate export / import / status`, end to end.

    spec + fact files --localized_fields--> texts for a language --tag_source--> XLIFF 1.2
    translated XLIFF --read_xliff--> checked units --markup_from_target--> markup
      --write_translations--> spec + fact files, and their translation records (all or none)
"""

from __future__ import annotations

import os
import unicodedata
import xml.etree.ElementTree as ET
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from briefgen.errors import Location, Problem, SpecError, UserError, display_path
from briefgen.resolve.language import pick_language
from briefgen.spec.loader import (
    FieldPath,
    YamlDocument,
    describe_character,
    format_field_path,
    unsafe_character,
)
from briefgen.spec.models import BriefSpec, Stat
from briefgen.translation import command_path
from briefgen.translation.placeholders import (
    Tag,
    TagError,
    content_signature,
    markup_from_target,
    tag_source,
)
from briefgen.translation.records import (
    Record,
    RecordBook,
    Records,
    format_records,
    record_path,
)
from briefgen.translation.texts import (
    LocalizedField,
    State,
    TranslationText,
    base_language,
    every_text_for_language,
    language_name,
    languages_printing,
    localized_fields,
    same_language,
    state_of,
    text_hash,
    texts_for_language,
    versions_in,
)
from briefgen.translation.xliff import (
    NO_TRANSLATION,
    XLIFF_NAMESPACE,
    ExportUnit,
    ImportUnit,
    XliffFile,
    parse_xml,
    read_xliff,
    write_xliff,
)
from briefgen.translation.yaml_edit import TextChange, UnwritableChange, write_translations
from briefgen.write import OutputFile, write_atomically

if TYPE_CHECKING:
    from briefgen.template import Template

XLIFF_SUFFIX = ".xlf"


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


def default_export_path(spec_path: Path, language: str) -> Path:
    """`briefs/masg-2025.fr.xlf` for `briefs/masg-2025.yaml` into French."""
    return spec_path.with_name(f"{spec_path.stem}.{language}{XLIFF_SUFFIX}")


def export_translation(spec_path: Path, language: str, out: Path | None = None) -> ExportResult:
    """Write the XLIFF file of every text a version in `language` prints that the language
    lacks or has out of date."""
    document, spec = load_brief(spec_path)
    target = checked_language(language, spec, Location(spec_path, 1, 1))
    template = load_brief_template(spec, spec_path)
    book = RecordBook(document)
    texts = texts_for_language(spec, document, template, target)
    result = ExportResult(spec_path, base_language(spec.brief.language), target, None, 0, 0)
    wanted: list[tuple[TranslationText, bool]] = []
    for text in texts:
        if text.source is None:
            if text.target is None:
                result.without_source.append((document.locate(text.field.path),
                                              document.describe(text.field.path)))
            continue
        outdated = book.is_outdated(text)
        state = _state(book, text, target)
        if state != "done":
            wanted.append((text, outdated))
            result.missing += state == "missing"
            result.untranslated += state == "untranslated"
            result.outdated += state == "outdated"
    if not wanted:
        return result
    path = out if out is not None else default_export_path(spec_path, target)
    _refuse_to_overwrite_translations(path, spec, document, template, target, book)
    labels = _labels_in(template, target)
    units = [_export_unit(spec, document, text, outdated, target, labels)
             for text, outdated in wanted]
    source_name = language_name(base_language(spec.brief.language))
    target_name = language_name(target)
    title = _in_language(spec.brief.title, spec.brief.language)
    note = (f"{title} ({spec.brief.id}): {len(units)} texts from {source_name} into "
            f"{target_name}. Keep each tag once; you may move it. <x/> prints a figure or a "
            "source's note number from the brief's data; <g> is bold, italic or a link around "
            "words, which you translate inside it. Each text's note says where it is printed "
            "and how long it may be.")
    data = write_xliff(units, original=spec_path.name, brief_id=spec.brief.id,
                       source_language=spec.brief.language, target_language=target, note=note,
                       export_mark=export_mark(spec.brief.id, target))
    write_atomically([OutputFile(path, data)], protected={spec_path, *document.included})
    result.path = path
    return result


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
    file_place = Location(xliff_path, 1, 1)
    spec_path = spec_path if spec_path is not None else _spec_beside(xliff_path, xliff.original)
    document, spec = load_brief(spec_path)
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
    template = load_brief_template(spec, spec_path)
    texts = _texts_by_key(spec, document, template, target)
    source_name = language_name(base_language(spec.brief.language))
    problems: list[Problem] = []
    accepted: list[tuple[TranslationText, str, ImportUnit]] = []
    seen: set[str] = set()
    untranslated = 0
    for unit in xliff.units:
        text = texts.get(unit.key)
        name = text.field.key if text is not None else unit.key
        if name in seen:
            problems.append(Problem(unit.location, unit.key, "is in the file twice",
                                    "keep one of the two"))
            continue
        seen.add(name)
        if not unit.has_translation:
            untranslated += 1  # not translated yet: nothing to check or write
            continue
        if text is None or text.source is None:
            problems.append(Problem(unit.location, unit.key, f"{shown_spec} has no such "
                                    f"text in {source_name} (removed or renamed since the "
                                    "export?)", _export_again(spec_path, target)))
            continue
        source_xml, tags = _tagged_source(text)
        if content_signature(unit.source) != content_signature(_source_element(source_xml)):
            problems.append(Problem(
                unit.location, unit.key, f"its {source_name} text has changed since this file "
                f"was exported (now at {document.locate(text.field.path)})",
                _export_again(spec_path, target)))
            continue
        try:
            markup = _checked_translation(unit, text, tags)
        except TagError as error:
            problems.append(Problem(unit.location, unit.key, f"the translation {error.message}",
                                    error.hint))
            continue
        accepted.append((text, markup, unit))
    if problems:
        raise SpecError(problems)
    book = RecordBook(document)
    conflicts: list[Problem] = []
    taken: list[tuple[TranslationText, str]] = []
    for text, markup, unit in accepted:
        if overwrite or _may_replace(text, markup, unit, book):
            taken.append((text, markup))
        else:
            conflicts.append(_conflict(document, xliff_path, spec_path, text, unit, target))
    copies = _languages_keeping(spec, document, template, book, taken, target)
    outputs, imported, records = _written_files(spec, document, book, localized_fields(spec),
                                                taken, target, copies)
    if outputs:
        write_atomically(outputs)
    has_version = bool(versions_in(spec, target))
    kept = [text.source for text, markup in taken
            if text.source is not None and _keeps_as_written(text, markup)]
    unchanged = len(taken) - sum(imported.values()) - len(kept)
    copied = [(document.describe(path), languages) for path, languages in copies.items()
              if languages]
    return ImportResult(spec_path, target, imported, records, untranslated, unchanged,
                        has_version, conflicts, kept, copied)


def translation_status(spec_path: Path, languages: list[str] | None = None
                       ) -> tuple[BriefSpec, YamlDocument, list[LanguageStatus]]:
    """Per language, the texts its versions print: missing (a build stops without them),
    untranslated (printed as written in another language), out of date, and the number done.

    Languages: those given, else every language the brief's versions or texts use.
    """
    document, spec = load_brief(spec_path)
    if languages:
        wanted = [checked_language(language, spec, Location(spec_path, 1, 1))
                  for language in languages]
    else:
        wanted = _languages_in_use(spec, localized_fields(spec), spec_path,
                                   RecordBook(document))
    template = load_brief_template(spec, spec_path) if wanted else None
    book = RecordBook(document)
    statuses = []
    for language in wanted:
        assert template is not None
        status = LanguageStatus(language, [], [], [], 0)
        for text in texts_for_language(spec, document, template, language):
            state = _state(book, text, language)
            if state == "missing":
                status.missing.append(text)
            elif state == "untranslated":
                status.untranslated.append(text)
            elif state == "outdated":
                status.outdated.append(text)
            else:
                status.done += 1
        statuses.append(status)
    return spec, document, statuses


def load_brief(spec_path: Path) -> tuple[YamlDocument, BriefSpec]:
    """The spec with its fact files, validated as `build` does."""
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec

    document = load_spec(spec_path)
    return document, validate_spec(document)


def load_brief_template(spec: BriefSpec, spec_path: Path) -> Template:
    """The template the brief is built with: its labels are part of what a version prints."""
    from briefgen.template import load_template

    return load_template(spec.brief.template, spec_path)


def export_mark(brief_id: str, language: str) -> str:
    """What an export records of what it was made for: the language, and a fingerprint of
    the brief and the language that an edit of either attribute no longer matches."""
    return f"{language} {text_hash(f'{brief_id} {language}')}"


def checked_language(tag: str, spec: BriefSpec, where: Location) -> str:
    """A language a brief can be translated into, as its canonical tag (`fr`, `fr-CH`)."""
    from pydantic import TypeAdapter, ValidationError

    from briefgen.resolve.language import RIGHT_TO_LEFT
    from briefgen.resolve.locale_format import is_known_language
    from briefgen.spec.models import LanguageTag

    try:
        canonical: str = TypeAdapter(LanguageTag).validate_python(tag)
    except ValidationError:
        raise UserError(Problem(where, "", f"{tag!r} is not a language tag",
                                "use a tag such as fr, ru, az or fr-CH")) from None
    if not is_known_language(canonical):
        raise UserError(Problem(where, "", f"unknown language code {canonical!r}",
                                "use a BCP 47 tag such as fr, ru or az"))
    if base_language(canonical) in RIGHT_TO_LEFT:
        raise UserError(Problem(where, "", f"{canonical!r} is written right to left, which "
                                "briefgen cannot lay out yet",
                                "translate the brief into a left-to-right language"))
    if same_language(canonical, spec.brief.language):
        raise UserError(Problem(where, "", f"the brief is written in {spec.brief.language!r} "
                                f"(brief.language): its texts are the ones translated",
                                "choose another language, e.g. --to fr"))
    # A regional tag no version uses is stored under its language (`fr-FR` as `fr`), as
    # specs write it; a region a version is printed in keeps its own key (`fr-CH`).
    regions = {audience.language for audience in spec.audiences}
    return canonical if canonical in regions else base_language(canonical)


def _export_unit(spec: BriefSpec, document: YamlDocument, text: TranslationText,
                 outdated: bool, target: str, labels: dict[str, str]) -> ExportUnit:
    assert text.source is not None
    source_xml, tags = _tagged_source(text)
    location = document.locate(text.field.path)
    relative = Path(os.path.relpath(location.file.resolve(), document.path.resolve().parent))
    notes = [f"{document.describe(text.field.path)}, {relative.as_posix()} line "
             f"{location.line}. At most {text.field.max_length:,} characters, tags included."]
    if text.field.audience is not None:
        notes.append("Printed only on the version for the "
                     f"{spec.audiences[text.field.audience].name}.")
    if text.field.quote_words is not None:
        notes.append("The translation printed under a quote, which keeps its own words.")
        words, spoken = text.field.quote_words
        if spoken is not None and not same_language(spoken, spec.brief.language):
            notes.append(f"The quote was spoken in {language_name(base_language(spoken))}: "
                         f"“{words}”. Translate its "
                         f"{language_name(base_language(spec.brief.language))} translation, "
                         "below, checking it against those words where you can.")
    elif text.target is None and not text.required:
        notes.append(f"Printed as written, in {language_name(base_language(spec.brief.language))},"
                     " until it is translated; a name that stays the same may be copied.")
    notes += [_describe_chart_reference(spec, tag, labels) or _describe_tag(spec, tag, target)
              for tag in tags.values()]
    if outdated and text.target is not None:
        notes.append(f"Out of date: the {language_name(target)} text below was made from an "
                     f"earlier {language_name(base_language(spec.brief.language))} text. "
                     f"Update it: {text.target}")
    return ExportUnit(key=text.field.key, source=source_xml, file=relative.as_posix(),
                      line=location.line, note="\n".join(notes),
                      max_length=text.field.max_length,
                      known_translation=(text_hash(text.target) if text.target is not None
                                         else NO_TRANSLATION))


def _describe_chart_reference(spec: BriefSpec, tag: Tag, labels: dict[str, str]) -> str | None:
    """`Tag 3 ([@who-pays]) prints “(voir le graphique)”, ...`: a text citing a chart prints
    the template's pointer to it, in the target language."""
    from briefgen.spec.inline import Cite

    node = tag.node
    if not isinstance(node, Cite):
        return None
    chart = next((chart for chart in spec.charts if chart.id == node.stat_id), None)
    if chart is None:
        return None
    described = tag.describe()
    pointer = labels.get("see_chart", "(see chart)")
    title = _in_language(chart.title, spec.brief.language)
    return (f"{described[0].upper()}{described[1:]} prints “{pointer}”, pointing to the chart "
            f"“{title}”.")


def _labels_in(template: Template, language: str) -> dict[str, str]:
    """The template's labels for a language, as a version in it prints them."""
    catalogue = template.design.labels
    return dict(catalogue[pick_language(catalogue, language) or "en"])


def _tagged_source(text: TranslationText) -> tuple[str, dict[str, Tag]]:
    """The `<source>` of a text and its tags; a text printed as typed has none."""
    assert text.source is not None
    return (escape(text.source), {}) if text.literal else tag_source(text.source)


def _describe_tag(spec: BriefSpec, tag: Tag, target: str) -> str:
    """`Tag 2 ([@displaced]) prints the figure 800,000: former displaced people ...`."""
    from briefgen.spec.inline import Cite, SourceCite

    node = tag.node
    described = tag.describe()
    described = described[0].upper() + described[1:]
    if isinstance(node, Cite):
        stat = next((stat for stat in spec.stats if stat.id == node.stat_id), None)
        if stat is not None:
            return f"{described} {_printed_figure_note(stat, node.with_prefix, spec, target)}"
    if isinstance(node, SourceCite):
        source = next((source for source in spec.sources if source.id == node.source_id), None)
        if source is not None:
            return f"{described} prints the note number of the source “{source.title}”."
    if tag.wraps_words:
        return f"{described}: translate the words inside it."
    return f"{described}."


def _printed_figure_note(stat: Stat, with_qualifier: bool, spec: BriefSpec, target: str
                         ) -> str:
    """What a figure's tag prints, as the version in `target` prints it: its qualifier (for
    [@+id]), number format and unit in that language, so the translator does not write them
    again: "prints the figure “plus de 13 %” (of territory contaminated) and its note
    number"."""
    from briefgen.resolve.figures import printed_figure

    shown = printed_figure(stat, target, with_qualifier=with_qualifier).replace("\u00a0", " ")
    label = _in_language(stat.label, spec.brief.language)
    return (f"prints the figure “{shown}” ({label}) and its note number, as the "
            f"{language_name(target)} version prints it: its words are not to be written "
            "again around the tag.")


def _in_language(value: str | dict[str, str], language: str) -> str:
    if isinstance(value, dict):
        chosen = pick_language(value, language)
        return value[chosen] if chosen else next(iter(value.values()))
    return value


def _checked_translation(unit: ImportUnit, text: TranslationText, tags: dict[str, Tag]) -> str:
    """The unit's translation as markup, within the field's limits; `TagError` otherwise."""
    assert unit.target is not None
    markup = unicodedata.normalize("NFC", markup_from_target(unit.target, tags,
                                                             literal=text.literal))
    unsafe = unsafe_character(markup)
    if unsafe is not None:
        raise TagError(f"contains {describe_character(unsafe)}, which cannot be printed",
                       "delete it in the translation tool; it usually arrives invisibly")
    if len(markup) > text.field.max_length:
        raise TagError(f"is {len(markup):,} characters long; this text takes at most "
                       f"{text.field.max_length:,}", "shorten the translation")
    return markup


def _written_files(spec: BriefSpec, document: YamlDocument, book: RecordBook,
                   fields: list[LocalizedField], accepted: list[tuple[TranslationText, str]],
                   target: str, copies: dict[FieldPath, tuple[str, ...]]
                   ) -> tuple[list[OutputFile], dict[Path, int], list[Path]]:
    """The new contents of every YAML file and record the translations change.

    A text written once that comes back as it is stays written once (only its record says
    it is translated); one that becomes a mapping keeps its text, word for word, for each
    language of `copies`."""
    changes: dict[Path, list[TextChange]] = {}
    recorded: dict[Path, dict[tuple[str, str], Record]] = {}
    source_key = base_language(spec.brief.language)
    for text, markup in accepted:
        assert text.source is not None
        file = book.file_of(text.field)
        language = text.target_key or target
        entries = recorded.setdefault(file, {})
        entries[(text.field.key, language)] = Record(text_hash(text.source), text_hash(markup))
        if _keeps_as_written(text, markup) or markup == text.target:
            continue
        kept_by = copies.get(text.field.path, ())
        for other in kept_by:
            entries[(text.field.key, other)] = Record(text_hash(text.source),
                                                      text_hash(text.source))
        changes.setdefault(file, []).append(TextChange(
            _local_path(document, text.field.path), language, markup,
            source_key if isinstance(text.field.value, str) else None, kept_by))
    outputs: list[OutputFile] = []
    imported: dict[Path, int] = {}
    for file, file_changes in changes.items():
        raw = file.read_bytes()
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        old_text = raw[len(bom):].decode("utf-8")
        try:
            new_text = write_translations(old_text, file, file_changes)
        except UnwritableChange as error:
            merged = next((text.field.path for text, _ in accepted
                           if book.file_of(text.field) == file
                           and _local_path(document, text.field.path) == error.path), ())
            raise UserError(Problem(
                document.locate(merged), format_field_path(error.path),
                f"cannot write the {target} translation here without changing other text of "
                f"the file ({error.reason}); nothing was written",
                f"add it by hand as  {target}: ...  or report this file to briefgen's "
                "maintainers")) from None
        outputs.append(OutputFile(file, bom + new_text.encode("utf-8")))
        imported[file] = len(file_changes)
    written_records = []
    for file, entries in recorded.items():
        records = _updated_records(book.records(file), entries, book, fields, file)
        newline = "\r\n" if b"\r\n" in file.read_bytes() else "\n"
        content = format_records(records, file, newline).encode("utf-8")
        path = record_path(file)
        if not path.is_file() or path.read_bytes() != content:
            outputs.append(OutputFile(path, content))
            written_records.append(path)
    return outputs, imported, written_records


def _updated_records(old: Records, entries: dict[tuple[str, str], Record], book: RecordBook,
                     fields: list[LocalizedField], file: Path) -> Records:
    """The record of one file after an import, in the order of its fields. Entries of fields
    or languages the file no longer has are dropped."""
    records: Records = {}
    for item in fields:
        if book.file_of(item) != file:
            continue
        languages = set(item.value) if isinstance(item.value, dict) else set()
        languages |= {language for key, language in entries if key == item.key}
        earlier = old.get(item.key) or old.get(item.former_key or "", {})
        # A text written once keeps the records of the languages it was given back
        # unchanged for, while it reads the same.
        merged = {language: record for language, record in earlier.items()
                  if language in languages or (isinstance(item.value, str)
                                               and record.keeps_as_written(item.value))}
        merged.update({language: record for (key, language), record in entries.items()
                       if key == item.key})
        if merged:
            records[item.key] = dict(sorted(merged.items()))
    return records


def _state(book: RecordBook, text: TranslationText, language: str) -> State:
    """A text's state for `language`, a text written once and given back unchanged (a name)
    being translated."""
    if book.keeps_as_written(text, language):
        return "done"
    return state_of(text, book.is_outdated(text))


def _keeps_as_written(text: TranslationText, markup: str) -> bool:
    """A text written once, translated as it is: "Paris" stays "Paris"."""
    return (isinstance(text.field.value, str) and text.target is None
            and text.source is not None and text_hash(markup) == text_hash(text.source))


def _languages_keeping(spec: BriefSpec, document: YamlDocument, template: Template,
                       book: RecordBook, taken: list[tuple[TranslationText, str]], target: str
                       ) -> dict[FieldPath, tuple[str, ...]]:
    """For each text written once that a translation turns into a mapping, the languages
    that printed it as written and must go on printing it: those of the versions that print
    it, and those it was given back unchanged for. Not the brief's language (the mapping's
    first key) nor the target."""
    converted = [text for text, markup in taken if isinstance(text.field.value, str)
                 and text.source is not None and not _keeps_as_written(text, markup)]
    if not converted:
        return {}
    printing = languages_printing(spec, document, template)
    found: dict[FieldPath, tuple[str, ...]] = {}
    for text in converted:
        assert text.source is not None
        languages = list(printing.get(text.field.path, []))
        records = book.records(book.file_of(text.field))
        entry = records.get(text.field.key) or records.get(text.field.former_key or "", {})
        languages += [language for language, record in entry.items()
                      if record.keeps_as_written(text.source)]
        found[text.field.path] = tuple(dict.fromkeys(
            language for language in languages if not same_language(language, target)
            and not same_language(language, spec.brief.language)))
    return found


def _local_path(document: YamlDocument, path: FieldPath) -> FieldPath:
    """A merged spec's path as written in its own file: a fact file's `stats[0]`."""
    local = document.local_names.get(tuple(path[:2]))
    return (*local, *path[2:]) if local is not None else path


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


def _source_element(source_xml: str) -> ET.Element:
    root, _ = parse_xml(f'<source xmlns="{XLIFF_NAMESPACE}">{source_xml}</source>'.encode(),
                        Path("source"))
    return root


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
    texts = _texts_by_key(spec, document, template, target)
    for unit in existing.units:
        text = texts.get(unit.key)
        if not unit.has_translation:
            continue
        try:
            imported = text is not None and text.source is not None and (
                text.source if book.keeps_as_written(text, target) else text.target
            ) == _checked_translation(unit, text, _tagged_source(text)[1])
        except TagError:
            imported = False
        if not imported:
            raise UserError(Problem(
                path, "", "holds translations that are not in the spec yet",
                f"import them first: briefgen translate import {command_path(path)}  (or "
                "write elsewhere with --out FILE)"))


def _texts_by_key(spec: BriefSpec, document: YamlDocument, template: Template,
                  target: str) -> dict[str, TranslationText]:
    """Every translatable text as seen for `target`, by key; those a version in `target`
    prints as they are printed (a chart's categories as typed)."""
    texts = every_text_for_language(spec, target)
    texts.update({text.field.key: text
                  for text in texts_for_language(spec, document, template, target)})
    # A file exported before sources and charts were named by id is still read.
    texts.update({text.field.former_key: text for text in list(texts.values())
                  if text.field.former_key is not None})
    return texts


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


def _conflict(document: YamlDocument, xliff_path: Path, spec_path: Path, text: TranslationText,
              unit: ImportUnit, target: str) -> Problem:
    path = (*text.field.path, text.target_key) if text.target_key else text.field.path
    beside = xliff_path.resolve().parent == spec_path.resolve().parent
    command = (f"briefgen translate import {command_path(xliff_path)} --overwrite"
               + ("" if beside else f" --spec {command_path(spec_path)}"))
    return Problem(
        unit.location, unit.key,
        f"the {language_name(target)} text in the spec ({document.locate(path)}) was written "
        "or corrected after this file was exported: it is kept, and the file's translation "
        "was not imported", f"to take the file's translation instead: {command}")


def _exported_languages(spec: BriefSpec, spec_path: Path) -> list[str]:
    """The languages of the translation files exported beside the spec under their usual
    names (`masg-2025.az.xlf`), in the order of their names."""
    found = []
    prefix = f"{spec_path.stem}."
    for path in sorted(spec_path.parent.glob(f"*{XLIFF_SUFFIX}")):
        language = path.name[len(prefix):-len(XLIFF_SUFFIX)]
        if not path.name.startswith(prefix) or not language:
            continue
        with suppress(UserError):
            found.append(checked_language(language, spec, Location(path, 1, 1)))
    return found


def _export_again(spec_path: Path, target: str) -> str:
    return (f"export again (briefgen translate export {command_path(spec_path)} --to "
            f"{target}) and have the new file translated; the tool's memory reuses what is "
            "unchanged")


def _languages_in_use(spec: BriefSpec, fields: list[LocalizedField], spec_path: Path,
                      book: RecordBook) -> list[str]:
    """Languages of the brief's versions, of its texts, of its translation records and of the
    files exported beside it (`masg-2025.az.xlf`), without the brief's own: a translation
    sent out is followed before any version is printed in its language."""
    found: list[str] = []
    candidates = [audience.language for audience in spec.audiences if audience.language]
    for item in fields:
        if isinstance(item.value, dict):
            candidates += list(item.value)
    for item in fields:
        with suppress(SpecError):  # a broken record is `check`'s to report
            records = book.records(book.file_of(item))
            candidates += list(records.get(item.key, {}))
    candidates += _exported_languages(spec, spec_path)
    for language in candidates:
        base = base_language(language)
        if not same_language(base, spec.brief.language) and base not in found:
            found.append(base)
    return found
