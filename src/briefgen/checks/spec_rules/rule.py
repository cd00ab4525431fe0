"""What a rule on the spec is given, and the helpers its messages share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from briefgen.errors import Problem, display_path
from briefgen.spec.loader import FieldPath, YamlDocument
from briefgen.spec.models import BriefSpec
from briefgen.template import Template


@dataclass(frozen=True)
class CheckedSpec:
    """A spec under check: its model, its YAML (for locations) and its template."""

    spec: BriefSpec
    document: YamlDocument
    template: Template

    def problem(self, path: FieldPath, message: str, hint: str, rule: str,
                severity: str = "error") -> Problem:
        """A problem at the field `path`."""
        return Problem(self.document.locate(path), self.document.describe(path), message, hint,
                       rule=rule, severity=severity)

    def field_with_line(self, path: FieldPath) -> str:
        """`summary (line 13)`; the file too when the field was written in another one."""
        document = self.document
        where = document.locate(path)
        place = (f"line {where.line}" if where.file == document.path
                 else f"{display_path(where.file)}:{where.line}")
        return f"{document.describe(path)} ({place})"


SpecRule = Callable[[CheckedSpec], Iterable[Problem]]


def version_names(audience_ids: list[str]) -> str:
    """` (eu, us)`: the audiences of the versions a message is about; nothing for the
    brief's own version."""
    named = [audience_id for audience_id in audience_ids if audience_id]
    return f" ({', '.join(named)})" if named else ""


def variants(value: str | dict[str, str] | None) -> list[str]:
    """Every language's form of a figure's prefix, unit or suffix, without outer spaces,
    longest first."""
    values = value.values() if isinstance(value, dict) else [value or ""]
    return sorted({" ".join(text.split()) for text in values if text.strip()}, key=len,
                  reverse=True)
