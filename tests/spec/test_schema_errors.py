"""pydantic's errors in the user's words, on a small model of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from briefgen.spec.loader import parse_yaml
from briefgen.spec.schema_errors import problem_from_pydantic, without_union_branches

Name = Annotated[str, StringConstraints(pattern=r"^[a-z]+$")]
Text = Annotated[str, StringConstraints(min_length=1)]  # as the spec's texts are


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Name
    title: Text | dict[str, Text]
    count: int = 0


def problems_of(text: str) -> list[str]:
    document = parse_yaml(text, Path("spec.yaml"))
    with pytest.raises(ValidationError) as caught:
        Entry.model_validate(document.data)
    items = without_union_branches(caught.value.errors(), document.data)
    missing = {tuple(item["loc"][:-1]): [str(item["loc"][-1])] for item in items
               if item["type"] == "missing"}
    return sorted(str(problem_from_pydantic(item, document, Entry, missing)) for item in items)


def test_a_text_field_reports_only_the_form_the_user_wrote() -> None:
    """`str | dict` fails once per branch; a mapping written gets the mapping's error only."""
    assert problems_of("id: abc\ntitle:\n  en: [a list]\n") == [
        "spec.yaml:3:7: title.en: expected text\n    hint: write the value as text"]


def test_a_misspelt_key_suggests_the_missing_one_first() -> None:
    assert problems_of("id: abc\ntitel: T\n") == [
        "spec.yaml:1:1: title: required field is missing\n    hint: add title: under the top "
        "level",
        "spec.yaml:2:1: titel: unknown key 'titel'\n    hint: did you mean 'title'?"]


def test_an_id_of_the_wrong_form_is_given_its_corrected_form() -> None:
    assert problems_of("id: Mine Action\ntitle: T\n") == [
        "spec.yaml:1:5: id: has the wrong form\n    hint: use lower-case letters, digits and "
        "hyphens, e.g. mine-action"]


def test_an_error_type_without_words_keeps_pydantics() -> None:
    assert problems_of("id: abc\ntitle: T\ncount: many\n") == [
        "spec.yaml:3:8: count: expected a whole number"]
