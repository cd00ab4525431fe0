"""Rules on repetition: a figure stated twice on one version, and words a citation prints
that the sentence around it already has."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefgen.checks.spec_rules.rule import CheckedSpec, variants
from briefgen.errors import Location, Problem, display_path
from briefgen.resolve.figures import amount_figure, figure_qualifier, printed_figure
from briefgen.resolve.language import pick_language
from briefgen.resolve.version import Version, numbered, versions
from briefgen.spec.inline import Cite, count_nonspace, locate_markup, normalize_space
from briefgen.spec.loader import FieldPath, YamlDocument
from briefgen.spec.models import AskAmount, Stat
from briefgen.spec.validate import text_fields


def repeated_figures(checked: CheckedSpec) -> Iterator[Problem]:
    """Two texts of one version that state the same figure: the same stat cited in both, or
    the same number typed (or typed in one and cited in the other). A reader meets it twice
    and wonders whether it is two things. Reported once per pair of places, at the second,
    naming the first and the versions that print both."""
    pairs: dict[tuple[_Mention, _Mention], list[str]] = {}
    for version in versions(checked.spec):
        for first, second in _repeated_in(checked, version):
            pairs.setdefault((first, second), []).append(version.audience_id or "")
    for (first, second), audience_ids in pairs.items():
        yield _stated_twice(checked.document, first, second, audience_ids)


def _stated_twice(document: YamlDocument, first: _Mention, second: _Mention,
                  audience_ids: list[str]) -> Problem:
    named = [audience_id for audience_id in audience_ids if audience_id]
    on_versions = (f" on the version{'s' if len(named) > 1 else ''} for {', '.join(named)}"
                   if named else "")
    where = first.location
    return Problem(second.location, document.describe(second.path),
                   f"{second.shown} is stated twice{on_versions}: here, and in "
                   f"{document.describe(first.path)} at {display_path(where.file)}:"
                   f"{where.line}:{where.column}",
                   "say it once: cut the figure from one of the two texts (an audience can "
                   "have its own intro, summary, asks or sections)",
                   rule="repeated-figure", severity="warning")


def _repeated_in(checked: CheckedSpec, version: Version) -> Iterator[tuple[_Mention, _Mention]]:
    """Each figure one version states again, with the place it was first stated."""
    seen: list[_Mention] = []
    for mention in _figure_mentions(checked, version):
        first = next((earlier for earlier in seen if earlier.path != mention.path
                      and earlier.same_figure(mention)), None)
        if first is not None:
            yield first, mention
        else:
            seen.append(mention)


@dataclass(frozen=True)
class _Mention:
    """A figure stated in a text: the stat it cites (if any), its value and whether it is a
    percentage, what it prints as, and where it was written."""

    path: FieldPath
    location: Location
    stat_id: str | None
    value: float
    percent: bool
    shown: str

    def same_figure(self, other: _Mention) -> bool:
        if self.stat_id is not None and self.stat_id == other.stat_id:
            return True
        return self.percent == other.percent and math.isclose(self.value, other.value,
                                                               rel_tol=1e-9)


def _version_texts(version: Version) -> Iterator[tuple[FieldPath, str | AskAmount]]:
    """The running texts one version prints, in reading order and in its language, with
    each ask's amount after its sentence."""
    language = version.language

    def local(path: FieldPath, value: object) -> Iterator[tuple[FieldPath, str]]:
        if isinstance(value, dict):
            key = pick_language(value, language)
            if key is not None:
                yield (*path, key), value[key]
        elif isinstance(value, str):
            yield path, value

    summary_ask, summary, intro = version.summary_ask, version.summary, version.intro
    yield from local(summary_ask.path, summary_ask.value)
    yield from local(summary.path, summary.value)
    yield from local(intro.path, intro.value)
    for path, ask in numbered(version.asks):
        yield from local((*path, "headline"), ask.headline)
        yield from local((*path, "detail"), ask.detail)
        if ask.amount is not None:
            yield (*path, "amount"), ask.amount
    for path, section in numbered(version.sections):
        yield from local((*path, "heading"), section.heading)
        yield from local((*path, "body"), section.body)
    for path, quote in numbered(version.quotes):
        yield from local((*path, "text"), quote.text)
        yield from local((*path, "translation"), quote.translation)


def _figure_mentions(checked: CheckedSpec, version: Version) -> Iterator[_Mention]:
    """The figures one version's texts and asks' amounts state, in reading order."""
    document, language = checked.document, version.language
    stats = {stat.id: stat for stat in checked.spec.stats}
    for path, text in _version_texts(version):
        if isinstance(text, AskAmount):
            yield from _amount_mention(text, path, document, language, stats)
        else:
            yield from _cited_mentions(path, text, document, language, stats)
            yield from _typed_numbers(path, text, document)


def _cited_mentions(path: FieldPath, text: str, document: YamlDocument, language: str,
                    stats: dict[str, Stat]) -> Iterator[_Mention]:
    """The figures a text cites (`[@id]`), where each citation is typed."""
    for position, node in locate_markup(text):
        if isinstance(node, Cite) and node.stat_id in stats:
            typed = f"[@{'+' if node.with_prefix else ''}{node.stat_id}]"
            yield _cited(path, document.locate_inside(path, position, typed),
                         stats[node.stat_id], language)


def _cited(path: FieldPath, where: Location, stat: Stat, language: str) -> _Mention:
    return _Mention(path, where, stat.id, stat.value, stat.format == "percent",
                    printed_figure(stat, language).replace("\u00a0", " "))


def _amount_mention(amount: AskAmount, path: FieldPath, document: YamlDocument, language: str,
                    stats: dict[str, Stat]) -> Iterator[_Mention]:
    if amount.stat is not None and amount.stat in stats:
        where: FieldPath = (*path, "stat")
        yield _cited(where, document.locate(where), stats[amount.stat], language)
    elif amount.value is not None:
        where = (*path, "value")
        shown = printed_figure(amount_figure(amount, language), language)
        yield _Mention(where, document.locate(where), None, amount.value, False,
                       shown.replace("\u00a0", " "))


# A number as typed in a text: digits with grouping or decimal separators, then perhaps a
# percent sign or a scale word ("4.25 million", "250 000", "13 %", "1,5 млн").
_TYPED_NUMBER = re.compile(
    r"(?<![\w.,])(\d+(?:[ \u00a0\u202f.,]\d+)*)(?![\w])"
    r"(?:[ \u00a0\u202f]?(%|million|millions|milliards?|billions?|thousand|mille|млн|млрд|"
    r"тыс\.|milyon|milyard)(?!\w))?", re.IGNORECASE)
_SCALES = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e9,
           "billions": 1e9, "thousand": 1e3, "mille": 1e3, "млн": 1e6, "млрд": 1e9,
           "тыс.": 1e3, "milyon": 1e6, "milyard": 1e9}
# Citations and link addresses hold digits that are not figures stated to the reader.
_MARKUP = re.compile(r"\[[@^][^\]]*\]|\]\([^)]*\)")


def _typed_numbers(path: FieldPath, text: str, document: YamlDocument) -> Iterator[_Mention]:
    """Figures typed as digits in a text, outside its citations and link addresses."""
    normalized = normalize_space(text)
    markup = [(match.start(), match.end()) for match in _MARKUP.finditer(normalized)]
    for match in _TYPED_NUMBER.finditer(normalized):
        value = _stated_value(match)
        if value is not None and not any(start <= match.start() < end for start, end in markup):
            where = document.locate_inside(path, count_nonspace(normalized[:match.start()]),
                                           match.group(1))
            yield _Mention(path, where, None, value, match.group(2) == "%",
                           match.group().strip())


def _stated_value(number: re.Match[str]) -> float | None:
    """The value a typed number states, its scale word applied; None for one that says
    nothing a reader would take for a repeated figure: a year (1900-2100) or a small whole
    number (below 100), without a percent sign or scale word."""
    digits, scale = number.group(1), (number.group(2) or "").lower()
    value = _number_value(digits)
    if value is None or (not scale and _says_nothing(value, digits)):
        return None
    return value * _SCALES.get(scale, 1.0)


def _says_nothing(value: float, digits: str) -> bool:
    """A whole number typed without separators that is small, or a year."""
    whole = value.is_integer() and not re.search(r"[ \u00a0\u202f.,]", digits)
    return whole and (value < 100 or 1900 <= value <= 2100)


def _number_value(digits: str) -> float | None:
    """The value of a number typed with grouping or decimal separators: "250,000",
    "250 000" and "1.130.000" group thousands; "4.25" and "4,25" have decimals."""
    parts = re.split(r"[ \u00a0\u202f.,]", digits)
    separators = re.findall(r"[ \u00a0\u202f.,]", digits)
    try:
        if all(len(part) == 3 for part in parts[1:]):
            return float("".join(parts))
        if separators[-1] in " \u00a0\u202f":
            return None  # two numbers side by side, not one
        return float("".join(parts[:-1]) + "." + parts[-1])
    except (ValueError, IndexError):
        return None


def repeated_words(checked: CheckedSpec) -> Iterator[Problem]:
    """Words a citation prints that the sentence around it already has: "more than
    [@+id]" with the prefix "more than ", "€[@id]" with the unit "€", "[@id] m²" with the
    suffix " m²". Every language's form of the prefix, unit and suffix is compared."""
    stats = {stat.id: stat for stat in checked.spec.stats}
    for path, text in text_fields(checked.spec):
        if "[@" not in text:
            continue
        normalized = " ".join(text.split())
        for position, node in locate_markup(text):
            if isinstance(node, Cite) and node.stat_id in stats:
                yield from _words_printed_twice(checked, path, normalized, position, node,
                                                stats[node.stat_id])


def _words_printed_twice(checked: CheckedSpec, path: FieldPath, normalized: str,
                         position: int, node: Cite, stat: Stat) -> Iterator[Problem]:
    """The prefix, unit or suffix of one citation that the words around it repeat."""
    start, end = _citation_span(normalized, position)
    before = normalized[:start].rstrip().casefold()
    after = normalized[end:].lstrip().casefold()
    typed = f"[@{'+' if node.with_prefix else ''}{node.stat_id}]"
    for name, forms in _affix_forms(stat, node.with_prefix):
        twice = next((form for form in forms if _beside(before, after, form, name)), None)
        if twice is not None:
            yield Problem(checked.document.locate_inside(path, position, typed),
                          checked.document.describe(path),
                          f"{twice!r} would be printed twice: the text "
                          f"{'after' if name == 'suffix' else 'before'} {typed} has it, "
                          f"and the figure's {name} prints it",
                          _delete_hint(name, twice, typed, node.stat_id),
                          rule="repeated-words", severity="warning")


def _beside(before: str, after: str, form: str, name: str) -> bool:
    """Whether the words before the citation end with `form` (its prefix or unit), or those
    after it start with it (its suffix), as whole words."""
    found_in_text = after.startswith if name == "suffix" else before.endswith
    return found_in_text(form.casefold()) and _whole_words(before, after, form, name)


def _affix_forms(stat: Stat, with_prefix: bool) -> list[tuple[str, list[str]]]:
    """The words a citation prints around its number, in every language: its prefix (or
    qualifier, for `[@+id]`), its unit and its suffix."""
    forms = [("unit", variants(stat.unit)), ("suffix", variants(stat.suffix))]
    if with_prefix:
        forms.insert(0, ("prefix", variants(stat.prefix) + _qualifier_words(stat)))
    return forms


def _delete_hint(name: str, twice: str, typed: str, stat_id: str) -> str:
    if name == "prefix":
        return f"write [@{stat_id}] to leave the prefix out, or delete the words before it"
    return f"delete the {twice!r} {'before' if name == 'unit' else 'after'} {typed}"


def _citation_span(text: str, nonspace_index: int) -> tuple[int, int]:
    """Start and end in `text` of the citation whose `[` follows `nonspace_index` non-space
    characters."""
    seen = 0
    for index, char in enumerate(text):
        if not char.isspace():
            if seen == nonspace_index:
                return index, text.index("]", index) + 1
            seen += 1
    return len(text), len(text)


def _qualifier_words(stat: Stat) -> list[str]:
    """The words a stat's qualifier is printed with before the figure, in every language
    briefgen words it in ("more than", "plus de", "более")."""
    from briefgen.resolve.locale_format import QUALIFIER_WORDING

    qualifier = figure_qualifier(stat)
    if qualifier is None:
        return []
    words = {" ".join(wordings[qualifier].partition("{}")[0].split())
             for wordings in QUALIFIER_WORDING.values()}
    return sorted((word for word in words if word), key=len, reverse=True)


def _whole_words(before: str, after: str, variant: str, name: str) -> bool:
    """Whether `variant` stands on its own next to the citation, not as the end of a longer
    word ("set up to" has "up to"; "startup to" has not)."""
    variant = variant.casefold()
    if name == "suffix":
        rest = after[len(variant):]
        return not (variant[-1:].isalnum() and rest[:1].isalnum())
    rest = before[:-len(variant)]
    return not (variant[:1].isalnum() and rest[-1:].isalnum())
