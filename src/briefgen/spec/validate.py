"""Turn loaded YAML into a `BriefSpec`, reporting every problem at once with its location:
the schema's (worded by `schema_errors`), then the references between entries (ids, citations,
links) that the schema cannot see."""

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
    Inline,
    Link,
    SourceCite,
    count_nonspace,
    locate_markup,
    normalize_space,
    parse_inline,
    walk,
)
from briefgen.spec.loader import ID_PATTERN, FieldPath, YamlDocument
from briefgen.spec.models import Ask, BriefSpec, Quote
from briefgen.spec.schema_errors import problem_from_pydantic, without_union_branches


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
    known = {"source": [source.id for source in spec.sources],
             "figure": [stat.id for stat in spec.stats],
             "chart": [chart.id for chart in spec.charts]}
    yield from _duplicates("sources", known["source"], document)
    # Stats and charts share one set of ids: `[@id]` cites either.
    yield from _duplicates(("stats", "charts"), [*known["figure"], *known["chart"]], document)
    yield from _duplicates("audiences", [audience.id for audience in spec.audiences], document)
    for kind, value, path in _named_ids(spec):
        if value not in known[kind]:
            yield _unknown(kind, value, known[kind], path, document)
    yield from _chart_shape_problems(spec, document)
    figure_ids = [*known["figure"], *known["chart"]]
    for path, text in text_fields(spec):
        if "[" in text:
            yield from _text_references(text, path, figure_ids, known["source"], document)
    if spec.brief.event.end is not None and spec.brief.event.end < spec.brief.event.start:
        path = ("brief", "event", "end")
        yield Problem(document.locate(path), document.describe(path),
                      "the event ends before it starts", "check the start and end dates",
                      rule="event-dates")


def _named_ids(spec: BriefSpec) -> Iterator[tuple[str, str, FieldPath]]:
    """Every id the spec names outside its texts, as (kind, id, path): the source of each
    figure, quote, chart series and amount; the figures and charts of audiences and amounts."""
    for index, stat in enumerate(spec.stats):
        yield "source", stat.source, ("stats", index, "source")
    for index, audience in enumerate(spec.audiences):
        yield from _listed("figure", audience.stats, ("audiences", index, "stats"))
        yield from _listed("chart", audience.charts, ("audiences", index, "charts"))
    yield from _chart_ids(spec)
    for base, quotes in quote_lists(spec):
        for index, quote in enumerate(quotes):
            if quote.source is not None:
                yield "source", quote.source, (*base, index, "source")
    for base, asks in ask_lists(spec):
        for index, ask in enumerate(asks):
            if ask.amount is not None and ask.amount.stat is not None:
                yield "figure", ask.amount.stat, (*base, index, "amount", "stat")
            if ask.amount is not None and ask.amount.source is not None:
                yield "source", ask.amount.source, (*base, index, "amount", "source")


def _chart_ids(spec: BriefSpec) -> Iterator[tuple[str, str, FieldPath]]:
    """The sources and figures each chart series names, its points' sources too."""
    for index, chart in enumerate(spec.charts):
        for number, series in enumerate(chart.series):
            path: FieldPath = ("charts", index, "series", number)
            if series.source is not None:
                yield "source", series.source, (*path, "source")
            for point_index, point in enumerate(series.points or []):
                if point.source is not None:
                    yield "source", point.source, (*path, "points", point_index, "source")
            yield from _listed("figure", series.stats, (*path, "stats"))


def _listed(kind: str, ids: list[str] | None, path: FieldPath
            ) -> Iterator[tuple[str, str, FieldPath]]:
    for index, named in enumerate(ids or []):
        yield kind, named, (*path, index)


def _chart_shape_problems(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """Each series has one value per category, and each series of a chart with several has
    a name for its legend."""
    for index, chart in enumerate(spec.charts):
        categories = len(chart.categories)
        for number, series in enumerate(chart.series):
            path: FieldPath = ("charts", index, "series", number)
            kind = next(name for name in ("values", "points", "stats")
                        if getattr(series, name) is not None)
            count = len(getattr(series, kind))
            if count != categories:
                yield Problem(document.locate((*path, kind)), document.describe((*path, kind)),
                              f"{count} value{'s' if count != 1 else ''} for {categories} "
                              f"categor{'ies' if categories != 1 else 'y'}",
                              "give one value per category, in the categories' order",
                              rule="invalid-value")
            if len(chart.series) > 1 and series.name is None:
                yield Problem(document.locate(path), document.describe(path),
                              "a chart with several series needs a name for each, for its "
                              "legend", "add name: under this series", rule="missing-field")


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
    normalized = normalize_space(text)
    mistyped = list(_mistyped_citations(normalized, stat_ids, source_ids))
    if not mistyped and not any(_broken(node, stat_ids, source_ids)
                                for node in walk(parse_inline(text))):
        return
    for position, node in locate_markup(text):
        if _broken(node, stat_ids, source_ids):
            yield _markup_problem(node, position, path, stat_ids, source_ids, document)
    field = document.describe(path)
    for offset, fragment, message, hint, rule in mistyped:
        where = document.locate_inside(path, count_nonspace(normalized[:offset]), fragment)
        yield Problem(where, field, message, hint, rule=rule)


def _broken(node: Inline, stat_ids: list[str], source_ids: list[str]) -> bool:
    """A citation of a figure or source that does not exist, or a link that is not safe."""
    match node:
        case Cite():
            return node.stat_id not in stat_ids
        case SourceCite():
            return node.source_id not in source_ids
        case Link():
            return not node.url.startswith(ALLOWED_LINK_SCHEMES)
    return False


def _markup_problem(node: Cite | SourceCite | Link, position: int, path: FieldPath,
                    stat_ids: list[str], source_ids: list[str], document: YamlDocument
                    ) -> Problem:
    """What is wrong with a broken citation or link, located where it was typed."""
    match node:
        case Cite():
            typed = f"[@{'+' if node.with_prefix else ''}{node.stat_id}]"
            return _unknown("figure", node.stat_id, stat_ids, path, document,
                            hint="cite a figure as [@id] with the id of an entry in stats",
                            where=document.locate_inside(path, position, typed))
        case SourceCite():
            return _unknown("source", node.source_id, source_ids, path, document,
                            hint="cite a source as [^id] with the id of an entry in sources",
                            where=document.locate_inside(path, position,
                                                         f"[^{node.source_id}]"))
    return Problem(document.locate_inside(path, position, "["), document.describe(path),
                   f"link address {node.url!r} is not allowed",
                   "links must start with https://, http:// or mailto:", rule="unsafe-link")


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
    for offset, fragment in _near_citations(text, [*stat_ids, *source_ids]):
        identifier = re.sub(r"[\[\]@^+\s]", "", fragment)
        if "^" in fragment or (identifier in source_ids and identifier not in stat_ids):
            hint = (f"write [^{identifier}] to cite the source" if identifier in source_ids
                    else "cite a source as [^id] with the id of an entry in sources")
            yield (offset, fragment, f"{fragment!r} looks like a source citation but is not "
                   "one; it would be printed as typed", hint, "unknown-source")
        else:
            hint = (f"write [@{identifier}] to cite the figure" if identifier in stat_ids
                    else "cite a figure as [@id] with the id of an entry in stats")
            yield (offset, fragment, f"{fragment!r} looks like a figure citation but is not "
                   "one; it would be printed as typed", hint, "unknown-figure")


def _near_citations(text: str, ids: list[str]) -> list[tuple[int, str]]:
    """Where `text` nearly cites (a citation's shape, or a known id in bare brackets), in
    text order: (offset, what was typed)."""
    found = [(match.start(), match.group()) for match in _NEAR_CITATION.finditer(text)
             if not _VALID_CITATION.fullmatch(match.group())
             and not _escaped(text, match.start())]
    for known in ids:
        for match in re.finditer(rf"\[{re.escape(known)}\](?!\()", text):
            before = text[match.start() - 1] if match.start() else ""
            if before not in {"@", "^"} and not _escaped(text, match.start()):
                found.append((match.start(), match.group()))
    return sorted(found)


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
    match value:
        case BaseModel():
            for name, field in type(value).model_fields.items():
                key = field.alias or name
                if key not in _LITERAL_FIELDS:
                    yield from _walk_text(getattr(value, name), (*path, key))
        case list():
            for index, item in enumerate(value):
                yield from _walk_text(item, (*path, index))
        case dict():
            yield from (((*path, language), text) for language, text in value.items()
                        if isinstance(text, str))
        case str():
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
    items = without_union_branches(error.errors(), document.data)
    missing: dict[FieldPath, list[str]] = {}
    for item in items:
        if item["type"] == "missing":
            missing.setdefault(tuple(item["loc"][:-1]), []).append(str(item["loc"][-1]))
    return _sorted_unique([problem_from_pydantic(item, document, root, missing)
                           for item in items])


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
