"""One version of a brief: the brief as one audience receives it, or the brief's own.

An audience's value replaces the brief's where the audience gives one; a value it leaves out
(or gives as an empty mapping, `summary: {}`) is the brief's. For the lists an audience may
empty (quotes, sections, charts), `[]` means none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from briefgen.resolve.language import LocalText
from briefgen.spec.loader import FieldPath
from briefgen.spec.models import Ask, Audience, BriefSpec, Quote, Section, Sender

T = TypeVar("T")


class Written(NamedTuple, Generic[T]):
    """A value a version prints, and where the spec writes it (for messages)."""

    value: T
    path: FieldPath


@dataclass(frozen=True)
class Version:
    """The brief for the audience at `audience_index`; None: the brief's own version."""

    spec: BriefSpec
    audience_index: int | None = None

    @property
    def audience(self) -> Audience | None:
        return None if self.audience_index is None else self.spec.audiences[self.audience_index]

    @property
    def audience_id(self) -> str | None:
        audience = self.audience
        return audience.id if audience else None

    @property
    def path(self) -> FieldPath:
        """Where the audience's own values are written: `("audiences", 2)`; `()` for none."""
        return () if self.audience_index is None else ("audiences", self.audience_index)

    @property
    def language(self) -> str:
        audience = self.audience
        return audience.language if audience and audience.language else self.spec.brief.language

    @property
    def page(self) -> str:
        audience = self.audience
        return audience.page if audience and audience.page else self.spec.brief.page

    @property
    def sender(self) -> Written[Sender]:
        return self._chosen("from_", self.spec.brief.from_, ("brief", "from"))

    @property
    def summary(self) -> Written[LocalText]:
        return self._chosen("summary", self.spec.summary, ("summary",))

    @property
    def summary_ask(self) -> Written[LocalText | None]:
        return self._chosen("summary_ask", self.spec.summary_ask, ("summary_ask",))

    @property
    def intro(self) -> Written[LocalText | None]:
        """The audience's own line; the brief's version has none."""
        audience = self.audience
        return Written(audience.intro if audience else None, (*self.path, "intro"))

    @property
    def asks(self) -> Written[list[Ask]]:
        return self._chosen("asks", self.spec.asks, ("asks",))

    @property
    def quotes(self) -> Written[list[Quote]]:
        return self._chosen("quotes", self.spec.quotes, ("quotes",))

    @property
    def sections(self) -> Written[list[Section]]:
        return self._chosen("sections", self.spec.sections, ("sections",))

    @property
    def stat_ids(self) -> list[str]:
        """The figures shown as callouts, in order."""
        return self._chosen("stats", [stat.id for stat in self.spec.stats if stat.featured],
                            ()).value

    @property
    def chart_ids(self) -> list[str]:
        """The charts shown, in order."""
        return self._chosen("charts", [chart.id for chart in self.spec.charts
                                       if chart.featured], ()).value

    @property
    def hidden_chart_ids(self) -> set[str]:
        """The charts of the spec this version does not show (`[@id]` cannot cite them)."""
        return {chart.id for chart in self.spec.charts} - set(self.chart_ids)

    def _chosen(self, name: str, brief_value: T, brief_path: FieldPath) -> Written[T]:
        own = getattr(self.audience, name, None)
        if own is None or own == {}:
            return Written(brief_value, brief_path)
        return Written(own, (*self.path, name.rstrip("_")))


def numbered(items: Written[list[T]]) -> list[tuple[FieldPath, T]]:
    """Each item of a list a version prints, with its path: `(("quotes", 0), quote)`."""
    return [((*items.path, index), item) for index, item in enumerate(items.value)]


def versions(spec: BriefSpec) -> list[Version]:
    """Every version a build makes: one per audience, or the brief's own when it has none."""
    return [Version(spec, index) for index in range(len(spec.audiences))] or [Version(spec)]
