"""pydantic's validation errors in the user's words: one located problem per error, with a
hint that says what to write instead."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from briefgen.errors import Problem
from briefgen.spec.loader import FieldPath, YamlDocument, value_at


def without_union_branches(items: list[Any], data: Any) -> list[Any]:
    """Errors of text fields that take a string or a per-language mapping, made plain.

    pydantic reports a failed `str | dict` field once per branch, with the branch name in the
    location. Keep the branch that matches what the user wrote and drop the branch name.
    """
    cleaned = []
    for item in items:
        loc = list(item["loc"])
        branch_at = next((index for index, part in enumerate(loc) if isinstance(part, str)
                          and (part.startswith("constrained-str") or part.startswith("dict["))),
                         None)
        if branch_at is not None:
            written = value_at(data, loc[:branch_at])
            wanted = "dict[" if isinstance(written, dict) else "constrained-str"
            if not str(loc[branch_at]).startswith(wanted):
                continue
            del loc[branch_at]
        if loc and loc[-1] == "[key]":
            loc.pop()
            item = {**item, "type": "language_key"}
        cleaned.append({**item, "loc": tuple(loc)})
    return cleaned


def problem_from_pydantic(item: Any, document: YamlDocument, root: type[BaseModel],
                          missing: dict[FieldPath, list[str]]) -> Problem:
    """One of pydantic's errors (after `without_union_branches`) as a located problem;
    `missing` holds the required keys missing under each mapping, to suggest for a typo."""
    loc: FieldPath = tuple(item["loc"])
    field = document.describe(loc)
    match item["type"]:
        case "extra_forbidden":
            return Problem(document.locate(loc, key=True), field, f"unknown key {loc[-1]!r}",
                           _unknown_key_hint(str(loc[-1]), root, loc[:-1], missing),
                           rule="unknown-key")
        case "language_key":
            return Problem(document.locate(loc, key=True), field,
                           f"{loc[-1]!r} is not a language tag",
                           "write text per language as  en: ...  fr: ...", rule="invalid-value")
        case "missing":
            parent = document.describe(loc[:-1]) or "the top level"
            return Problem(document.locate(loc[:-1], key=True), field,
                           "required field is missing", f"add {loc[-1]}: under {parent}",
                           rule="missing-field")
    message, hint = _worded(item, loc)
    return Problem(document.locate(loc), field, message, hint, rule="invalid-value")


def _unknown_key_hint(key: str, root: type[BaseModel], parent: FieldPath,
                      missing: dict[FieldPath, list[str]]) -> str:
    allowed = _allowed_keys(root, parent)
    # A misspelt key usually also leaves a required key missing: suggest that one first.
    suggestion = (difflib.get_close_matches(key, missing.get(parent, []), n=1, cutoff=0.3)
                  or difflib.get_close_matches(key, allowed, n=1, cutoff=0.6))
    return (f"did you mean {suggestion[0]!r}?" if suggestion
            else f"allowed here: {', '.join(allowed)}")


# pydantic's error types, in words; `{...}` are filled from the error's context.
_MESSAGES = {
    "string_type": ("expected text", "write the value as text"),
    "string_too_short": ("must not be empty", "write some text here"),
    "date_from_datetime_inexact": ("has a time of day", "write only the date, YYYY-MM-DD"),
    "string_too_long": ("too long (at most {max_length} characters)",
                        "shorten it: a one-pager has no room for long fields"),
    "float_parsing": ("expected a number", "write digits only, e.g. 1500000 or 13.4"),
    "float_type": ("expected a number", "write digits only, e.g. 1500000 or 13.4"),
    "int_parsing": ("expected a whole number", ""),
    "bool_parsing": ("expected true or false", ""),
    "bool_type": ("expected true or false", ""),
    "date_from_datetime_parsing": (
        "expected a real date",
        "write it as YYYY-MM-DD, e.g. 2025-04-09 (and check the day exists)"),
    "date_parsing": ("expected a date", "write it as YYYY-MM-DD, e.g. 2025-04-09"),
    "date_type": ("expected a date", "write it as YYYY-MM-DD, e.g. 2025-04-09"),
    "literal_error": ("expected one of {expected}", ""),
    "too_short": ("needs at least {min_length} item(s)", ""),
    "too_long": ("has too many items (at most {max_length})", "a one-pager has room for only a few"),
    "list_type": ("expected a list", "start each item on its own line with '- '"),
    "model_type": ("expected a group of keys", "indent the keys that belong here"),
    "model_attributes_type": ("expected a group of keys", "indent the keys that belong here"),
    "dict_type": ("expected a group of keys", "indent the keys that belong here"),
    "greater_than_equal": ("must be at least {ge}", ""),
    "less_than_equal": ("must be at most {le}", ""),
    "finite_number": ("must be a finite number", "write digits, e.g. 1500000"),
}


def _worded(item: Any, loc: FieldPath) -> tuple[str, str]:
    """The message and hint for a value of the wrong type or form."""
    kind = item["type"]
    context = item.get("ctx") or {}
    if kind == "string_type" and item.get("input") is None:
        return "is empty", "write the text after the colon"
    if kind == "string_pattern_mismatch":
        return "has the wrong form", _pattern_hint(loc, item.get("input"))
    if kind == "value_error":
        return str(context.get("error", item["msg"])), ""
    if kind not in _MESSAGES:
        return item["msg"], ""
    message, hint = _MESSAGES[kind]
    return message.format_map({key: _number(value) for key, value in context.items()}), hint


def _number(value: Any) -> str:
    return f"{value:,.0f}" if isinstance(value, float) and value.is_integer() else str(value)


def _pattern_hint(loc: FieldPath, given: Any) -> str:
    last = str(loc[-1]) if loc else ""
    slug = re.sub(r"[^a-z0-9]+", "-", given.lower()).strip("-") if isinstance(given, str) else ""
    if last == "id" and slug:
        return f"use lower-case letters, digits and hyphens, e.g. {slug}"
    return _PATTERN_HINTS.get(last, "")


_ID_HINT = "use lower-case letters, digits and hyphens, e.g. masg-2025"
_ADDRESS_HINT = "write a full address starting with https://"
# How to write a value of each field that must have a certain form, by the field's key.
_PATTERN_HINTS = {
    "id": _ID_HINT, "source": _ID_HINT, "template": _ID_HINT, "stat": _ID_HINT,
    "currency": "write the currency's three-letter code in capitals, e.g. EUR, USD, CHF",
    "url": _ADDRESS_HINT, "website": _ADDRESS_HINT, "sources_url": _ADDRESS_HINT,
    "email": "write one address such as name@example.org",
    "language": "write a language tag such as en, en-GB, fr",
    "phone": "digits, spaces, + ( ) - only",
}


def _allowed_keys(root: type[BaseModel], loc: FieldPath) -> list[str]:
    """The keys allowed in the mapping at `loc` (positions in lists passed over)."""
    model = root
    for part in loc:
        field = _field_named(model, part) if isinstance(part, str) else None
        if field is None:
            continue
        found = _model_of(field.annotation)
        if found is None:
            return []
        model = found
    return [field.alias or name for name, field in model.model_fields.items()]


def _field_named(model: type[BaseModel], key: str) -> FieldInfo | None:
    """The model's field written as `key` in YAML: its alias, else its name."""
    return model.model_fields.get(key) or next(
        (field for field in model.model_fields.values() if field.alias == key), None)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()) or ():
        found = _model_of(argument)
        if found:
            return found
    metadata_origin = getattr(annotation, "__origin__", None)
    if metadata_origin is not None:
        return _model_of(metadata_origin)
    return None
