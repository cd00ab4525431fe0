"""The cover note: the template's note in the version's language, the brief's texts as plain
words."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from briefgen.errors import TemplateError
from briefgen.resolve.view import UserText
from briefgen.spec.inline import parse_inline
from briefgen.write.cover_note import plain, render_cover_note


def template_with(folder: Path, notes: dict[str, str]) -> Any:
    (folder / "email").mkdir(parents=True)
    for language, text in notes.items():
        (folder / "email" / f"{language}.txt.j2").write_text(text, encoding="utf-8")
    return SimpleNamespace(folder=folder)


def test_the_note_in_the_versions_language_gives_subject_and_body(tmp_path: Path) -> None:
    template = template_with(tmp_path, {
        "en": "Subject: {{ brief.title }}\n\nDear colleagues,\n",
        "fr": "Subject: {{ brief.title }} (fr)\n\n\n\nMadame, Monsieur,\n\n\n"})
    assert render_cover_note(template, "fr-CH", {"brief": {"title": "Déminage"}}) == (
        "Déminage (fr)", "Madame, Monsieur,\n")
    assert render_cover_note(template, "az", {"brief": {"title": "Mines"}}) == (
        "Mines", "Dear colleagues,\n")


@pytest.mark.parametrize(("notes", "message"), [
    ({}, "the template has no email cover note"),
    ({"en": "Dear colleagues,\n"}, "the cover note's first line must be 'Subject: ...'"),
    ({"en": "Subject: {{ nothing.here }}\n"}, "cover note template error"),
])
def test_a_note_that_cannot_be_used_is_a_template_error(tmp_path: Path, notes: dict[str, str],
                                                        message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        render_cover_note(template_with(tmp_path, notes), "en", {})


def test_a_note_linked_from_outside_the_template_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Subject: x\n", encoding="utf-8")
    template = template_with(tmp_path / "template", {})
    (tmp_path / "template" / "email" / "en.txt.j2").symlink_to(outside)
    with pytest.raises(TemplateError, match="outside the template's folder"):
        render_cover_note(template, "en", {})


def user_text(text: str) -> UserText:
    return UserText(0, ("summary",), parse_inline(text), "en")


VIEW = SimpleNamespace(charts={"share-chart": object()},
                       cited_value=lambda cite: {"mines": "1.5\u00a0million"}[cite.stat_id])


@pytest.mark.parametrize(("text", "expected"), [
    ("**Fund** [clearance](https://example.org): [@mines] mines.",
     "Fund clearance: 1.5 million mines."),
    ("Below their 2021 level [@share-chart].", "Below their 2021 level."),
    ("[@share-chart] Shares fell, [@share-chart] and rose", "Shares fell, and rose"),
    ("Cited once[^a-source].", "Cited once."),
])
def test_user_text_reads_as_plain_words_without_chart_pointers(text: str, expected: str) -> None:
    assert plain(user_text(text), VIEW) == expected  # type: ignore[arg-type]


def test_plain_values_pass_through() -> None:
    assert plain(None, VIEW) == ""  # type: ignore[arg-type]
    assert plain("24 March 2025", VIEW) == "24 March 2025"  # type: ignore[arg-type]
