"""The Jinja sandbox that templates run in: layouts and email cover notes.

Templates may come from other people, so besides Jinja's own sandbox (no attribute tricks, no
unsafe calls) a render is bounded in time and in size, the same way on every platform:

- time: every `{% for %}` loop and every call checks a deadline, so a runaway template stops
  after `seconds` whatever it does. Why not a timer signal: SIGALRM does not exist on
  Windows, and a watchdog thread cannot stop Python code portably. A template without loops or
  calls runs in time proportional to its own length, and recursion is bounded by Python's
  recursion limit, so checking in loops and calls bounds the whole render;
- size: the output is counted as it is produced, and `*`, `**` and the filters that can build
  long strings from a short template (`center`, `indent`, `format`, `replace`, `wordwrap`)
  refuse results above the limit before building them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

LOOP_CHECK_EVERY = 256  # iterations between two looks at the clock


class TemplateBudgetExceeded(Exception):
    """A template ran too long or produced too much; `str()` says which, for the user."""


_budget = threading.local()


def _check_deadline() -> None:
    deadline = getattr(_budget, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise TemplateBudgetExceeded(f"ran for more than {_budget.seconds:g} s and was stopped")


def budgeted(iterable: Iterable[Any]) -> Iterator[Any]:
    """Every `{% for %}` loop iterates through this (see `BoundedSandbox._parse`)."""
    for index, item in enumerate(iterable):
        if index % LOOP_CHECK_EVERY == 0:
            _check_deadline()
        yield item


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, bounded in time and output size (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *, max_characters: int, **options: Any) -> None:
        super().__init__(**options)
        self.max_characters = max_characters
        for name in ("center", "indent", "format", "replace", "wordwrap"):
            self.filters[name] = _bounded_filter(self.filters[name], max_characters)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            # An imported name, not a global: a template cannot shadow it.
            loop.iter = nodes.Call(nodes.ImportedName(f"{__name__}.budgeted"), [loop.iter],
                                   [], None, None, lineno=loop.lineno)
        return tree

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_deadline()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise TemplateBudgetExceeded("uses an exponent that is too large")
        if operator == "*" and _length(left) * _length(right) > self.max_characters:
            raise TemplateBudgetExceeded("builds a value that is too large")
        return super().call_binop(context, operator, left, right)

    def render_bounded(self, template: jinja2.Template, context: Mapping[str, Any],
                       seconds: float) -> str:
        """Render within `seconds` and `max_characters`; raise `TemplateBudgetExceeded`.

        Jinja's own errors (syntax, undefined names, sandbox refusals) pass through.
        """
        _budget.deadline, _budget.seconds = time.monotonic() + seconds, seconds
        try:
            parts, size = [], 0
            for part in template.generate(dict(context)):
                size += len(part)
                if size > self.max_characters:
                    raise TemplateBudgetExceeded(
                        f"produced more than {self.max_characters:,} characters and was stopped")
                parts.append(part)
                _check_deadline()
            return "".join(parts)
        except RecursionError:
            raise TemplateBudgetExceeded("calls itself without end (recursion)") from None
        finally:
            _budget.deadline = None


def _length(value: Any) -> int:
    if isinstance(value, str | list | tuple):
        return max(len(value), 1)
    if isinstance(value, int) and not isinstance(value, bool):
        return max(abs(value), 1)
    return 1


def _bounded_filter(function: Callable[..., Any], limit: int) -> Callable[..., Any]:
    """A filter that refuses to build a string longer than `limit` characters.

    The estimate is taken before the work: the input's length, plus every number given
    (widths and counts), plus what `replace` could add.
    """

    # A filter marked @pass_eval_context (replace, indent...) gets the context first.
    passes_context = hasattr(function, "jinja_pass_arg")

    def bounded(*args: Any, **kwargs: Any) -> Any:
        value, *arguments = args[1:] if passes_context else args
        arguments += kwargs.values()
        estimate = len(str(value)) + sum(abs(argument) for argument in arguments
                                         if isinstance(argument, int))
        if function.__name__ == "do_replace" and len(arguments) >= 2:
            old, new = str(arguments[0]), str(arguments[1])
            estimate = len(str(value)) * max(1, len(new)) // max(1, len(old)) + len(new)
        estimate += sum(len(argument) for argument in arguments if isinstance(argument, str))
        if estimate > limit:
            raise TemplateBudgetExceeded("builds a value that is too large")
        return function(*args, **kwargs)

    bounded.__name__ = function.__name__
    if passes_context:
        bounded.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return bounded
