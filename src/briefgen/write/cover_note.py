"""An email draft's cover note: the template's `email/<language>.txt.j2`, run in the sandbox
on the brief's texts written as plain words (first line `Subject: ...`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2

from briefgen.errors import Problem, TemplateError
from briefgen.resolve.view import BriefView, UserText, pick_language
from briefgen.spec.inline import Cite, Emphasis, Inline, Link, Strong, Text
from briefgen.template import Template
from briefgen.template.sandbox import BoundedSandbox, TemplateBudgetExceeded

EMAIL_FOLDER = "email"
COVER_NOTE_SECONDS = 2.0
COVER_NOTE_CHARACTERS = 100_000  # a cover note is a few hundred words


def cover_note_context(view: BriefView, audience: Any, attachments: list[str]
                       ) -> dict[str, Any]:
    """What a cover note may say: the brief's texts as plain words, and the attachments'
    file names."""
    context = view.context

    def text(value: Any) -> str:
        return plain(value, view)

    return {
        "greeting": _greeting(audience, view.language),
        "brief": {"title": text(context["brief"]["title"]), "date": context["brief"]["date"]},
        "event": {"name": text(context["event"]["name"]), "place": text(context["event"]["place"]),
                  "dates": context["event"]["dates"]},
        "sender": {key: text(value) for key, value in context["sender"].items()
                   if not key.endswith("_href")},
        "audience": None if context["audience"] is None else {
            "name": text(context["audience"]["name"]),
            "intro": text(context["audience"]["intro"])},
        "summary": text(context["summary"]),
        "summary_ask": text(context["summary_ask"]),  # the ask in one sentence, if written
        "asks": [{"headline": text(ask["headline"]), "detail": text(ask["detail"])}
                 for ask in context["asks"]],
        "attachments": attachments,
    }


def _greeting(audience: Any, language: str) -> str | None:
    greeting = audience.greeting if audience else None
    if not isinstance(greeting, dict):
        return greeting or None
    chosen = pick_language(greeting, language)
    return greeting[chosen] if chosen else None


def plain(value: Any, view: BriefView) -> str:
    """User text as plain words, figures written out: no markup, no source markers, and no
    pointer to a chart ("(see chart)"), which the email does not carry."""
    if value is None:
        return ""
    if isinstance(value, UserText):
        return _without_pointers(_plain_nodes(value.nodes, view).replace("\u00a0", " "))
    return str(value)


# Where a chart's pointer stood, until the spaces around it are settled.
_POINTER = "\x00"
_SPACE = "[ \u202f]*"


def _plain_nodes(nodes: tuple[Inline, ...], view: BriefView) -> str:
    parts = []
    for node in nodes:
        match node:
            case Text():
                parts.append(node.text.replace(_POINTER, ""))
            case Cite():
                parts.append(_POINTER if node.stat_id in view.charts
                             else view.cited_value(node))
            case Strong() | Emphasis() | Link():
                parts.append(_plain_nodes(node.children, view))
    return "".join(parts)


def _without_pointers(text: str) -> str:
    """The text with each chart pointer taken out, and the space before it too where
    punctuation or the end follows: "below their 2021 level (see chart)." reads "below their
    2021 level."."""
    text = re.sub(f"^{_SPACE}{_POINTER}{_SPACE}", "", text)
    text = re.sub(f"{_SPACE}{_POINTER}(?=[.,;:!?…)\\]»”’\"]|$)", "", text)
    return re.sub(f"{_SPACE}{_POINTER}{_SPACE}", " ", text)


def render_cover_note(template: Template, language: str, context: dict[str, Any]
                      ) -> tuple[str, str]:
    """The subject and the body of the cover note in `language` (English when the template
    has none in it); `TemplateError` when the note is missing, broken or too costly."""
    path = _cover_note_file(template, language)
    # The same limits as the layout's: cover notes may come from other people too.
    environment = BoundedSandbox(
        max_characters=COVER_NOTE_CHARACTERS, autoescape=False,
        undefined=jinja2.StrictUndefined, trim_blocks=True, keep_trailing_newline=True)
    try:
        text = environment.render_bounded(
            environment.from_string(path.read_text(encoding="utf-8")), context,
            COVER_NOTE_SECONDS)
    except TemplateBudgetExceeded as error:
        raise TemplateError(Problem(path, "", f"the cover note {error}",
                                    "look for a loop that never ends or a value that grows "
                                    "without limit")) from None
    except jinja2.TemplateError as error:
        raise TemplateError(Problem(path, "", f"cover note template error: {error}")) from None
    first, _, rest = text.lstrip("\n").partition("\n")
    if not first.startswith("Subject:"):
        raise TemplateError(Problem(path, "", "the cover note's first line must be "
                                    "'Subject: ...'"))
    body = re.sub(r"\n{3,}", "\n\n", rest.strip("\n")) + "\n"
    return first.removeprefix("Subject:").strip(), body


def _cover_note_file(template: Template, language: str) -> Path:
    folder = template.folder / EMAIL_FOLDER
    available = {path.name.split(".")[0]: path for path in folder.glob("*.txt.j2")}
    chosen = pick_language(available, language) or "en"
    if chosen not in available:
        raise TemplateError(Problem(folder, "", "the template has no email cover note",
                                    "add email/en.txt.j2 to the template folder"))
    path = available[chosen]
    if not path.resolve().is_relative_to(template.folder.resolve()):
        raise TemplateError(Problem(path, "", "is a link to a file outside the template's "
                                    "folder", "copy the file into the folder"))
    return path
