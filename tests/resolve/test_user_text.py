"""Reading a version's texts: parsed once and numbered, a missing language or a hidden
chart's citation reported where it is written."""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import Location
from briefgen.resolve.user_text import PrintedText, TextReader
from briefgen.spec.inline import Cite, Text
from briefgen.spec.loader import parse_yaml

SPEC = """\
summary: {en: "Mines [@who-pays] stay.", fr: "Mines."}
address: "**not bold**"
"""


def reader(**options: object) -> TextReader:
    document = parse_yaml(SPEC, Path("spec.yaml"))
    return TextReader(document, "en", **options)  # type: ignore[arg-type]


def test_texts_are_numbered_in_the_order_read() -> None:
    texts = reader()
    first = texts.read({"en": "One *two*", "fr": "Un"}, ("summary",))
    second = texts.read("**not bold**", ("address",), literal=True)
    assert first is not None and second is not None
    assert (first.index, second.index) == (0, 1) and texts.texts == [first, second]
    assert first.origin == ("summary", "en") and str(first) == "One two"
    assert second.nodes == (Text("**not bold**"),)  # printed as typed
    figure = texts.add(("asks", 0, "amount"), (Cite("mines"),), "fr")
    assert (figure.index, figure.language) == (2, "fr")


def test_a_text_without_the_version_s_language_is_missing() -> None:
    printed: list[PrintedText] = []
    texts = reader(printed=printed)
    texts.language = "az"
    assert texts.read({"en": "Mines", "fr": "Mines"}, ("summary",)) is None
    [problem] = texts.missing
    assert problem.message == "no text in 'az' for this version (given: en, fr)"
    assert problem.hint == "add  az: ...  under summary"
    assert problem.location == Location(Path("spec.yaml"), 1, 10)
    assert problem.rule == "missing-translation"
    assert printed == [PrintedText(("summary",), {"en": "Mines", "fr": "Mines"}, False)]
    assert texts.read(None, ("summary_ask",)) is None and len(printed) == 1


def test_citing_a_chart_the_version_hides_is_located_where_typed() -> None:
    texts = reader(hidden_chart_ids=frozenset({"who-pays"}), audience_id="eu")
    texts.read({"en": "Mines [@who-pays] stay."}, ("summary",))
    [problem] = texts.missing
    assert problem.location == Location(Path("spec.yaml"), 1, 22)  # its "["
    assert problem.message == ("cites the chart 'who-pays', which the version for eu does "
                               "not show")
    assert problem.hint.startswith("list who-pays in the charts: of audience eu, or give that "
                                   "audience its own summary:")
