"""YAML syntax errors in the user's words: every rule of the table is reached by a real
mistake, and what no rule knows keeps the parser's own words."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefgen.spec.yaml_syntax import SYNTAX_RULES, Stop, explain, syntax_problem

# A mistake whose parser error carries each rule's words: libyaml's, or the pure-Python
# parser's where only it says them.
MISTAKES = {
    "tab": ("a: b\n\t\n", "CSafeLoader"),
    "cannot start any token": ("summary: @ANAMA says so\n", "CSafeLoader"),
    "while scanning an alias": ("summary: *Urgent* action is needed\n", "CSafeLoader"),
    "while scanning an anchor": ("summary: & stuff\n", "CSafeLoader"),
    "while scanning a quoted scalar": ('title: "Mines\nsummary: x\n', "CSafeLoader"),
    "while parsing a quoted scalar": ('summary: "see C:\\xfiles"\n', "CSafeLoader"),
    "escape": ('summary: "see C:\\xfiles"\n', "SafeLoader"),
    "mapping values are not allowed": ("title: Mines: a crisis\n", "CSafeLoader"),
    "could not find expected ':'": ("brief:\n  id: x\n  title y\n", "CSafeLoader"),
    "did not find expected '-' indicator": ("asks:\n  - headline: a\n  title: c\n",
                                            "CSafeLoader"),
    "block sequence entries are not allowed": ("asks: - headline: a\n", "CSafeLoader"),
    "while parsing a flow sequence": ("include: [facts.yaml\nsummary: x\n", "CSafeLoader"),
    "while parsing a flow": ("summary: {a: b\nx: y\n", "CSafeLoader"),
    "did not find expected key": ("brief:\n  id: x\n title: y\n", "CSafeLoader"),
    "directive": ("%YAML 1.1\n%FOO bar\n---\na: b\n", "CSafeLoader"),
    "document start": ("a: b\n...\nc: d\n", "CSafeLoader"),
}


def parser_error(text: str, loader: str) -> yaml.MarkedYAMLError:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        for _ in yaml.parse(text, Loader=getattr(yaml, loader)):
            pass
    return caught.value


def test_every_rule_has_a_mistake_that_reaches_it() -> None:
    assert [words for _, words, _ in SYNTAX_RULES] == list(MISTAKES)


@pytest.mark.parametrize(("part", "words", "said"), SYNTAX_RULES,
                         ids=[words for _, words, _ in SYNTAX_RULES])
def test_a_rule_answers_the_parser_error_that_carries_its_words(part: str, words: str,
                                                                said: object) -> None:
    text, loader = MISTAKES[words]
    error = parser_error(text, loader)
    assert words in (error.problem if part == "problem" else error.context)
    explained = explain(Stop.of(error, text))
    assert explained == (said if not callable(said) else said(Stop.of(error, text)))
    assert "cannot be read here" not in explained.message


def test_a_mistake_no_rule_knows_keeps_the_parsers_words() -> None:
    stop = Stop(problem="found something new", context="", offending="x", line="a: x",
                before="a: ")
    said = explain(stop)
    assert said.message == "the file cannot be read here (found something new)"
    assert "indentation" in said.hint


def test_a_tab_where_the_parser_stopped_is_named_whatever_its_words() -> None:
    stop = Stop(problem="found something new", context="", offending="\t", line="\tid: x",
                before="")
    assert "indented with a tab" in explain(stop).message


def test_the_problem_points_at_the_opening_quote_not_where_the_file_ended() -> None:
    text = 'brief:\n  title: "Mines\nsummary: x\n'
    problem = syntax_problem(parser_error(text, "CSafeLoader"), text, Path("spec.yaml"))
    assert str(problem).splitlines()[0] == (
        "spec.yaml:2:10: this quotation mark is never closed")
