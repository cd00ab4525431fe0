"""Turn loaded YAML into a `BriefSpec`, reporting every problem at once with its location."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.errors import Location, Problem, SpecError
from briefgen.spec.inline import (
    ALLOWED_LINK_SCHEMES,
    Cite,
    Link,
    SourceCite,
    count_nonspace,
    locate_markup,
    normalize_space,
    parse_inline,
    walk,
)
from briefgen.spec.loader import ID_PATTERN, FieldPath, YamlDocument, value_at
from briefgen.spec.models import Ask, BriefSpec, Quote


def validate_spec(document: YamlDocument) -> BriefSpec:
    """Check `document` against the schema and its cross-references; raise `SpecError`."""
    if not isinstance(document.data, dict):
        raise SpecError(Problem(document.locate(()), "", "a spec must be a mapping of keys "
                                "(brief:, summary:, asks:, ...)", rule="schema"))
    try:
        spec = BriefSpec.model_validate(document.data)
    except ValidationError as error:
        problems = problems_from_validation_error(error, document, BriefSpec)
        # Broken references are worth knowing in the same run, even when the schema failed.
        problems += _raw_reference_problems(document)
        raise SpecError(_sorted_unique(problems)) from None
    problems = list(check_references(spec, document))
    if problems:
        raise SpecError(_sorted_unique(problems))
    return spec


@dataclass(frozen=True)
class AudienceFailure:
    """An audience that cannot be built, while the rest of its spec can."""

    audience_id: str
    problems: list[Problem]


def validate_spec_by_audience(document: YamlDocument
                              ) -> tuple[BriefSpec, YamlDocument, list[AudienceFailure]]:
    """Like `validate_spec`, but a broken audience fails alone.

    Returns the spec without the broken audiences, the document with positions renumbered to
    match, and the problems of each broken audience.
    """
    try:
        return validate_spec(document), document, []
    except SpecError as error:
        by_audience: dict[int, list[Problem]] = {}
        general: list[Problem] = []
        for problem in error.problems:
            match = _AUDIENCE_FIELD.match(problem.field)
            if match:
                by_audience.setdefault(int(match.group(1)), []).append(problem)
            else:
                general.append(problem)
        if general or not by_audience:
            raise
    raw = document.data.get("audiences")
    failures = [
        AudienceFailure(_raw_audience_id(raw, index), problems)
        for index, problems in sorted(by_audience.items())
    ]
    cleaned = _without_audiences(document, set(by_audience))
    return validate_spec(cleaned), cleaned, failures


_AUDIENCE_FIELD = re.compile(r"^audiences\[(\d+)\]")


def _raw_audience_id(raw: Any, index: int) -> str:
    if isinstance(raw, list) and index < len(raw) and isinstance(raw[index], dict):
        audience_id = raw[index].get("id")
        if isinstance(audience_id, str):
            return audience_id
    return f"audiences[{index}]"


def _without_audiences(document: YamlDocument, removed: set[int]) -> YamlDocument:
    """A copy of the document without some audiences; later positions move up to match.

    Everything recorded per position is carried over, renumbered: values, keys, how each
    text was typed and where YAML cut it at a '#', and fact-file entries' own names.
    """
    data = dict(document.data)
    data["audiences"] = [audience for index, audience in enumerate(data["audiences"])
                         if index not in removed]
    new_index = {old: old - sum(1 for gone in removed if gone < old)
                 for old in range(len(document.data["audiences"])) if old not in removed}

    def renumber(marks: dict[FieldPath, _Mark]) -> dict[FieldPath, _Mark]:
        result: dict[FieldPath, _Mark] = {}
        for path, mark in marks.items():
            if len(path) > 1 and path[0] == "audiences" and isinstance(path[1], int):
                if path[1] in removed:
                    continue
                path = ("audiences", new_index[path[1]], *path[2:])
            result[path] = mark
        return result

    # `replace` carries over every field, so one added later is not silently dropped here.
    return replace(document, data=data, value_marks=renumber(document.value_marks),
                   key_marks=renumber(document.key_marks),
                   trailing_comments=renumber(document.trailing_comments),
                   scalars=renumber(document.scalars))


_Mark = TypeVar("_Mark")


def check_references(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """Ids are unique; stats, quotes and citations name things that exist; links are safe."""
    source_ids = [source.id for source in spec.sources]
    stat_ids = [stat.id for stat in spec.stats]
    chart_ids = [chart.id for chart in spec.charts]
    yield from _duplicates("sources", source_ids, document)
    # Stats and charts share one set of ids: `[@id]` cites either.
    yield from _duplicates(("stats", "charts"), [*stat_ids, *chart_ids], document)
    yield from _duplicates("audiences", [audience.id for audience in spec.audiences], document)

    for index, stat in enumerate(spec.stats):
        if stat.source not in source_ids:
            path: FieldPath = ("stats", index, "source")
            yield _unknown("source", stat.source, source_ids, path, document)
    for index, audience in enumerate(spec.audiences):
        for stat_index, stat_id in enumerate(audience.stats or []):
            if stat_id not in stat_ids:
                yield _unknown("figure", stat_id, stat_ids,
                               ("audiences", index, "stats", stat_index), document)
        for chart_index, chart_id in enumerate(audience.charts or []):
            if chart_id not in chart_ids:
                yield _unknown("chart", chart_id, chart_ids,
                               ("audiences", index, "charts", chart_index), document)
    yield from _chart_references(spec, source_ids, stat_ids, document)
    for base, quotes in quote_lists(spec):
        for index, quote in enumerate(quotes):
            if quote.source is not None and quote.source not in source_ids:
                yield _unknown("source", quote.source, source_ids, (*base, index, "source"),
                               document)
    for base, asks in ask_lists(spec):
        for index, ask in enumerate(asks):
            amount = ask.amount
            if amount is not None and amount.stat is not None and amount.stat not in stat_ids:
                yield _unknown("figure", amount.stat, stat_ids, (*base, index, "amount", "stat"),
                               document)
            if amount is not None and amount.source is not None and \
                    amount.source not in source_ids:
                yield _unknown("source", amount.source, source_ids,
                               (*base, index, "amount", "source"), document)
    figure_ids = [*stat_ids, *chart_ids]
    for path, text in text_fields(spec):
        if "[" in text:
            yield from _text_references(text, path, figure_ids, source_ids, document)
    if spec.brief.event.end is not None and spec.brief.event.end < spec.brief.event.start:
        path = ("brief", "event", "end")
        yield Problem(document.locate(path), document.describe(path),
                      "the event ends before it starts", "check the start and end dates",
                      rule="event-dates")


def _chart_references(spec: BriefSpec, source_ids: list[str], stat_ids: list[str],
                      document: YamlDocument) -> Iterator[Problem]:
    """Each series names sources and stats that exist, and has one value per category."""
    for index, chart in enumerate(spec.charts):
        for number, series in enumerate(chart.series):
            path: FieldPath = ("charts", index, "series", number)
            if series.source is not None and series.source not in source_ids:
                yield _unknown("source", series.source, source_ids, (*path, "source"), document)
            for point_index, point in enumerate(series.points or []):
                if point.source is not None and point.source not in source_ids:
                    yield _unknown("source", point.source, source_ids,
                                   (*path, "points", point_index, "source"), document)
            for stat_index, stat_id in enumerate(series.stats or []):
                if stat_id not in stat_ids:
                    yield _unknown("figure", stat_id, stat_ids,
                                   (*path, "stats", stat_index), document)
            kind = next(name for name in ("values", "points", "stats")
                        if getattr(series, name) is not None)
            count = len(getattr(series, kind))
            if count != len(chart.categories):
                where: FieldPath = (*path, kind)
                yield Problem(document.locate(where), document.describe(where),
                              f"{count} value{'s' if count != 1 else ''} for "
                              f"{len(chart.categories)} categor"
                              f"{'ies' if len(chart.categories) != 1 else 'y'}",
                              "give one value per category, in the categories' order",
                              rule="invalid-value")
        if len(chart.series) > 1:
            for number, series in enumerate(chart.series):
                if series.name is None:
                    where = ("charts", index, "series", number)
                    yield Problem(document.locate(where), document.describe(where),
                                  "a chart with several series needs a name for each, for "
                                  "its legend", "add name: under this series",
                                  rule="missing-field")


def quote_lists(spec: BriefSpec) -> list[tuple[FieldPath, list[Quote]]]:
    """The brief's quotes and each audience's own, with the path of each list."""
    lists: list[tuple[FieldPath, list[Quote]]] = [(("quotes",), spec.quotes)]
    lists += [(("audiences", index, "quotes"), audience.quotes)
              for index, audience in enumerate(spec.audiences) if audience.quotes]
    return lists


def ask_lists(spec: BriefSpec) -> list[tuple[FieldPath, list[Ask]]]:
    """The brief's asks and each audience's own, with the path of each list."""
    lists: list[tuple[FieldPath, list[Ask]]] = [(("asks",), spec.asks)]
    lists += [(("audiences", index, "asks"), audience.asks)
              for index, audience in enumerate(spec.audiences) if audience.asks]
    return lists


def _text_references(text: str, path: FieldPath, stat_ids: list[str], source_ids: list[str],
                     document: YamlDocument) -> Iterator[Problem]:
    """Citations naming nothing, mistyped citations and unsafe links in one text field, each
    located where it was typed."""
    suspect = any(
        (isinstance(node, Cite) and node.stat_id not in stat_ids)
        or (isinstance(node, SourceCite) and node.source_id not in source_ids)
        or (isinstance(node, Link) and not node.url.startswith(ALLOWED_LINK_SCHEMES))
        for node in walk(parse_inline(text)))
    normalized = normalize_space(text)
    mistyped = list(_mistyped_citations(normalized, stat_ids, source_ids))
    if not suspect and not mistyped:
        return
    field = document.describe(path)
    for position, node in locate_markup(text):
        if isinstance(node, Cite) and node.stat_id not in stat_ids:
            typed = f"[@{'+' if node.with_prefix else ''}{node.stat_id}]"
            yield _unknown("figure", node.stat_id, stat_ids, path, document,
                           hint="cite a figure as [@id] with the id of an entry in stats",
                           where=document.locate_inside(path, position, typed))
        elif isinstance(node, SourceCite) and node.source_id not in source_ids:
            yield _unknown("source", node.source_id, source_ids, path, document,
                           hint="cite a source as [^id] with the id of an entry in sources",
                           where=document.locate_inside(path, position, f"[^{node.source_id}]"))
        elif isinstance(node, Link) and not node.url.startswith(ALLOWED_LINK_SCHEMES):
            yield Problem(document.locate_inside(path, position, "["), field,
                          f"link address {node.url!r} is not allowed",
                          "links must start with https://, http:// or mailto:",
                          rule="unsafe-link")
    for offset, fragment, message, hint, rule in mistyped:
        where = document.locate_inside(path, count_nonspace(normalized[:offset]), fragment)
        yield Problem(where, field, message, hint, rule=rule)


# Fields holding addresses, ids or codes: never read as inline markup.
_LITERAL_FIELDS = {"id", "source", "url", "email", "phone", "website", "logo", "language", "page",
                   "template", "include", "format", "qualifier", "prefix", "unit", "suffix",
                   "stat", "currency", "sources_url"}


# What a citation looks like when mistyped: `[@id`, `@[id]`, `[ @id]`, `[@ id]`, `[@]`,
# and the same with `^` for sources. Valid citations also match and are passed over.
_NEAR_CITATION = re.compile(r"[@^]?\[\s*[@^]\s*\+?\s*[^\]\s\[]*\]?|[@^]\[[^\]\s\[]*\]?")
_VALID_CITATION = re.compile(rf"\[@\+?{ID_PATTERN}\]|\[\^{ID_PATTERN}\]")


def _mistyped_citations(text: str, stat_ids: list[str], source_ids: list[str]
                        ) -> Iterator[tuple[int, str, str, str, str]]:
    """Text meant to cite a figure or a source that would print as typed, as
    (offset, fragment, message, hint, rule): `[@id`, `@[id]`, `[ @id]`, `[^ id]`, `^[id]`,
    or a bare `[id]` naming a figure or a source. Escaped brackets (`\\[`) are meant."""
    found: list[tuple[int, str]] = []
    for match in _NEAR_CITATION.finditer(text):
        fragment = match.group()
        if _VALID_CITATION.fullmatch(fragment) or _escaped(text, match.start()):
            continue
        found.append((match.start(), fragment))
    for known in (*stat_ids, *source_ids):
        for match in re.finditer(rf"\[{re.escape(known)}\](?!\()", text):
            before = text[match.start() - 1] if match.start() else ""
            if before not in {"@", "^"} and not _escaped(text, match.start()):
                found.append((match.start(), match.group()))
    for offset, fragment in sorted(found):
        identifier = re.sub(r"[\[\]@^+\s]", "", fragment)
        is_source = "^" in fragment or (identifier in source_ids and identifier not in stat_ids)
        if is_source:
            hint = (f"write [^{identifier}] to cite the source" if identifier in source_ids
                    else "cite a source as [^id] with the id of an entry in sources")
            yield (offset, fragment, f"{fragment!r} looks like a source citation but is not "
                   "one; it would be printed as typed", hint, "unknown-source")
        else:
            hint = (f"write [@{identifier}] to cite the figure" if identifier in stat_ids
                    else "cite a figure as [@id] with the id of an entry in stats")
            yield (offset, fragment, f"{fragment!r} looks like a figure citation but is not "
                   "one; it would be printed as typed", hint, "unknown-figure")


def _escaped(text: str, index: int) -> bool:
    """Whether the character at `index` follows an odd number of backslashes."""
    return (index - len(text[:index].rstrip("\\"))) % 2 == 1


def text_fields(spec: BriefSpec) -> list[tuple[FieldPath, str]]:
    """Every text field read as inline markup, with its path in the spec (each language).

    Walks the whole spec, so a field added to the models is covered without being listed.
    Several checks ask in turn about the same spec: the last spec's fields are kept.
    """
    global _last_text_fields
    walked, fields = _last_text_fields
    if walked is not spec:
        fields = list(_walk_text(spec, ()))
        _last_text_fields = (spec, fields)
    return fields


_last_text_fields: tuple[BriefSpec | None, list[tuple[FieldPath, str]]] = (None, [])


def _walk_text(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            key = field.alias or name
            if key not in _LITERAL_FIELDS:
                yield from _walk_text(getattr(value, name), (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk_text(item, (*path, index))
    elif isinstance(value, dict):
        for language, text in value.items():
            if isinstance(text, str):
                yield (*path, language), text
    elif isinstance(value, str):
        yield path, value


def _duplicates(kinds: str | tuple[str, ...], ids: list[str], document: YamlDocument
                ) -> Iterator[Problem]:
    """Ids used twice; `ids` may run over several lists (`kinds`, in order) sharing ids."""
    lists = (kinds,) if isinstance(kinds, str) else kinds
    owners: list[tuple[str, int]] = []  # the list and position of each id
    for kind in lists:
        owners += [(kind, position) for position in range(len(document.data.get(kind) or []))]
    if len(owners) != len(ids):  # pragma: no cover - the spec comes from this document
        owners = [(lists[0], position) for position in range(len(ids))]
    first: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in first:
            path: FieldPath = (*owners[index], "id")
            earlier = document.locate((*owners[first[item_id]], "id"))
            here = document.locate(path)
            place = (f"line {earlier.line}" if earlier.file == here.file
                     else f"{earlier}")
            yield Problem(here, document.describe(path),
                          f"duplicate id {item_id!r} (also defined at {place})",
                          "give each entry its own id", rule="duplicate-id")
        else:
            first[item_id] = index


def _unknown(kind: str, value: str, known: list[str], path: FieldPath, document: YamlDocument,
             hint: str = "", where: Location | None = None) -> Problem:
    plural = {"source": "sources", "chart": "charts"}.get(kind, "stats")
    # A near-miss source suggestion could put a figure under the wrong source; only an
    # obvious typo is suggested.
    cutoff = 0.85 if kind == "source" else 0.75
    suggestion = difflib.get_close_matches(value, known, n=1, cutoff=cutoff)
    known_text = ", ".join(known) if known else "none"
    message = f"no {kind} with id {value!r} in {plural} (known: {known_text})"
    if suggestion and kind == "source":
        hint = f"did you mean {suggestion[0]!r}? (check that it is the same source)"
    elif suggestion:
        hint = f"did you mean {suggestion[0]!r}?"
    elif not hint:
        hint = f"add an entry with id: {value} to {plural}, or correct the id"
    return Problem(where or document.locate(path), document.describe(path), message, hint,
                   rule="unknown-source" if kind == "source" else "unknown-figure")


def problems_from_validation_error(error: ValidationError, document: YamlDocument,
                                   root: type[BaseModel]) -> list[Problem]:
    """Located, friendly problems for every error pydantic found, in file order."""
    items = _without_union_branches(error.errors(), document.data)
    missing: dict[FieldPath, list[str]] = {}
    for item in items:
        if item["type"] == "missing":
            missing.setdefault(tuple(item["loc"][:-1]), []).append(str(item["loc"][-1]))
    return _sorted_unique([_problem_from_pydantic(item, document, root, missing)
                           for item in items])


def _without_union_branches(items: list[Any], data: Any) -> list[Any]:
    """Errors of text fields that take a string or a per-language mapping, made plain.

    pydantic reports a failed `str | dict` field once per branch, with the branch name in the
    location. Keep the branch that matches what the user wrote and drop the branch name.
    """
    cleaned = []
    for item in items:
        loc = list(item["loc"])
        branch_at = next((index for index, part in enumerate(loc) if isinstance(part, str)
                          and (part.startswith("constrained-str") or part.startswith("dict["))),
                         None)
        if branch_at is not None:
            written = value_at(data, loc[:branch_at])
            wanted = "dict[" if isinstance(written, dict) else "constrained-str"
            if not str(loc[branch_at]).startswith(wanted):
                continue
            del loc[branch_at]
        if loc and loc[-1] == "[key]":
            loc.pop()
            item = {**item, "type": "language_key"}
        cleaned.append({**item, "loc": tuple(loc)})
    return cleaned


def _problem_from_pydantic(item: Any, document: YamlDocument, root: type[BaseModel],
                           missing: dict[FieldPath, list[str]]) -> Problem:
    loc: FieldPath = tuple(item["loc"])
    kind = item["type"]
    field = document.describe(loc)
    context = item.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(root, loc[:-1])
        # A misspelt key usually also leaves a required key missing: suggest that one first.
        suggestion = (difflib.get_close_matches(key, missing.get(loc[:-1], []), n=1, cutoff=0.3)
                      or difflib.get_close_matches(key, allowed, n=1, cutoff=0.6))
        hint = (f"did you mean {suggestion[0]!r}?" if suggestion
                else f"allowed here: {', '.join(allowed)}")
        return Problem(document.locate(loc, key=True), field, f"unknown key {key!r}", hint,
                       rule="unknown-key")
    if kind == "language_key":
        return Problem(document.locate(loc, key=True), field,
                       f"{loc[-1]!r} is not a language tag",
                       "write text per language as  en: ...  fr: ...", rule="invalid-value")
    if kind == "missing":
        parent = document.describe(loc[:-1]) or "the top level"
        return Problem(document.locate(loc[:-1], key=True), field, "required field is missing",
                       f"add {loc[-1]}: under {parent}", rule="missing-field")
    location = document.locate(loc)
    if kind == "string_type" and item.get("input") is None:
        return Problem(location, field, "is empty", "write the text after the colon",
                       rule="invalid-value")
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id" and isinstance(
            item.get("input"), str):
        slug = re.sub(r"[^a-z0-9]+", "-", item["input"].lower()).strip("-")
        if slug:
            return Problem(location, field, "has the wrong form",
                           f"use lower-case letters, digits and hyphens, e.g. {slug}",
                           rule="invalid-value")
    messages = {
        "string_type": ("expected text", "write the value as text"),
        "string_too_short": ("must not be empty", "write some text here"),
        "date_from_datetime_inexact": ("has a time of day", "write only the date, YYYY-MM-DD"),
        "string_too_long": (f"too long (at most {context.get('max_length')} characters)",
                            "shorten it: a one-pager has no room for long fields"),
        "string_pattern_mismatch": ("has the wrong form", _pattern_hint(loc)),
        "float_parsing": ("expected a number", "write digits only, e.g. 1500000 or 13.4"),
        "float_type": ("expected a number", "write digits only, e.g. 1500000 or 13.4"),
        "int_parsing": ("expected a whole number", ""),
        "bool_parsing": ("expected true or false", ""),
        "bool_type": ("expected true or false", ""),
        "date_from_datetime_parsing": (
            "expected a real date",
            "write it as YYYY-MM-DD, e.g. 2025-04-09 (and check the day exists)"),
        "date_parsing": ("expected a date", "write it as YYYY-MM-DD, e.g. 2025-04-09"),
        "date_type": ("expected a date", "write it as YYYY-MM-DD, e.g. 2025-04-09"),
        "literal_error": (f"expected one of {context.get('expected', '')}", ""),
        "too_short": (f"needs at least {context.get('min_length')} item(s)", ""),
        "too_long": (f"has too many items (at most {context.get('max_length')})",
                     "a one-pager has room for only a few"),
        "list_type": ("expected a list", "start each item on its own line with '- '"),
        "model_type": ("expected a group of keys", "indent the keys that belong here"),
        "model_attributes_type": ("expected a group of keys", "indent the keys that belong here"),
        "dict_type": ("expected a group of keys", "indent the keys that belong here"),
        "greater_than_equal": (f"must be at least {_number(context.get('ge'))}", ""),
        "less_than_equal": (f"must be at most {_number(context.get('le'))}", ""),
        "finite_number": ("must be a finite number", "write digits, e.g. 1500000"),
    }
    if kind == "value_error":
        return Problem(location, field, str(context.get("error", item["msg"])), "",
                       rule="invalid-value")
    message, hint = messages.get(kind, (item["msg"], ""))
    return Problem(location, field, message, hint, rule="invalid-value")


def _number(value: Any) -> str:
    return f"{value:,.0f}" if isinstance(value, float) and value.is_integer() else str(value)


def _pattern_hint(loc: FieldPath) -> str:
    last = str(loc[-1]) if loc else ""
    if last in {"id", "source", "template", "stat"}:
        return "use lower-case letters, digits and hyphens, e.g. masg-2025"
    if last == "currency":
        return "write the currency's three-letter code in capitals, e.g. EUR, USD, CHF"
    if last in {"url", "website", "sources_url"}:
        return "write a full address starting with https://"
    if last == "email":
        return "write one address such as name@example.org"
    if last == "language":
        return "write a language tag such as en, en-GB, fr"
    if last == "phone":
        return "digits, spaces, + ( ) - only"
    return ""


def _allowed_keys(root: type[BaseModel], loc: FieldPath) -> list[str]:
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None:
            break
        if isinstance(part, int) or (part not in model.model_fields and not any(
                f.alias == part for f in model.model_fields.values())):
            continue
        field = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None)
        model = _model_of(field.annotation) if field else None
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()) or ():
        found = _model_of(argument)
        if found:
            return found
    metadata_origin = getattr(annotation, "__origin__", None)
    if metadata_origin is not None:
        return _model_of(metadata_origin)
    return None


def _raw_reference_problems(document: YamlDocument) -> list[Problem]:
    """Stat -> source references checked on the raw data, for specs the schema rejected."""
    data = document.data
    stats = data.get("stats") if isinstance(data.get("stats"), list) else []
    sources = data.get("sources") if isinstance(data.get("sources"), list) else []
    source_ids = [item.get("id") for item in sources if isinstance(item, dict)]
    if not all(isinstance(source_id, str) for source_id in source_ids):
        return []
    problems = []
    for index, stat in enumerate(stats):
        source = stat.get("source") if isinstance(stat, dict) else None
        if isinstance(source, str) and source not in source_ids:
            problems.append(_unknown("source", source, source_ids,  # type: ignore[arg-type]
                                     ("stats", index, "source"), document))
    return problems


def _sorted_unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for problem in problems:
        key = str(problem)
        if key not in seen:
            seen.add(key)
            unique.append(problem)

    def order(problem: Problem) -> tuple[int, int]:
        location = problem.location
        return (getattr(location, "line", 0), getattr(location, "column", 0))

    return sorted(unique, key=order)
