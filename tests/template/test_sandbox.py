"""The sandbox templates run in: Jinja's own, bounded in time and in the size of what it
builds, the same way on every platform."""

from __future__ import annotations

import time

import jinja2
import pytest

from briefgen.template.sandbox import BoundedSandbox, TemplateBudgetExceeded


def render(source: str, *, seconds: float = 2.0, limit: int = 10_000,
           **context: object) -> str:
    environment = BoundedSandbox(max_characters=limit, undefined=jinja2.StrictUndefined)
    return environment.render_bounded(environment.from_string(source), context, seconds)


def test_a_template_within_its_budget_renders_as_jinja_would() -> None:
    source = "{% for name in names %}{{ name|upper }}{{ ', ' if not loop.last }}{% endfor %}"
    assert render(source, names=["eu", "us"]) == "EU, US"


def test_a_loop_that_runs_too_long_is_stopped() -> None:
    source = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(TemplateBudgetExceeded, match=r"ran for more than 0.2 s"):
        render(source, seconds=0.2)
    assert time.monotonic() - started < 2


def test_output_beyond_the_limit_is_stopped() -> None:
    with pytest.raises(TemplateBudgetExceeded, match="produced more than 100 characters"):
        render("{% for i in range(1000) %}0123456789{% endfor %}", limit=100)


@pytest.mark.parametrize("source", [
    "{{ 'x' * 1000000 }}",
    "{{ 'x'|center(1000000) }}",
    "{{ text|replace('a', long) }}",
])
def test_a_value_too_large_is_refused_before_it_is_built(source: str) -> None:
    with pytest.raises(TemplateBudgetExceeded, match="builds a value that is too large"):
        render(source, text="a" * 200, long="b" * 200)


def test_a_huge_exponent_is_refused() -> None:
    with pytest.raises(TemplateBudgetExceeded, match="exponent"):
        render("{{ 2 ** 100000 }}")


def test_a_macro_that_calls_itself_without_end_is_stopped() -> None:
    with pytest.raises(TemplateBudgetExceeded, match="recursion"):
        render("{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}")


def test_a_template_cannot_switch_the_loop_check_off() -> None:
    source = ("{% set budgeted = none %}{% for a in range(100000) %}"
              "{% for b in range(100000) %}{% endfor %}{% endfor %}")
    with pytest.raises(TemplateBudgetExceeded):
        render(source, seconds=0.2)


def test_a_stopped_render_leaves_no_deadline_behind() -> None:
    """Templates rendered outside `render_bounded` (and the next brief's) are not stopped
    by a deadline that has passed."""
    environment = BoundedSandbox(max_characters=10_000)
    endless = environment.from_string("{% for i in range(100000) %}{% for j in range(100000) %}"
                                      "{% endfor %}{% endfor %}")
    with pytest.raises(TemplateBudgetExceeded):
        environment.render_bounded(endless, {}, 0.1)
    time.sleep(0.15)
    assert environment.from_string("{% for i in range(3) %}{{ i }}{% endfor %}").render() == "012"


def test_jinjas_own_errors_pass_through() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("{{ missing }}")
    with pytest.raises(jinja2.exceptions.SecurityError):
        render("{{ ''.__class__.__mro__ }}")
