"""The spec's texts as one version reads them: in its language, parsed once, each tagged
with the field it came from so that later stages can point at it."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.errors import Problem
from briefgen.resolve.language import LocalText, pick_language
from briefgen.spec.inline import Cite, Inline, Text, locate_markup, parse_inline, plain_text
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path


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
class PrintedText:
    """A text of the spec that a version prints, as `resolve_brief` reads it: where it is
    written, its value as written (one text, or one per language), and whether it is printed
    as typed (`literal`: its markup is not read)."""

    origin: FieldPath
    value: LocalText
    literal: bool


class TextReader:
    """Reads the texts one version prints, in its `language`, numbering them in the order
    read (`texts`). A text the language lacks, or one citing a chart the version hides,
    is a problem in `missing`; `printed`, when given, receives every text read."""

    def __init__(self, document: YamlDocument, language: str, *,
                 printed: list[PrintedText] | None = None,
                 hidden_chart_ids: frozenset[str] = frozenset(),
                 audience_id: str | None = None) -> None:
        self.document = document
        self.language = language
        self.printed = printed
        self.hidden_chart_ids = hidden_chart_ids
        self.audience_id = audience_id
        self.texts: list[UserText] = []
        self.missing: list[Problem] = []

    def read(self, value: LocalText | None, origin: FieldPath, language: str | None = None,
             *, literal: bool = False) -> UserText | None:
        """User text as the layout sees it; `literal` text (addresses) is never parsed.
        `language` is the text's own, when it is not the version's (a quote's words)."""
        if value is None:
            return None
        if self.printed is not None:
            self.printed.append(PrintedText(origin, value, literal))
        if isinstance(value, dict):
            chosen = pick_language(value, self.language)
            if chosen is None:
                self.missing.append(self._missing_language(value, origin))
                return None
            value, origin = value[chosen], (*origin, chosen)
        if self.hidden_chart_ids and "[@" in value:
            self.missing += self._hidden_chart_citations(value, origin)
        return self.add(origin, (Text(value),) if literal else parse_inline(value), language)

    def add(self, origin: FieldPath, nodes: tuple[Inline, ...], language: str | None = None
            ) -> UserText:
        """A text the version prints made of `nodes` (a figure, words set into a label)."""
        text = UserText(len(self.texts), origin, nodes, language or self.language)
        self.texts.append(text)
        return text

    def _missing_language(self, value: dict[str, str], origin: FieldPath) -> Problem:
        return Problem(self.document.locate(origin), self.document.describe(origin),
                       f"no text in {self.language!r} for this version (given: "
                       f"{', '.join(value)})",
                       f"add  {self.language}: ...  under {format_field_path(origin)}",
                       rule="missing-translation")

    def _hidden_chart_citations(self, value: str, origin: FieldPath) -> list[Problem]:
        """`[@chart-id]` citations of charts this version does not show, located where typed."""
        document, audience_id = self.document, self.audience_id
        version = f"the version for {audience_id}" if audience_id else "this version"
        return [Problem(document.locate_inside(origin, position, f"[@{node.stat_id}]"),
                        document.describe(origin),
                        f"cites the chart {node.stat_id!r}, which {version} does not show",
                        _hidden_chart_hint(node.stat_id, origin, audience_id),
                        rule="unknown-figure")
                for position, node in locate_markup(value)
                if isinstance(node, Cite) and node.stat_id in self.hidden_chart_ids]


# The texts an audience can give its own version of.
_OWN_TEXTS = ("summary", "asks", "sections", "quotes")


def _hidden_chart_hint(chart_id: str, origin: FieldPath, audience_id: str | None) -> str:
    """A text the audiences share is printed on every version, so rewording it changes them
    all: an audience that hides the chart needs its own text."""
    own = origin[0] if origin and origin[0] in _OWN_TEXTS else ""
    if audience_id and own:
        return (f"list {chart_id} in the charts: of audience {audience_id}, or give that "
                f"audience its own {own}: without the citation (a shared text is printed on "
                "every version)")
    return "list the chart in this audience's charts:, or reword the sentence"
