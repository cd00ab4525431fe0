"""Which texts of a brief a translator is given, what each is translated from, and its name.

A field that takes one text per language (`summary: {en: ..., fr: ...}`) is translatable.
Such fields are found from the models, so a field added there is covered without being
listed here. A plain string in such a field is written in the language of the versions that
show it (the brief's language, or its audience's) and becomes a mapping when its first
translation comes in.

Which of them a language needs is not decided here: `resolve_brief`, the step every build
goes through, reports each text a version prints (`PrintedText`), and the versions printed in
the language are resolved. So a text is offered, and counted missing, exactly when a build
would print it; a mapping without the language is exactly what stops the build ("no text in
'az'"). A few fields are printed with a fallback instead (`_USED_WITH_FALLBACK`): they are
offered, but never stop a build.

Left out on purpose:
- single-language fields: names, sources' titles (kept as published), addresses, ids;
- a figure's `prefix`, `unit` and `suffix` made of symbols ("€", " m²") or read as a
  qualifier ("~"), which every language prints alike or in briefgen's own words; those in
  words (" d’euros", "as many as ") are translated (see `_affix_fields`);
- a quote's own words, which stay as spoken: its `translation` is translated from them, when
  they were spoken in the brief's language.
"""

from __future__ import annotations

import hashlib
import types
import typing
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel
from pydantic.types import StringConstraints

from briefgen.errors import UserError
from briefgen.resolve.language import base_language, pick_language, same_language
from briefgen.resolve.language import language_name as language_name
from briefgen.resolve.user_text import PrintedText
from briefgen.resolve.version import Version, versions
from briefgen.spec.inline import normalize_space
from briefgen.spec.loader import FieldPath, YamlDocument
from briefgen.spec.models import BriefSpec, Chart, Quote, Stat

if TYPE_CHECKING:
    from briefgen.template import Template

# Per-language fields that are not handed to a translator (see the module docstring).
_AFFIXES = frozenset({"prefix", "unit", "suffix"})
# Fields a version prints without stopping when its language is missing: a source's short
# name and the logo's description fall back to the first text given, a quote is printed
# without its translation, an audience's email has no greeting. Each is offered when the
# entry it belongs to is printed (a source, the sender, a quote, the audience).
_USED_WITH_FALLBACK = frozenset({"short", "logo_alt", "translation", "greeting"})

# missing: a version in the language stops without it ("no text in 'az'");
# untranslated: printed in another language as written (a text written once, a fallback).
State = Literal["missing", "untranslated", "outdated", "done"]


@dataclass(frozen=True)
class LocalizedField:
    """A translatable field of a spec.

    `key` names it in XLIFF files and translation records and stays the same when entries
    are reordered: stats, charts, sources and audiences are named by id
    (`stats[mines].label`, `charts[who-pays].categories[0]`, `audiences[eu].intro`), other
    list entries by position (`asks[0].detail`).
    """

    key: str
    path: FieldPath  # in the spec with its fact files merged, e.g. ("stats", 7, "label")
    value: str | dict[str, str] | None
    max_length: int
    audience: int | None  # the audience whose version alone shows it; None: the brief's own
    # A quote's translation: the words it translates, and their `language` if given.
    quote_words: tuple[str, str | None] | None = None
    # The key of a chart's or a source's field in files and records written before they were
    # named by id (`sources[1].short`): still read, never written.
    former_key: str | None = None


@dataclass(frozen=True)
class TranslationText:
    """A translatable field as seen for one target language.

    `source` is the text to translate from (in the brief's language); None when the field has
    none, e.g. a mapping without the brief's language. `source_key` is its key in the field's
    mapping: None for a plain string, which becomes `{<source language>: ..., <target>: ...}`,
    and for the translation of a quote spoken in the brief's language, whose words are the
    source (see `quote_translation_source`). `target_key` and `target` are the
    translation already there, if any. `required`: a version in the language prints it and
    stops without it; `literal`: it is printed as typed, so it holds no markup.
    """

    field: LocalizedField
    source: str | None
    source_key: str | None
    target_key: str | None
    target: str | None
    required: bool = False
    literal: bool = False


def localized_fields(spec: BriefSpec) -> list[LocalizedField]:
    """Every translatable field of `spec`, in the order they are written."""
    found: list[LocalizedField] = []

    def add(path: FieldPath, value: str | dict[str, str] | None, limit: int,
            audience: int | None, words: tuple[str, str | None] | None = None) -> None:
        key = field_key(spec, path)
        positional = _positional_key(path) if path[0] in _NAMED_SINCE else None
        found.append(LocalizedField(key, path, value, limit, audience, words,
                                    positional if positional != key else None))

    def walk(model: BaseModel, path: FieldPath, audience: int | None) -> None:
        for name, info in type(model).model_fields.items():
            key = info.alias or name
            value = getattr(model, name)
            child: FieldPath = (*path, key)
            if isinstance(model, Quote) and name == "speaker":
                # A name is not translated: where readers use another script, its spelling
                # there is typed into the spec ({en: Aytan Ismayilova, ru: Айтан Исмайылова}).
                continue
            limit = _text_limit(type(model), name)
            if limit is not None:
                if isinstance(model, Quote) and name == "translation":
                    add(child, value, limit, audience, (model.text, model.language))
                elif value is not None:  # an optional text left out: nothing to translate
                    add(child, value, limit, audience)
                continue
            item_limit = _item_text_limit(type(model), name)
            if item_limit is not None and isinstance(value, list):
                for index, item in enumerate(value):  # a list of texts: a chart's categories
                    add((*child, index), item, item_limit, audience)
            elif isinstance(value, BaseModel):
                walk(value, child, audience)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, BaseModel):
                        walk(item, (*child, index),
                             index if child == ("audiences",) else audience)

    walk(spec, (), None)
    return found + _affix_fields(spec)


_AFFIX_LIMIT = 24  # characters, as the models allow


def _affix_fields(spec: BriefSpec) -> list[LocalizedField]:
    """A figure's prefix, unit and suffix written in words in the brief's language (" долл.
    США", "as many as "): texts like the others, which a version in another language would
    otherwise print in the brief's language (or, given per language, leave out). Symbols
    ("€", " m²") and prefixes read as a qualifier ("~", "up to ") are not translated: every
    language writes symbols alike, and briefgen words qualifiers itself."""
    shown = _AffixesShown.of(spec)
    figures: list[tuple[str, int, Stat | Chart]] = [
        *(("stats", index, stat) for index, stat in enumerate(spec.stats)),
        *(("charts", index, chart) for index, chart in enumerate(spec.charts))]
    found = []
    for kind, index, figure in figures:
        for name in _affixes_in_words(figure, spec.brief.language):
            path: FieldPath = (kind, index, name)
            if shown(figure, name):
                found.append(LocalizedField(field_key(spec, path), path, getattr(figure, name),
                                            _AFFIX_LIMIT, None))
    return found


def _affixes_in_words(figure: Stat | Chart, language: str) -> list[str]:
    """Which of a figure's prefix, unit and suffix hold words in `language` (a prefix read
    as a qualifier is worded by briefgen)."""
    from briefgen.resolve.figures import affix_has_words, figure_qualifier

    names = []
    for name in ("prefix", "unit", "suffix"):
        value = getattr(figure, name, None)
        if value is None or (name == "prefix" and figure_qualifier(figure) is not None):
            continue
        written = (value if isinstance(value, str)
                   else value.get(pick_language(value, language) or "", ""))
        if affix_has_words(written):
            names.append(name)
    return names


@dataclass(frozen=True)
class _AffixesShown:
    """Whether some version prints a figure's prefix (or unit and suffix): a stat shown as
    a callout or cited in a text (its prefix only as `[@+id]`), a chart shown."""

    stats: set[str]  # the stats some version shows as callouts (with their labels)
    charts: set[str]
    cited: set[tuple[str, bool]]  # (id, with prefix) of every citation in a text

    @classmethod
    def of(cls, spec: BriefSpec) -> _AffixesShown:
        charts = {chart.id for chart in spec.charts if chart.featured}
        charts |= {chart_id for audience in spec.audiences for chart_id in audience.charts or []}
        stats = {stat_id for version in versions(spec) for stat_id in version.stat_ids}
        return cls(stats, charts, _citations(spec))

    def __call__(self, figure: Stat | Chart, name: str) -> bool:
        if isinstance(figure, Chart):
            return figure.id in self.charts
        return figure.id in self.stats or (figure.id, True) in self.cited or (
            name != "prefix" and (figure.id, False) in self.cited)


def _citations(spec: BriefSpec) -> set[tuple[str, bool]]:
    """(id, with prefix) of every figure a text of the spec cites."""
    from briefgen.spec.inline import Cite, parse_inline, walk
    from briefgen.spec.validate import text_fields

    return {(node.stat_id, node.with_prefix) for _, text in text_fields(spec) if "[@" in text
            for node in walk(parse_inline(text)) if isinstance(node, Cite)}


def texts_for_language(spec: BriefSpec, document: YamlDocument, template: Template,
                       target: str) -> list[TranslationText]:
    """The translatable texts some version of the brief in `target` prints, as seen for
    `target`, in the order they are written.

    The versions are the audiences printed in `target`; when there is none yet, the brief's
    own version printed in `target` (what a new audience without texts of its own prints).
    """
    printed = _Printed.by(_printed_by_versions(spec, document, template, target))
    texts = []
    for field in localized_fields(spec):
        read = printed.texts.get(field.path)
        if read is not None:
            texts.append(_text_for(spec, field, target, required=field.path in printed.required,
                                   literal=read.literal))
        elif printed.with_fallback(field, target) or field.path[-1] in _AFFIXES:
            # Words around a figure some version prints: a language without them prints the
            # brief's, so they are offered, never missing.
            texts.append(_text_for(spec, field, target))
    return texts


@dataclass
class _Printed:
    """What the versions in a language print: each text as read first, the texts given per
    language (which a version stops without), and the entries (a source, a quote) they
    print."""

    texts: dict[FieldPath, PrintedText]
    required: set[FieldPath]
    entries: set[FieldPath]

    @classmethod
    def by(cls, versions: list[list[PrintedText]]) -> _Printed:
        printed = cls({}, set(), set())
        for reading in (reading for reads in versions for reading in reads):
            printed.texts.setdefault(reading.origin, reading)
            printed.entries.add(reading.origin[:-1])
            if isinstance(reading.value, dict):
                printed.required.add(reading.origin)
        return printed

    def with_fallback(self, field: LocalizedField, target: str) -> bool:
        """A field printed with a fallback (see `_USED_WITH_FALLBACK`) of an entry printed."""
        return (field.path[-1] in _USED_WITH_FALLBACK and field.path[:-1] in self.entries
                and _quote_translation_printed(field, target))


def every_text_for_language(spec: BriefSpec, target: str) -> dict[str, TranslationText]:
    """Every translatable field as seen for `target`, by key, printed in it or not."""
    return {field.key: _text_for(spec, field, target) for field in localized_fields(spec)}


def state_of(text: TranslationText, outdated: bool) -> State:
    """`missing`, `untranslated`, `outdated` (per the record) or `done`; a text translated
    by hand is done."""
    if text.target is None:
        return "missing" if text.required else "untranslated"
    return "outdated" if outdated else "done"


def versions_in(spec: BriefSpec, target: str) -> list[int | None]:
    """The versions of the brief printed in `target`: audiences by index, None for the
    brief's own version (built when it has no audiences)."""
    if not spec.audiences:
        return [None] if same_language(spec.brief.language, target) else []
    return [index for index in range(len(spec.audiences))
            if same_language(Version(spec, index).language, target)]


def field_key(spec: BriefSpec, path: FieldPath) -> str:
    """The stable name of a field: `stats[mines].label`, `audiences[eu].asks[0].detail`,
    `charts[who-pays].categories[1]`."""
    text = ""
    for position, part in enumerate(path):
        if isinstance(part, int):
            parent = path[position - 1] if position else None
            name: str | int = part
            entries = _ENTRIES_WITH_IDS.get(str(parent)) if position == 1 else None
            if entries is not None and part < len(getattr(spec, entries)):
                name = getattr(spec, entries)[part].id
            text += f"[{name}]"
        else:
            text += f".{part}" if text else part
    return text


# Lists whose entries a key names by id, so that reordering them keeps every key.
_ENTRIES_WITH_IDS = {"stats": "stats", "charts": "charts", "sources": "sources",
                     "audiences": "audiences"}
# Those that were named by position before (`LocalizedField.former_key`).
_NAMED_SINCE = frozenset({"charts", "sources"})


def _positional_key(path: FieldPath) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" if index else part
                   for index, part in enumerate(path))


def text_hash(text: str) -> str:
    """A short fingerprint of a text: re-wrapping a folded line does not change it."""
    return hashlib.sha256(normalize_space(text).encode("utf-8")).hexdigest()[:16]


def _text_for(spec: BriefSpec, field: LocalizedField, target: str, *, required: bool = False,
              literal: bool = False) -> TranslationText:
    text = _found_for(spec, field, target)
    return replace(text, required=required, literal=literal) if required or literal else text


def _found_for(spec: BriefSpec, field: LocalizedField, target: str) -> TranslationText:
    value = field.value
    if field.quote_words is not None:
        return _quote_translation_for(spec, field, target)
    if isinstance(value, str):
        return _written_once_for(spec, field, value, target)
    if isinstance(value, Mapping):
        source_key = pick_language(value, spec.brief.language)
        chosen = pick_language(value, target)
        return TranslationText(field, value[source_key] if source_key else None, source_key,
                               chosen, value[chosen] if chosen else None)
    return TranslationText(field, None, None, None, None)


def _quote_translation_for(spec: BriefSpec, field: LocalizedField, target: str
                           ) -> TranslationText:
    assert field.quote_words is not None
    source_language = spec.brief.language
    value = field.value
    source, source_key = quote_translation_source(field, source_language)
    if isinstance(value, dict):
        chosen = pick_language(value, target)
        return TranslationText(field, source, source_key, chosen,
                               value[chosen] if chosen else None)
    if not same_language(field.quote_words[1] or source_language, source_language):
        # Words spoken in another language, translated once: into the brief's language,
        # as every text written once is, and the source of the other translations.
        return TranslationText(field, source, None, None, None)
    # A plain translation of words spoken in the brief's language is shown on every page
    # in another language.
    return TranslationText(field, source, None, None, value)


def _written_once_for(spec: BriefSpec, field: LocalizedField, value: str, target: str
                      ) -> TranslationText:
    """A text written once is in the language of the versions that print it: the brief's,
    or its audience's."""
    written_in = Version(spec, field.audience).language
    if same_language(written_in, target) or not any(char.isalpha() for char in value):
        # Written in the language, or without words (a year, "2024"): nothing to translate.
        return TranslationText(field, None, None, None, value)
    source = value if same_language(written_in, spec.brief.language) else None
    return TranslationText(field, source, None, None, None)


def quote_translation_source(field: LocalizedField, source_language: str
                             ) -> tuple[str | None, str | None]:
    """What a quote's translation is translated from, and its key in the translation: the
    quote's own words when they were spoken in the brief's language; else the translation
    into the brief's language (`translation: {en: ...}`, or written once), so words spoken in
    French reach an Azerbaijani reader through the English translation."""
    assert field.quote_words is not None
    words, spoken = field.quote_words
    if same_language(spoken or source_language, source_language):
        return words, None
    value = field.value
    if isinstance(value, dict):
        key = pick_language(value, source_language)
        return (value[key], key) if key else (None, None)
    return value, None


def languages_printing(spec: BriefSpec, document: YamlDocument, template: Template
                       ) -> dict[FieldPath, list[str]]:
    """For each text some version prints as written once, the languages of those versions
    (`fr` for `fr-CH`), in the order of the audiences: the languages that keep it when a
    translation turns it into a mapping."""
    indexes: list[int | None] = list(range(len(spec.audiences))) or [None]
    found: dict[FieldPath, list[str]] = {}
    for index, printed in zip(indexes, _printed(document, template,
                                                [(spec, index) for index in indexes]),
                              strict=True):
        language = base_language(Version(spec, index).language)
        for reading in printed:
            languages = found.setdefault(reading.origin, [])
            if isinstance(reading.value, str) and language not in languages:
                languages.append(language)
    return found


def _printed_by_versions(spec: BriefSpec, document: YamlDocument, template: Template,
                         target: str) -> list[list[PrintedText]]:
    """What each version in `target` prints, as the build resolves it."""
    versions: list[tuple[BriefSpec, int | None]] = [
        (spec, index) for index in versions_in(spec, target)]
    if not versions:
        brief = spec.brief.model_copy(update={"language": target})
        versions = [(spec.model_copy(update={"brief": brief}), None)]
    return _printed(document, template, versions)


def _printed(document: YamlDocument, template: Template,
             versions: list[tuple[BriefSpec, int | None]]) -> list[list[PrintedText]]:
    from briefgen.resolve.view import resolve_brief

    found = []
    for version_spec, index in versions:
        printed: list[PrintedText] = []
        # A missing text or a broken logo is raised after every text was read.
        with suppress(UserError):
            resolve_brief(version_spec, template, document, index, printed=printed)
        found.append(printed)
    return found


def _quote_translation_printed(field: LocalizedField, target: str) -> bool:
    """A quote's translation is printed under words marked with their language, on pages in
    another language (see `view`): words without a `language` are taken to be in the page's,
    so no translation of them is ever printed."""
    if field.quote_words is None:
        return True
    spoken = field.quote_words[1]
    return spoken is not None and not same_language(spoken, target)


@lru_cache(maxsize=256)
def _text_limit(model: type[BaseModel], name: str) -> int | None:
    """The longest text a field takes, when it takes one text per language; else None."""
    if name in _AFFIXES:
        return None
    return _limit_of(model.model_fields[name].annotation)


@lru_cache(maxsize=256)
def _item_text_limit(model: type[BaseModel], name: str) -> int | None:
    """The longest text each item of a list field takes, when its items take one text per
    language (a chart's categories); else None."""
    for branch in _union_branches(model.model_fields[name].annotation):
        if typing.get_origin(branch) is list:
            return _limit_of(typing.get_args(branch)[0])
    return None


def _limit_of(annotation: object) -> int | None:
    branches = _union_branches(annotation)
    if not any(typing.get_origin(branch) is dict for branch in branches):
        return None
    for branch in branches:
        if typing.get_origin(branch) is Annotated and typing.get_args(branch)[0] is str:
            for metadata in typing.get_args(branch)[1:]:
                if isinstance(metadata, StringConstraints) and metadata.max_length:
                    return metadata.max_length
    return 2000


def _union_branches(annotation: object) -> tuple[object, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)
