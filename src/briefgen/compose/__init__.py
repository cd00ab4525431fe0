"""Compose: run the template's layout for a `BriefView` and build the neutral `Document`.

The layout is Jinja2 (sandboxed, StrictUndefined, autoescaped) producing a small XML
vocabulary (`markup.py`), read into blocks by `builder.py`; user text reaches it only by
reference, so it can never be read as markup. Source notes are numbered in reading order
(`brief.py`), and their markers set where the clause citing them ends (`markers.py`).
"""

from briefgen.compose.brief import compose_document, iter_paragraphs
from briefgen.compose.spans import upper_case

__all__ = ["compose_document", "iter_paragraphs", "upper_case"]
