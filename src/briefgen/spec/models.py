"""The brief specification as typed models: the contract between a YAML file and briefgen.

The same models validate specs and emit the JSON Schema that editors use for completion, so the
two cannot drift. Every model forbids unknown keys: `detial:` is a typo, not a new field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from briefgen.spec.loader import ID_PATTERN

Slug = Annotated[
    str,
    StringConstraints(pattern=rf"^{ID_PATTERN}$", max_length=60),
    Field(description="lower-case letters, digits and single hyphens, e.g. `masg-2025`"),
]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
def _canonical_language(tag: str) -> str:
    """`EN-gb` -> `en-GB`, `AZ` -> `az`: language tags are not case-sensitive (BCP 47)."""
    language, *subtags = tag.split("-")
    parts = [language.lower()]
    for subtag in subtags:
        parts.append(subtag.upper() if len(subtag) == 2 else
                     subtag.title() if len(subtag) == 4 else subtag.lower())
    return "-".join(parts)


LanguageTag = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"),
    AfterValidator(_canonical_language),
    Field(description="BCP 47 language tag, e.g. `en`, `en-GB`, `en-US`"),
]
Url = Annotated[
    str,
    StringConstraints(pattern=r"^(https?://|mailto:)[^\s<>\"]+$", max_length=500),
    Field(description="an https:, http: or mailto: address"),
]
PageSize = Literal["A4", "Letter"]
# Text shown on the page may be written once, or once per language:
#   summary: Plain text
#   summary: {en: English text, fr: Texte en français}
LocalShort = ShortText | dict[LanguageTag, ShortText]
# Spaces in a prefix or suffix are kept ("4.25 million" + " евро"), unlike elsewhere.
_AffixText = Annotated[str, StringConstraints(max_length=24, strip_whitespace=False)]
Affix = _AffixText | dict[LanguageTag, _AffixText]
LocalLong = LongText | dict[LanguageTag, LongText]
# What a figure's number says of the real value. briefgen prints it in each version's own
# words ("about 1.5 million", "environ 1,5 million", "около 1,5 млн", "təxminən 1,5 milyon");
# "fewer than" is for things counted, "less than" for amounts and shares (the same words in
# the other languages).
Qualifier = Literal["about", "nearly", "up to", "at least", "more than", "fewer than",
                    "less than"]


# One address, as mail software writes it: no display name, no list, no spaces.
EmailAddress = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$",
                      max_length=254),
    Field(description="one email address, e.g. `name@example.org`"),
]


def _plain_header_text(value: str) -> str:
    """Text that goes into an email header: one line, and no encoded-word tricks."""
    if any(char in value for char in "\r\n\x0b\x0c\x85\u2028\u2029"):
        raise ValueError("must be on one line (it goes into an email header)")
    if "=?" in value:
        raise ValueError("must not contain '=?' (it could smuggle an encoded email header)")
    return value


HeaderText = Annotated[str, StringConstraints(min_length=1, max_length=120),
                       AfterValidator(_plain_header_text)]


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Event(SpecModel):
    """The meeting the brief is written for."""

    name: LocalShort = Field(description="e.g. `MASG meeting alongside NDM-UN28`")
    place: LocalShort = Field(description="e.g. `Geneva`")
    start: dt.date = Field(description="first day, YYYY-MM-DD")
    end: dt.date | None = Field(None, description="last day, YYYY-MM-DD; omit for one day")


class Sender(SpecModel):
    """Who the brief is from: printed in the masthead and the contact block."""

    organization: HeaderText
    name: HeaderText | None = Field(None, description="contact person")
    role: LocalShort | None = Field(None, description="contact person's role")
    email: EmailAddress | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^[+0-9 ().\-/]{5,30}$")] | None = None
    website: Url | None = None
    logo: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        None, description="PNG or JPEG in the spec's folder, e.g. `logo.png`; shown in the "
        "masthead")
    logo_alt: LocalShort | None = Field(
        None, description="what the logo says, for readers who cannot see it (screen "
        "readers, the DOCX's alt text); default: the organisation's name")


class BriefHeader(SpecModel):
    """Identity of the brief: names the output files and fills the masthead."""

    id: Slug = Field(description="used in output file names, e.g. `masg-2025`")
    title: LocalShort = Field(description="the headline: the message, not the topic (8-14 words)")
    subtitle: LocalShort | None = Field(None, description="document type, e.g. `Briefing note`")
    keywords: LocalShort | None = Field(
        None, description="what a search should find the PDF and DOCX by, in their "
        "properties, e.g. `landmines; Azerbaijan; mine action funding` (Word and Windows show "
        "each part between semicolons as a tag); default: the headline, the event's name and "
        "its place")
    date: dt.date = Field(description="date of the brief, YYYY-MM-DD; also used in file names")
    version: Annotated[int, Field(ge=1, le=999)] | None = Field(
        None, description="the brief's version number, printed beside its date (\"Issued 24 "
        "March 2025 · version 3\")")
    sources_url: Url | None = Field(
        None, description="the full sources page or report online, printed in the footer as "
        "a short address and a QR code a phone can scan")
    language: LanguageTag = "en"
    page: PageSize = Field("A4", description="`A4` or `Letter`")
    template: Slug = Field("one-pager", description="template folder name")
    include: list[str] = Field(
        [], description="fact files (stats and sources) shared between briefs, relative to "
        "this spec's folder, e.g. `facts/azerbaijan.yaml`")
    stale_after_months: Annotated[int, Field(ge=1, le=240)] = Field(
        24, description="`briefgen check` warns about figures older than this before the event")
    event: Event
    from_: Sender = Field(alias="from")


# ISO 4217 code, e.g. `EUR`, `USD`, `CHF`: Babel writes each version's symbol or name for it
# ("€4.25 million", "4,25 millions d’euros", "4,25 млн евро").
CurrencyCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Z]{3}$"),
    Field(description="ISO 4217 currency code, e.g. `EUR`, `USD`, `CHF`")]


class AskAmount(SpecModel):
    """How much an ask is for, through whom and over what period: the line a delegate
    reports home, printed after the ask's sentence ("We ask €4.25 million · 2026–2028 · via
    the UNDP/ANAMA project").

    The amount is a figure: a stat cited by id (`stat:`, with its own format and source), or a
    number typed here (`value:` with `currency:`, `source:` where it comes from a document).
    An amount that is your own request, not a published figure, says so with `requested:
    true`: it is printed as what you ask ("We ask ..."). An amount with neither a source nor
    `requested: true` keeps the versions that print it a draft.
    """

    stat: Slug | None = Field(
        None, description="id of a figure in `stats` that is the amount (its value, format, "
        "unit and source are used)")
    value: float | None = Field(
        None, description="the amount itself, e.g. `4250000`", allow_inf_nan=False, ge=0,
        le=1e15)
    currency: CurrencyCode | None = None
    format: Literal["count", "compact"] | None = Field(
        None, description="`compact` €4.25 million, `count` €250,000 (default: compact from a "
        "million up)")
    decimals: Annotated[int, Field(ge=0, le=3)] | None = Field(
        None, description="digits after the decimal point; default: as needed, at most two "
        "(€4.25 million)")
    qualifier: Qualifier | None = Field(
        None, description="what the amount says of the real one, e.g. `at least`, `up to`")
    period: LocalShort | None = Field(None, description="when, e.g. `2026–2028`")
    channel: LocalShort | None = Field(
        None, description="through whom, e.g. `the UNDP/ANAMA project` (printed \"via the "
        "UNDP/ANAMA project\")")
    source: Slug | None = Field(
        None, description="id of an entry in `sources` the amount comes from (a typed "
        "`value`; a `stat` brings its own)")
    requested: bool = Field(
        False, description="the amount is your own request, not a published figure: printed "
        "as what you ask (\"We ask €8.5 million\")")

    @model_validator(mode="after")
    def _one_figure(self) -> AskAmount:
        if (self.stat is None) == (self.value is None):
            raise ValueError("give the amount as stat: (the id of a figure in stats) or as "
                             "value: with currency:, not both")
        if self.stat is not None:
            typed = [name for name in ("currency", "format", "decimals", "qualifier", "source")
                     if getattr(self, name) is not None]
            if typed:
                raise ValueError(f"{', '.join(typed)}: comes from the stat {self.stat!r}; "
                                 "give it there, or type the amount as value:")
        elif self.currency is None:
            raise ValueError("a typed amount needs its currency:, e.g. currency: EUR")
        return self


class Ask(SpecModel):
    """One concrete request: a bold lead-in and one sentence, and what it costs."""

    headline: LocalShort
    detail: LocalLong
    amount: AskAmount | None = Field(
        None, description="how much, when and through whom: printed after the ask in the "
        "accent colour")


class Stat(SpecModel):
    """A key figure shown as a callout; `source` must name an entry in `sources`."""

    id: Slug
    value: float = Field(description="the number itself, e.g. `1500000` or `13`",
                         allow_inf_nan=False, ge=-1e15, le=1e15)
    format: Literal["count", "percent", "compact", "plain"] = Field(
        "count", description="`count` 3,429, `percent` 13%, `compact` 1.5 million, `plain` "
        "2025 (no grouping, no rounding: years, resolution numbers)")
    decimals: Annotated[int, Field(ge=0, le=3)] | None = Field(
        None, description="digits after the decimal point; default: as needed, at most one")
    qualifier: Qualifier | None = Field(
        None, description="what the number says of the real value: `about`, `nearly`, `up "
        "to`, `at least`, `more than`, `fewer than` or `less than`; printed in each "
        "version's language in the callout (\"about 1.5 million\"); a sentence citing [@id] "
        "has its own words, [@+id] adds the qualifier")
    prefix: Affix | None = Field(
        None, description="your own words before the number where the callout shows the "
        "qualifier, per language, e.g. {ru: 'примерно '}: they replace the qualifier's words in "
        "that language (`~` and `>` are read as qualifier: about and more than)")
    unit: Affix | None = Field(
        None, description="a currency or unit written before the number wherever it is shown, "
        "e.g. `€`, `US$`; or one per language, e.g. {en: €, fr: ''}")
    suffix: Affix | None = Field(
        None, description="written after the number wherever it is shown, e.g. ` m²`, "
        "{fr: ' €', ru: ' евро'}")
    label: LocalShort = Field(description="what the number counts, in a few words")
    source: Slug = Field(description="id of an entry in `sources`")
    as_of: dt.date | None = Field(None, description="date the figure refers to")
    historical: bool = Field(
        False, description="a fact that does not go stale (a 2016 pledge, a war's dates): no "
        "stale-figure warning")
    featured: bool = Field(True, description="show as a callout (false: only citable in text)")


class Quote(SpecModel):
    """A testimony quote with its speaker."""

    text: LongText = Field(description="the words, verbatim, without quotation marks, in the "
                           "language they were spoken")
    speaker: LocalShort = Field(
        description="the speaker's name; or one per language where readers use another "
        "script, e.g. {en: Aytan Ismayilova, ru: Айтан Исмайылова} (a language not given "
        "shows the first)")
    role: LocalShort | None = None
    source: Slug | None = Field(None, description="id of an entry in `sources`")
    consent: bool = Field(False, description="the speaker agreed to be quoted")
    public: bool = Field(
        False, description="the words are on the public record (a speech, a publication): "
        "with `source` naming where, no consent is needed")
    language: LanguageTag | None = Field(
        None, description="language the words were spoken in, if not the brief's")
    translation: LocalLong | None = Field(
        None, description="translation shown under the words on pages in other languages")


class Section(SpecModel):
    """A short optional context section."""

    heading: LocalShort
    body: LocalLong


class Source(SpecModel):
    """A source note; printed only when a figure, a quote or a text (`[^id]`) cites it."""

    id: Slug
    title: ShortText
    publisher: ShortText
    short: LocalShort | None = Field(
        None, description="who says so, in a few words, for the source line under a key "
        "figure, e.g. `Government of Azerbaijan` (default: the publisher)")
    author: ShortText | None = None
    date: dt.date | None = None
    url: Url | None = None


ChartType = Literal["bar", "column", "line", "stacked"]
NumberFormat = Literal["count", "percent", "compact", "plain"]


class ChartPoint(SpecModel):
    """One plotted value with its own source, where a series' values come from several."""

    value: float = Field(description="the number, e.g. `95` or `1500000`", allow_inf_nan=False,
                         ge=-1e15, le=1e15)
    source: Slug | None = Field(None, description="id of an entry in `sources` (default: the "
                                "series' source)")
    as_of: dt.date | None = Field(None, description="date the value refers to (default: the "
                                  "series' `as_of`, else the source's date)")


class ChartSeries(SpecModel):
    """One series of a chart: a value per category, each with a source.

    The values are given in one of three ways: `values` (numbers, all from the series'
    `source`), `points` (each with its own `source`), or `stats` (ids of figures in `stats`,
    which carry their own sources, dates and number formats).
    """

    name: LocalShort | None = Field(
        None, description="what the series counts, for the legend, e.g. `Killed`; needed "
        "when the chart has more than one series")
    values: Annotated[list[Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]],
                      Field(max_length=12)] | None = Field(
        None, description="one number per category, in order, e.g. [70, 41, 23]")
    points: Annotated[list[ChartPoint], Field(max_length=12)] | None = Field(
        None, description="one value per category, each with its own `source` and `as_of`")
    stats: Annotated[list[Slug], Field(max_length=12)] | None = Field(
        None, description="ids of figures in `stats`, one per category: the chart plots "
        "their values, sources and dates")
    source: Slug | None = Field(None, description="id of an entry in `sources` for `values` "
                                "(and for `points` without their own)")
    as_of: dt.date | None = Field(None, description="date the values refer to")

    @model_validator(mode="after")
    def _one_kind_of_values(self) -> ChartSeries:
        given = [name for name in ("values", "points", "stats") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give the series' numbers in exactly one of values:, points: or "
                             "stats:" + (f" (found {' and '.join(given)})" if given else ""))
        return self


class Chart(SpecModel):
    """A small chart of sourced values, placed by the template and citable as `[@id]`."""

    id: Slug = Field(description="cite the chart in a text as [@id]; stats and charts share "
                     "one set of ids")
    type: ChartType = Field(description="`bar` (horizontal bars), `column` (vertical bars), "
                            "`line`, or `stacked` (parts of a whole in one bar)")
    title: LocalShort = Field(description="what the chart shows, e.g. `Who pays for mine "
                              "action in Azerbaijan`")
    subtitle: LocalShort | None = Field(None, description="the measure and period, e.g. "
                                        "`Share of ANAMA's budget, 2023`")
    note: LocalShort | None = Field(None, description="printed under the chart, e.g. how a "
                                    "value was derived")
    categories: Annotated[list[LocalShort], Field(min_length=1, max_length=12)] = Field(
        description="what each value is for: years, places or names (per language where they "
        "are words); in a `stacked` chart, the parts of the whole")
    series: Annotated[list[ChartSeries], Field(min_length=1, max_length=4)] = Field(
        description="one or more series, each with one value per category")
    format: NumberFormat | None = Field(
        None, description="how `values` and `points` are written, as for stats (default: the "
        "format of the series' stats, else `count`)")
    decimals: Annotated[int, Field(ge=0, le=3)] | None = None
    qualifier: Qualifier | None = Field(
        None, description="what the chart's own `values` and `points` say of the real values, "
        "e.g. `about` for estimates (figures from `stats` keep their own)")
    unit: Affix | None = Field(None, description="before each number, e.g. `€`")
    suffix: Affix | None = Field(None, description="after each number, e.g. ` m²`")
    featured: bool = Field(True, description="shown on the page (false: only for audiences "
                           "that list it in their `charts`)")


class Contact(SpecModel):
    """Someone in a delegation who receives the brief by email."""

    name: HeaderText
    email: EmailAddress
    role: ShortText | None = None
    cc: bool = Field(False, description="put on Cc instead of To")


class Audience(SpecModel):
    """A delegation that gets its own tailored version of the brief."""

    id: Slug
    name: ShortText = Field(description="e.g. `United States delegation`")
    language: LanguageTag | None = None
    page: PageSize | None = None
    intro: LocalLong | None = Field(None, description="a line for this delegation only")
    summary: LocalLong | None = None
    summary_ask: LocalLong | None = Field(
        None, description="this delegation's own ask sentence, opening the bottom line in bold")
    asks: Annotated[list[Ask], Field(min_length=1, max_length=5)] | None = None
    stats: Annotated[list[Slug], Field(min_length=1, max_length=6)] | None = Field(
        None, description="ids of the figures shown as callouts for this delegation, in order")
    quotes: Annotated[list[Quote], Field(max_length=3)] | None = Field(
        None, description="the quotes for this delegation instead of the brief's (`[]`: none)")
    sections: Annotated[list[Section], Field(max_length=4)] | None = Field(
        None, description="the sections for this delegation instead of the brief's (`[]`: "
        "none)")
    charts: Annotated[list[Slug], Field(max_length=2)] | None = Field(
        None, description="ids of the charts shown for this delegation, in order (`[]`: none)")
    from_: Sender | None = Field(None, alias="from")
    contacts: Annotated[list[Contact], Field(max_length=20)] = Field(
        [], description="who gets this version by email (`briefgen email`)")
    greeting: LocalShort | None = Field(
        None, description="first line of the email, e.g. `Dear Ms Novak,`")
    attach_docx: bool = Field(False, description="attach the DOCX to the email as well")


class BriefSpec(SpecModel):
    """A complete brief specification (one YAML file)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True,
        json_schema_extra={"title": "briefgen brief specification"},
    )

    brief: BriefHeader
    summary: LocalLong = Field(description="the bottom line: issue, why now, what we ask")
    summary_ask: LocalLong | None = Field(
        None, description="the one sentence of the ask, which opens the bottom line in bold, "
        "e.g. `We ask donors to fund survey and clearance for 2025–2027.`")
    asks: Annotated[list[Ask], Field(min_length=1, max_length=5)]
    stats: Annotated[list[Stat], Field(max_length=40)] = []
    quotes: Annotated[list[Quote], Field(max_length=3)] = []
    sections: Annotated[list[Section], Field(max_length=4)] = []
    sources: Annotated[list[Source], Field(max_length=20)] = []
    charts: Annotated[list[Chart], Field(max_length=10)] = []
    audiences: Annotated[list[Audience], Field(max_length=50)] = []
