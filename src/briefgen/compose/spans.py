"""A paragraph's spans tidied for the backends: neighbours alike joined, the layout's own white
space at its ends dropped, capitals in the language's way."""

from __future__ import annotations

from briefgen.document import Span


def upper_case(text: str, language: str) -> str:
    """Upper-case with the dotted and dotless i of Azerbaijani and Turkish kept apart."""
    if language.split("-")[0] in {"az", "tr"}:
        text = text.replace("i", "\u0130")
    return text.upper()


def merged_spans(spans: list[Span]) -> list[Span]:
    """Join neighbouring spans that look the same, so each backend gets few, long runs."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and _format(merged[-1]) == _format(span):
            last = merged[-1]
            merged[-1] = last._replace(text=last.text + span.text,
                                       origin=last.origin or span.origin,
                                       figure=last.figure and span.figure)
        else:
            merged.append(span)
    return merged


def _format(span: Span) -> tuple[object, ...]:
    """Everything about a span but its text: spans alike in this are one run."""
    return (span.bold, span.italic, span.superscript, span.link, span.color, span.language,
            span.reference, span.scale)


def trimmed_spans(spans: list[Span]) -> list[Span]:
    """Drop white space the layout's own formatting put at the ends of a paragraph."""
    while spans and not spans[0].text.strip():
        spans.pop(0)
    while spans and not spans[-1].text.strip():
        spans.pop()
    if spans:
        spans[0] = spans[0]._replace(text=spans[0].text.lstrip())
        spans[-1] = spans[-1]._replace(text=spans[-1].text.rstrip())
    return spans
