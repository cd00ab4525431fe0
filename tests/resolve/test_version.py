"""One version of a brief: an audience's own value where it gives one, else the brief's, each
with the place it is written."""

from __future__ import annotations

from typing import Any

import pytest

from briefgen.resolve.version import Version, versions
from briefgen.spec.models import BriefSpec

QUOTE = {"text": "Words", "speaker": "Aytan", "consent": True}
SECTION = {"heading": "Why now", "body": "Because."}
ASK = {"headline": "Fund", "detail": "Fund clearance."}


def brief(*audiences: dict[str, Any]) -> BriefSpec:
    return BriefSpec.model_validate({
        "brief": {"id": "b", "title": "Title", "date": "2025-03-24", "language": "en",
                  "event": {"name": "Meeting", "place": "Geneva", "start": "2025-04-09"},
                  "from": {"organization": "Clear Ground"}},
        "summary": "The brief's summary.",
        "asks": [ASK],
        "stats": [{"id": "mines", "value": 5, "label": "mines", "source": "report"},
                  {"id": "aside", "value": 7, "label": "aside", "source": "report",
                   "featured": False}],
        "quotes": [QUOTE],
        "sections": [SECTION],
        "sources": [{"id": "report", "title": "Report", "publisher": "Agency"}],
        "charts": [{"id": "shown", "type": "bar", "title": "Shown", "categories": ["a", "b"],
                    "series": [{"values": [1, 2], "source": "report"}]},
                   {"id": "aside-chart", "type": "bar", "title": "Aside", "featured": False,
                    "categories": ["a", "b"],
                    "series": [{"values": [1, 2], "source": "report"}]}],
        "audiences": list(audiences),
    })


def test_the_brief_s_own_version_prints_the_brief_s_values() -> None:
    version = Version(brief())
    assert version.audience is None and version.audience_id is None and version.path == ()
    assert (version.language, version.page) == ("en", "A4")
    assert version.summary == ("The brief's summary.", ("summary",))
    assert version.summary_ask == (None, ("summary_ask",))
    assert version.sender.path == ("brief", "from")
    assert version.asks.path == ("asks",) and version.quotes.path == ("quotes",)
    assert version.stat_ids == ["mines"]
    assert version.chart_ids == ["shown"] and version.hidden_chart_ids == {"aside-chart"}
    assert version.intro.value is None


def test_an_audience_s_own_values_replace_the_brief_s_where_it_gives_them() -> None:
    spec = brief({"id": "eu", "name": "EU"},
                 {"id": "ch", "name": "Swiss", "language": "fr-CH", "page": "Letter",
                  "summary": {"fr": "Résumé."}, "summary_ask": "Ask.", "intro": "Hello.",
                  "asks": [ASK, ASK], "stats": ["aside", "mines"],
                  "from": {"organization": "Clear Ground CH"}})
    inheriting, own = versions(spec)
    assert inheriting.summary == ("The brief's summary.", ("summary",))
    assert inheriting.language == "en"
    assert own.audience_id == "ch" and own.path == ("audiences", 1)
    assert (own.language, own.page) == ("fr-CH", "Letter")
    assert own.summary == ({"fr": "Résumé."}, ("audiences", 1, "summary"))
    assert own.summary_ask == ("Ask.", ("audiences", 1, "summary_ask"))
    assert own.intro == ("Hello.", ("audiences", 1, "intro"))
    assert len(own.asks.value) == 2 and own.asks.path == ("audiences", 1, "asks")
    assert own.sender.value.organization == "Clear Ground CH"
    assert own.sender.path == ("audiences", 1, "from")
    assert own.stat_ids == ["aside", "mines"]


@pytest.mark.parametrize("name", ["quotes", "sections", "charts"])
def test_an_empty_list_means_none_and_a_missing_one_the_brief_s(name: str) -> None:
    spec = brief({"id": "none", "name": "None", name: []}, {"id": "same", "name": "Same"})
    empty, same = versions(spec)
    if name == "charts":
        assert empty.chart_ids == [] and empty.hidden_chart_ids == {"shown", "aside-chart"}
        assert same.chart_ids == ["shown"]
    else:
        assert getattr(empty, name) == ([], ("audiences", 0, name))
        assert getattr(same, name) == (getattr(spec, name), (name,))


def test_an_audience_s_charts_pick_unfeatured_ones_too() -> None:
    version = Version(brief({"id": "eu", "name": "EU", "charts": ["aside-chart"]}), 0)
    assert version.chart_ids == ["aside-chart"] and version.hidden_chart_ids == {"shown"}


def test_an_empty_text_mapping_is_a_text_left_out() -> None:
    """`summary: {}` gives no text in any language: the version prints the brief's."""
    version = Version(brief({"id": "eu", "name": "EU", "summary": {}}), 0)
    assert version.summary == ("The brief's summary.", ("summary",))


def test_every_version_a_build_makes() -> None:
    assert versions(brief()) == [Version(brief(), None)]
    assert [version.audience_id for version in versions(brief(
        {"id": "eu", "name": "EU"}, {"id": "us", "name": "US"}))] == ["eu", "us"]
