"""Resolve a `BriefSpec` for one audience into a `BriefView`: what the template can place.

Resolving applies the audience's overrides, picks the template's labels for the language and
formats numbers and dates for the locale. User text stays parsed inline markup (`UserText`),
tagged with the spec field it came from so later stages can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.errors import Problem, SpecError
from briefgen.inline import Cite, Inline, Text, parse_inline, plain_text
from briefgen.locale_format import (
    NO_BREAK_SPACE,
    babel_locale,
    format_date_range,
    format_long_date,
    format_number,
)
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path
from briefgen.spec.models import Audience, BriefSpec
from briefgen.template import Template


@dataclass(frozen=True, eq=False)
class UserText:
    """Text from the spec, parsed once; the layout sees it only as an opaque reference."""

    index: int
    origin: FieldPath
    nodes: tuple[Inline, ...]
    language: str

    def __html__(self) -> str:
        # Jinja's autoescape asks for this: the layout receives a reference, never the text.
        return f'<field ref="{self.index}"/>'

    def __str__(self) -> str:
        return plain_text(self.nodes)

    def __bool__(self) -> bool:
        return bool(self.nodes)


@dataclass(frozen=True)
class StatView:
    id: str
    value: str  # as a callout shows it: qualifier, unit, number and suffix
    label: UserText
    source: str
    qualifier: str = ""  # "~", ">", "up to": set small beside the figure
    figure: str = ""  # the value without its qualifier
    source_line: str = ""  # who says so and when, under the callout: "ANAMA, November 2023"


@dataclass
class BriefView:
    """Everything the layout may use, already resolved for one audience and language."""

    language: str
    page: str
    labels: dict[str, str]
    context: dict[str, Any]
    texts: list[UserText] = field(default_factory=list)
    # id -> (value as a sentence cites it: unit, number and suffix; source id)
    stat_values: dict[str, tuple[str, str]] = field(default_factory=dict)
    stat_prefixes: dict[str, str] = field(default_factory=dict)  # id -> prefix, when given
    affixes: list[tuple[FieldPath, str]] = field(default_factory=list)  # prefixes, units, suffixes
    pictures: dict[str, Any] = field(default_factory=dict)  # name -> assets.Picture
    audience_id: str | None = None
    title: str = ""
    author: str = ""
    subject: str = ""
    date_iso: str = ""

    def cited_value(self, cite: Cite) -> str:
        """A figure as a sentence shows it: without its prefix, unless cited as `[@+id]`."""
        value = self.stat_values[cite.stat_id][0]
        return self.stat_prefixes.get(cite.stat_id, "") + value if cite.with_prefix else value


def resolve_brief(spec: BriefSpec, template: Template, document: YamlDocument,
                  audience_index: int | None = None) -> BriefView:
    """The view of `spec` for the audience at `audience_index` (None: the generic brief)."""
    audience: Audience | None = (spec.audiences[audience_index] if audience_index is not None
                                 else None)
    audience_path: FieldPath = (("audiences", audience_index) if audience_index is not None
                                else ())
    header = spec.brief
    language = (audience.language if audience and audience.language else header.language)
    page = (audience.page if audience and audience.page else header.page)
    labels = _labels(template, language)
    view = BriefView(language=language, page=page, labels=labels, context={})
    missing: list[Problem] = []

    def text(value: str | dict[str, str] | None, origin: FieldPath,
             text_language: str | None = None, *, literal: bool = False) -> UserText | None:
        """User text as the layout sees it; `literal` text (addresses) is never parsed."""
        if value is None:
            return None
        if isinstance(value, dict):
            chosen = pick_language(value, language)
            if chosen is None:
                missing.append(Problem(
                    document.locate(origin), document.describe(origin),
                    f"no text in {language!r} for this version (given: {', '.join(value)})",
                    f"add  {language}: ...  under {format_field_path(origin)}",
                    rule="missing-translation"))
                return None
            value, origin = value[chosen], (*origin, chosen)
        nodes = (Text(value),) if literal else parse_inline(value)
        user_text = UserText(len(view.texts), origin, nodes, text_language or language)
        view.texts.append(user_text)
        return user_text

    sender = audience.from_ if audience and audience.from_ else header.from_
    sender_path: FieldPath = ((*audience_path, "from") if audience and audience.from_
                              else ("brief", "from"))
    summary_path: FieldPath = ((*audience_path, "summary") if audience and audience.summary
                               else ("summary",))
    asks = audience.asks if audience and audience.asks else spec.asks
    asks_path: FieldPath = (*audience_path, "asks") if audience and audience.asks else ("asks",)
    # An audience's own quotes and sections replace the brief's; `[]` means none at all.
    quotes, quotes_path = ((audience.quotes, (*audience_path, "quotes"))
                           if audience and audience.quotes is not None
                           else (spec.quotes, ("quotes",)))
    sections, sections_path = ((audience.sections, (*audience_path, "sections"))
                               if audience and audience.sections is not None
                               else (spec.sections, ("sections",)))

    for index, stat in enumerate(spec.stats):
        value = format_number(stat.value, stat.format, language, stat.decimals)
        prefix = _affix(stat.prefix, language, qualifier=True)
        unit, suffix = _affix(stat.unit, language), _affix(stat.suffix, language)
        view.affixes += [(("stats", index, name), text) for name, text in
                         (("prefix", prefix), ("unit", unit), ("suffix", suffix)) if text]
        view.stat_values[stat.id] = (f"{unit}{value}{suffix}", stat.source)
        if prefix:
            view.stat_prefixes[stat.id] = prefix
    stat_index = {stat.id: index for index, stat in enumerate(spec.stats)}
    featured = (audience.stats if audience and audience.stats
                else [stat.id for stat in spec.stats if stat.featured])
    sources = {source.id: source for source in spec.sources}
    stats = [
        StatView(stat_id, view.cited_value(Cite(stat_id, with_prefix=True)),
                 text(spec.stats[stat_index[stat_id]].label,  # type: ignore[arg-type]
                      ("stats", stat_index[stat_id], "label")),
                 spec.stats[stat_index[stat_id]].source,
                 qualifier=view.stat_prefixes.get(stat_id, ""),
                 figure=view.stat_values[stat_id][0],
                 source_line=_source_line(sources.get(spec.stats[stat_index[stat_id]].source),
                                          language))
        for stat_id in featured
    ]
    event = header.event
    view.context = {
        "brief": {
            "id": header.id,
            "title": text(header.title, ("brief", "title")),
            "headline": None,
            "deck": None,
            "subtitle": text(header.subtitle, ("brief", "subtitle")),
            "date": format_long_date(header.date, language),
            "language": language,
        },
        "event": {
            "name": text(event.name, ("brief", "event", "name")),
            "place": text(event.place, ("brief", "event", "place")),
            "dates": format_date_range(event.start, event.end, language),
        },
        "sender": {
            name: text(display_url(getattr(sender, name)) if name == "website"
                       else getattr(sender, name), (*sender_path, name),
                       literal=name in {"email", "phone", "website"})
            for name in ("organization", "name", "role", "email", "phone", "website")
        } | {
            "email_href": f"mailto:{sender.email}" if sender.email else None,
            "website_href": sender.website,
        },
        "audience": None if audience is None else {
            "id": audience.id,
            "name": text(audience.name, (*audience_path, "name")),
            "intro": text(audience.intro, (*audience_path, "intro")),
        },
        "summary": text(audience.summary if audience and audience.summary else spec.summary,
                        summary_path),
        "asks": [
            {"headline": text(ask.headline, (*asks_path, index, "headline")),
             "detail": text(ask.detail, (*asks_path, index, "detail"))}
            for index, ask in enumerate(asks)
        ],
        "stats": stats,
        "quotes": [
            {"text": text(quote.text, (*quotes_path, index, "text"), quote.language or language),
             # A name needs no translation: another script's spelling is used where given.
             "speaker": text(quote.speaker if isinstance(quote.speaker, str) or pick_language(
                 quote.speaker, language) else next(iter(quote.speaker.values())),
                 (*quotes_path, index, "speaker")),
             "role": text(quote.role, (*quotes_path, index, "role")),
             "source": quote.source,
             "language": quote.language or language,
             "translation": _translation(quote, language, (*quotes_path, index), text)}
            for index, quote in enumerate(quotes)
        ],
        "sections": [
            {"heading": text(section.heading, (*sections_path, index, "heading")),
             "body": text(section.body, (*sections_path, index, "body"))}
            for index, section in enumerate(sections)
        ],
        "labels": labels,
    }
    view.context["sources"] = {
        source.id: {
            "title": text(source.title, ("sources", index, "title")),
            "publisher": text(source.publisher, ("sources", index, "publisher")),
            "author": text(source.author, ("sources", index, "author")),
            "date": format_long_date(source.date, language) if source.date else None,
            "url": text(display_url(source.url), ("sources", index, "url"), literal=True),
            "href": source.url,
        }
        for index, source in enumerate(spec.sources)
    }
    if sender.logo:
        from briefgen.assets import load_picture

        logo_path = (*sender_path, "logo")
        view.pictures["logo"] = load_picture(sender.logo, document.path,
                                             document.locate(logo_path),
                                             format_field_path(logo_path))
    view.context["sender"]["logo"] = "logo" in view.pictures
    view.context["sender"]["organization_text"] = sender.organization
    if missing:
        raise SpecError(missing)
    view.audience_id = audience.id if audience else None
    title = view.context["brief"]["title"]
    view.context["brief"]["headline"], view.context["brief"]["deck"] = _split_title(title, view)
    view.title = str(title)
    view.author = sender.organization
    event_name, event_place = view.context["event"]["name"], view.context["event"]["place"]
    view.subject = (f"{event_name}, {event_place}, "
                    f"{format_date_range(event.start, event.end, language)}")
    if audience:
        view.subject += f" \u2013 {audience.name}"
    view.date_iso = header.date.isoformat()
    return view


_DECK_BREAK = re.compile(r"\s*;\s*")


def _split_title(title: UserText, view: BriefView) -> tuple[UserText, UserText | None]:
    """The headline and the deck: a title written as two clauses joined by a semicolon is set
    as a short headline and a smaller line under it, which a reader takes in at a glance."""
    nodes = title.nodes
    for index, node in enumerate(nodes):
        if not isinstance(node, Text):
            continue
        found = _DECK_BREAK.search(node.text)
        if found is None:
            continue
        rest = node.text[found.end():]
        if not rest.strip():
            break
        head = (*nodes[:index], Text(node.text[:found.start()]))
        deck = (Text(rest[:1].upper() + rest[1:]), *nodes[index + 1:])
        headline = UserText(len(view.texts), title.origin, head, title.language)
        view.texts.append(headline)
        second = UserText(len(view.texts), title.origin, deck, title.language)
        view.texts.append(second)
        return headline, second
    return title, None


def _source_line(source: Any, language: str) -> str:
    """How a key figure names its source: who (the short name if given) and when."""
    if source is None:
        return ""
    who = getattr(source, "short", None) or source.publisher
    if isinstance(who, dict):
        chosen = pick_language(who, language)
        who = who[chosen] if chosen else next(iter(who.values()))
    if source.date is None:
        return str(who)
    from babel.dates import format_skeleton

    when = format_skeleton("yMMMM", source.date, locale=babel_locale(language))
    return f"{who}, {when.replace(' ', NO_BREAK_SPACE)}"  # "January 2025" stays on one line


def _labels(template: Template, language: str) -> dict[str, str]:
    """The template's labels for the language; English when the template lacks it (the
    `language` rule in `checks` warns about that)."""
    catalogue = template.design.labels
    chosen = pick_language(catalogue, language) or "en"
    return dict(catalogue[chosen])


def _affix(value: str | dict[str, str] | None, language: str, *, qualifier: bool = False
           ) -> str:
    """A stat's prefix, unit or suffix for the language (none when not given for it).

    A figure never wraps inside itself, unit included. A qualifier ("more than ") keeps its
    own words together but may end a line before the number, so a long one still fits a
    narrow callout.
    """
    if isinstance(value, dict):
        chosen = pick_language(value, language)
        value = value[chosen] if chosen else ""
    text = value or ""
    if qualifier and text.endswith(" "):
        return text.rstrip(" ").replace(" ", NO_BREAK_SPACE) + " "
    return text.replace(" ", NO_BREAK_SPACE)


def pick_language(texts: Mapping[str, object], language: str) -> str | None:
    """The key of `texts` for `language`: exact (`fr-CH`), else its base language (`fr`)."""
    for candidate in (language, language.split("-")[0]):
        if candidate in texts:
            return candidate
    base = language.split("-")[0]
    return next((key for key in texts if key.split("-")[0] == base), None)


def _translation(quote: Any, language: str, path: FieldPath, text: Any) -> UserText | None:
    """A quote's translation, shown only when the page is in another language."""
    spoken = quote.language or language
    if quote.translation is None or spoken.split("-")[0] == language.split("-")[0]:
        return None
    if isinstance(quote.translation, dict) and pick_language(quote.translation, language) is None:
        return None  # no translation for this page's language: the words stand alone
    return text(quote.translation, (*path, "translation"))  # type: ignore[no-any-return]


DISPLAY_URL_LENGTH = 48


def display_url(url: str | None) -> str | None:
    """An address as printed: without `https://` and `www.`, which readers do not need, and
    cut after a slash with "…" when long (a one-pager has no room for 120-character
    addresses; the title and date find the page, and the link keeps the full address)."""
    if url is None:
        return None
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix):]
            break
    url = url.removeprefix("www.").rstrip("/")
    if len(url) <= DISPLAY_URL_LENGTH:
        return url
    cut = url.rfind("/", 0, DISPLAY_URL_LENGTH)
    return (url[:cut + 1] if cut > 0 else url[:DISPLAY_URL_LENGTH]) + "\u2026"
