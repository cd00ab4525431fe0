"""Which texts of a brief a translator is given, what each is translated from, and its name.

A field that takes one text per language (`summary: {en: ..., fr: ...}`) is translatable.
Such fields are found from the models, so a field added there is covered without being
listed here. A plain string in such a field is written in the language of the versions that
show it (the brief's language, or its audience's) and becomes a mapping when its first
translation comes in.

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
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BaseModel
from pydantic.types import StringConstraints

from briefgen.inline import normalize_space
from briefgen.spec.loader import FieldPath
from briefgen.spec.models import Audience, BriefSpec, Chart, Quote, Stat
from briefgen.view import pick_language

# Per-language fields that are not handed to a translator (see the module docstring).
_AFFIXES = frozenset({"prefix", "unit", "suffix"})

State = Literal["missing", "outdated", "done"]


@dataclass(frozen=True)
class LocalizedField:
    """A translatable field of a spec.

    `key` names it in XLIFF files and translation records and stays the same when entries
    are reordered: stats and audiences are named by id (`stats[mines].label`,
    `audiences[eu].intro`), other list entries by position (`asks[0].detail`).
    """

    key: str
    path: FieldPath  # in the spec with its fact files merged, e.g. ("stats", 7, "label")
    value: str | dict[str, str] | None
    max_length: int
    audience: int | None  # the audience whose version alone shows it; None: the brief's own
    shown: bool  # printed on some version of the page
    # A quote's translation: the words it translates, and their `language` if given.
    quote_words: tuple[str, str | None] | None = None


@dataclass(frozen=True)
class TranslationText:
    """A translatable field as seen for one target language.

    `source` is the text to translate from (in the brief's language); None when the field has
    none, e.g. a mapping without the brief's language. `source_key` is its key in the field's
    mapping: None for a plain string, which becomes `{<source language>: ..., <target>: ...}`,
    and for a quote, whose words are the source. `target_key` and `target` are the
    translation already there, if any.
    """

    field: LocalizedField
    source: str | None
    source_key: str | None
    target_key: str | None
    target: str | None


def localized_fields(spec: BriefSpec) -> list[LocalizedField]:
    """Every translatable field of `spec`, in the order they are written."""
    found: list[LocalizedField] = []
    labels_shown = _stats_shown(spec)

    def walk(model: BaseModel, path: FieldPath, audience: int | None) -> None:
        for name, info in type(model).model_fields.items():
            key = info.alias or name
            value = getattr(model, name)
            child: FieldPath = (*path, key)
            limit = _text_limit(type(model), name)
            if isinstance(model, Quote) and name == "speaker":
                # A name is not translated: where readers use another script, its spelling
                # there is typed into the spec ({en: Aytan Ismayilova, ru: Айтан Исмайылова}).
                continue
            if limit is not None:
                words = None
                if isinstance(model, Quote) and name == "translation":
                    words = (model.text, model.language)
                elif value is None:
                    continue  # an optional text left out: nothing to translate
                shown = audience is not None or _shown_in_general(spec, child, labels_shown)
                found.append(LocalizedField(field_key(spec, child), child, value, limit,
                                            audience, shown, words))
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
    from briefgen.inline import Cite, parse_inline, walk
    from briefgen.spec.validate import text_fields
    from briefgen.view import affix_has_words, figure_qualifier, pick_language

    cited: set[tuple[str, bool]] = set()
    for _, text in text_fields(spec):
        if "[@" in text:
            cited |= {(node.stat_id, node.with_prefix) for node in walk(parse_inline(text))
                      if isinstance(node, Cite)}
    shown_stats = _stats_shown(spec)
    shown_charts = {chart.id for chart in spec.charts if chart.featured}
    for audience in spec.audiences:
        shown_charts |= set(audience.charts or [])
    found = []
    figures: list[tuple[str, int, Stat | Chart]] = [
        *(("stats", index, figure) for index, figure in enumerate(spec.stats)),
        *(("charts", index, figure) for index, figure in enumerate(spec.charts))]
    for kind, index, figure in figures:
        for name in ("prefix", "unit", "suffix"):
            value = getattr(figure, name, None)
            if value is None or (name == "prefix" and figure_qualifier(figure) is not None):
                continue
            source = (value if isinstance(value, str)
                      else value.get(pick_language(value, spec.brief.language) or "", ""))
            if not affix_has_words(source):
                continue
            if kind == "charts":
                shown = figure.id in shown_charts
            else:
                shown = figure.id in shown_stats or (figure.id, True) in cited or (
                    name != "prefix" and (figure.id, False) in cited)
            path: FieldPath = (kind, index, name)
            found.append(LocalizedField(field_key(spec, path), path, value, _AFFIX_LIMIT, None,
                                        shown))
    return found


def texts_for_language(spec: BriefSpec, fields: list[LocalizedField], target: str, *,
                       shown_only: bool = True) -> list[TranslationText]:
    """The fields as seen for the `target` language.

    With `shown_only`, only the fields a version in `target` would print, or that any
    version prints (a brief gains a language before it gains an audience in it): an
    audience's own texts count only when the audience is in `target`; a figure's label only
    when the figure is a callout somewhere.
    """
    texts = []
    for field in fields:
        if shown_only and not _wanted(spec, field, target):
            continue
        texts.append(_text_for(spec, field, target))
    return texts


def state_of(text: TranslationText, outdated: bool) -> State:
    """`missing`, `outdated` (per the record) or `done`; a text translated by hand is done."""
    if text.target is None:
        return "missing"
    return "outdated" if outdated else "done"


def field_key(spec: BriefSpec, path: FieldPath) -> str:
    """The stable name of a field: `stats[mines].label`, `audiences[eu].asks[0].detail`."""
    text = ""
    for position, part in enumerate(path):
        if isinstance(part, int):
            parent = path[position - 1] if position else None
            name: str | int = part
            if position == 1 and parent == "stats" and part < len(spec.stats):
                name = spec.stats[part].id
            elif position == 1 and parent == "audiences" and part < len(spec.audiences):
                name = spec.audiences[part].id
            text += f"[{name}]"
        else:
            text += f".{part}" if text else part
    return text


def text_hash(text: str) -> str:
    """A short fingerprint of a text: re-wrapping a folded line does not change it."""
    return hashlib.sha256(normalize_space(text).encode("utf-8")).hexdigest()[:16]


def same_language(first: str, second: str) -> bool:
    """Whether two tags name the same language (`fr` and `fr-CH` do)."""
    return base_language(first) == base_language(second)


def base_language(tag: str) -> str:
    return tag.split("-")[0].lower()


def language_name(tag: str) -> str:
    """`French` for `fr`, `Azerbaijani` for `az`: the language's English name (CLDR)."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name("en")
    except (UnknownLocaleError, ValueError):
        return tag
    return str(name) if name else tag


def version_language(spec: BriefSpec, audience: int | None) -> str:
    """The language a version of the brief is printed in."""
    language = spec.audiences[audience].language if audience is not None else None
    return language or spec.brief.language


def _wanted(spec: BriefSpec, field: LocalizedField, target: str) -> bool:
    if field.audience is not None:
        return same_language(version_language(spec, field.audience), target)
    if field.quote_words is not None:
        # A translation is printed under words marked with their language, on pages in
        # another language (see `view`): words without a `language` are taken to be in the
        # page's, so no translation of them is ever printed.
        spoken = field.quote_words[1]
        return spoken is not None and not same_language(spoken, target) and field.shown
    return field.shown


def _text_for(spec: BriefSpec, field: LocalizedField, target: str) -> TranslationText:
    source_language = spec.brief.language
    value = field.value
    if field.quote_words is not None:
        words, spoken = field.quote_words
        source = words if same_language(spoken or source_language, source_language) else None
        if isinstance(value, dict):
            chosen = pick_language(value, target)
            return TranslationText(field, source, None, chosen, value[chosen] if chosen else None)
        # A plain translation is shown on every page in another language.
        return TranslationText(field, source, None, None, value)
    if isinstance(value, str):
        written_in = version_language(spec, field.audience)
        if same_language(written_in, target):
            return TranslationText(field, None, None, None, value)
        source = value if same_language(written_in, source_language) else None
        return TranslationText(field, source, None, None, None)
    if isinstance(value, Mapping):
        source_key = pick_language(value, source_language)
        chosen = pick_language(value, target)
        return TranslationText(field, value[source_key] if source_key else None, source_key,
                               chosen, value[chosen] if chosen else None)
    return TranslationText(field, None, None, None, None)


def _stats_shown(spec: BriefSpec) -> set[str]:
    """Ids of the figures shown as callouts (with their labels) on some version."""
    featured = [stat.id for stat in spec.stats if stat.featured]
    if not spec.audiences:
        return set(featured)
    shown: set[str] = set()
    for audience in spec.audiences:
        shown |= set(audience.stats or featured)
    return shown


def _shown_in_general(spec: BriefSpec, path: FieldPath, labels_shown: set[str]) -> bool:
    """Whether a field outside the audiences is printed on some version: not when every
    audience replaces it with its own (summary, asks, quotes, sections, from), nor a label of
    a figure that is only cited in sentences."""
    if path[:1] == ("stats",) and path[2:] == ("label",) and isinstance(path[1], int):
        return spec.stats[path[1]].id in labels_shown
    override = "from" if path[:2] == ("brief", "from") else str(path[0])
    attribute = _audience_attribute(override)
    if attribute is None or not spec.audiences:
        return True
    return any(getattr(audience, attribute) is None for audience in spec.audiences)


@lru_cache(maxsize=16)
def _audience_attribute(alias: str) -> str | None:
    """The `Audience` attribute that replaces the brief's field of that name, if any."""
    for name, info in Audience.model_fields.items():
        if (info.alias or name) == alias and alias not in {"id", "language", "page", "stats"}:
            return name
    return None


@lru_cache(maxsize=256)
def _text_limit(model: type[BaseModel], name: str) -> int | None:
    """The longest text a field takes, when it takes one text per language; else None."""
    if name in _AFFIXES:
        return None
    branches = _union_branches(model.model_fields[name].annotation)
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
