"""A brief's text as an XLIFF unit, with the notes a translator needs; a unit's translation
back as checked markup."""

from __future__ import annotations

import os
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from briefgen.resolve.language import base_language, language_name, same_language, text_or_first
from briefgen.spec.inline import Cite, SourceCite
from briefgen.spec.loader import YamlDocument, describe_character, unsafe_character
from briefgen.spec.models import BriefSpec, Source, Stat
from briefgen.translation.placeholders import Tag, TagError, markup_from_target, tag_source
from briefgen.translation.texts import (
    TranslationText,
    every_text_for_language,
    text_hash,
    texts_for_language,
)
from briefgen.translation.xliff import (
    NO_TRANSLATION,
    XLIFF_NAMESPACE,
    ExportUnit,
    ImportUnit,
    parse_xml,
)

if TYPE_CHECKING:
    from briefgen.template import Template


def texts_by_key(spec: BriefSpec, document: YamlDocument, template: Template,
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


def tagged_source(text: TranslationText) -> tuple[str, dict[str, Tag]]:
    """The `<source>` of a text and its tags; a text printed as typed has none."""
    assert text.source is not None
    return (escape(text.source), {}) if text.literal else tag_source(text.source)


def source_element(source_xml: str) -> ET.Element:
    """A `<source>` as read back from a file, to compare with a unit's."""
    root, _ = parse_xml(f'<source xmlns="{XLIFF_NAMESPACE}">{source_xml}</source>'.encode(),
                        Path("source"))
    return root


def checked_translation(unit: ImportUnit, text: TranslationText, tags: dict[str, Tag]) -> str:
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


def labels_in(template: Template, language: str) -> dict[str, str]:
    """The template's labels for a language, as a version in it prints them."""
    from briefgen.resolve.language import pick_language

    catalogue = template.design.labels
    return dict(catalogue[pick_language(catalogue, language) or "en"])


def export_unit(spec: BriefSpec, document: YamlDocument, text: TranslationText,
                outdated: bool, target: str, labels: dict[str, str]) -> ExportUnit:
    """The unit of one text: its tagged source, where it is written, and its note."""
    assert text.source is not None
    source_xml, tags = tagged_source(text)
    location = document.locate(text.field.path)
    relative = Path(os.path.relpath(location.file.resolve(), document.path.resolve().parent))
    notes = [f"{document.describe(text.field.path)}, {relative.as_posix()} line "
             f"{location.line}. At most {text.field.max_length:,} characters, tags included.",
             *_text_notes(spec, text)]
    notes += [_chart_reference_note(spec, tag, labels) or _tag_note(spec, tag, target)
              for tag in tags.values()]
    if outdated and text.target is not None:
        notes.append(f"Out of date: the {language_name(target)} text below was made from an "
                     f"earlier {_source_language_name(spec)} text. Update it: {text.target}")
    return ExportUnit(key=text.field.key, source=source_xml, file=relative.as_posix(),
                      line=location.line, note="\n".join(notes),
                      max_length=text.field.max_length,
                      known_translation=(text_hash(text.target) if text.target is not None
                                         else NO_TRANSLATION))


def _source_language_name(spec: BriefSpec) -> str:
    return language_name(base_language(spec.brief.language))


def _text_notes(spec: BriefSpec, text: TranslationText) -> list[str]:
    """Where the text is printed, and what it is translated from."""
    field = text.field
    notes = []
    if field.audience is not None:
        notes.append(f"Printed only on the version for the {spec.audiences[field.audience].name}.")
    if field.quote_words is not None:
        notes.append("The translation printed under a quote, which keeps its own words.")
        words, spoken = field.quote_words
        if spoken is not None and not same_language(spoken, spec.brief.language):
            notes.append(f"The quote was spoken in {language_name(base_language(spoken))}: "
                         f"“{words}”. Translate its {_source_language_name(spec)} translation, "
                         "below, checking it against those words where you can.")
    elif text.target is None and not text.required:
        notes.append(f"Printed as written, in {_source_language_name(spec)}, until it is "
                     "translated; a name that stays the same may be copied.")
    return notes


def _chart_reference_note(spec: BriefSpec, tag: Tag, labels: dict[str, str]) -> str | None:
    """`Tag 3 ([@who-pays]) prints “(voir le graphique)”, ...`: a text citing a chart prints
    the template's pointer to it, in the target language."""
    node = tag.node
    chart = next((chart for chart in spec.charts if chart.id == node.stat_id), None) \
        if isinstance(node, Cite) else None
    if chart is None:
        return None
    pointer = labels.get("see_chart", "(see chart)")
    title = text_or_first(chart.title, spec.brief.language)
    return f"{_capitalized(tag.name)} prints “{pointer}”, pointing to the chart “{title}”."


def _tag_note(spec: BriefSpec, tag: Tag, target: str) -> str:
    """`Tag 2 ([@displaced]) prints the figure 800,000: former displaced people ...`."""
    described = _capitalized(tag.name)
    match tag.node:
        case Cite(stat_id=stat_id, with_prefix=with_prefix) if stat_id in _ids(spec.stats):
            stat = spec.stats[_ids(spec.stats).index(stat_id)]
            return f"{described} {_printed_figure_note(stat, with_prefix, spec, target)}"
        case SourceCite(source_id=source_id) if source_id in _ids(spec.sources):
            source = spec.sources[_ids(spec.sources).index(source_id)]
            return f"{described} prints the note number of the source “{source.title}”."
    return f"{described}: translate the words inside it." if tag.wraps_words else f"{described}."


def _ids(entries: list[Stat] | list[Source]) -> list[str]:
    return [entry.id for entry in entries]


def _capitalized(text: str) -> str:
    return text[0].upper() + text[1:]


def _printed_figure_note(stat: Stat, with_qualifier: bool, spec: BriefSpec, target: str
                         ) -> str:
    """What a figure's tag prints, as the version in `target` prints it: its qualifier (for
    [@+id]), number format and unit in that language, so the translator does not write them
    again: "prints the figure “plus de 13 %” (of territory contaminated) and its note
    number"."""
    from briefgen.resolve.figures import printed_figure

    shown = printed_figure(stat, target, with_qualifier=with_qualifier).replace("\u00a0", " ")
    label = text_or_first(stat.label, spec.brief.language)
    return (f"prints the figure “{shown}” ({label}) and its note number, as the "
            f"{language_name(target)} version prints it: its words are not to be written "
            "again around the tag.")
