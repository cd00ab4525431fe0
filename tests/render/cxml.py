"""One-line XML for tests of XML helpers, as python-docx's tests write it (`unitutil/cxml.py`).

    w:rPr/(w:b,w:sz{w:val=20})      <w:rPr><w:b/><w:sz w:val="20"/></w:rPr>
    w:p/w:r/w:t"Hello"              <w:p><w:r><w:t>Hello</w:t></w:r></w:p>

An element is a prefixed name, then its attributes in braces, then its text in double
quotes; `/` gives it one child, `/( , )` several. The namespaces are python-docx's (and
markup compatibility's, `mc`), declared on the root: those used, and any others named.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from docx.oxml.ns import nsmap
from docx.oxml.parser import parse_xml

from briefgen.render.ooxml import MARKUP_COMPATIBILITY

NAMESPACES = {**nsmap, "mc": MARKUP_COMPATIBILITY}
_NAME = re.compile(r"[A-Za-z][\w.-]*(?::[A-Za-z][\w.-]*)?")


class _Node(NamedTuple):
    name: str
    attributes: list[tuple[str, str]]
    text: str | None
    children: list[_Node]


def element(expression: str, *declared: str) -> Any:
    """The element (python-docx's class for its tag) that `expression` writes; `declared`:
    namespace prefixes to declare on it though it does not use them."""
    return parse_xml(xml(expression, *declared))


def xml(expression: str, *declared: str) -> str:
    """The XML that `expression` writes."""
    parser = _Parser(expression)
    node = parser.element()
    if parser.position != len(expression):
        raise ValueError(f"unexpected {expression[parser.position:]!r} in {expression!r}")
    prefixes = sorted(_prefixes(node) | set(declared))
    declarations = "".join(f' xmlns:{prefix}="{NAMESPACES[prefix]}"' for prefix in prefixes)
    return _render(node, declarations)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def take(self, token: str) -> bool:
        if self.text.startswith(token, self.position):
            self.position += len(token)
            return True
        return False

    def name(self) -> str:
        found = _NAME.match(self.text, self.position)
        if found is None:
            raise ValueError(f"a name expected at {self.text[self.position:]!r}")
        self.position = found.end()
        return found.group()

    def element(self) -> _Node:
        name = self.name()
        attributes: list[tuple[str, str]] = []
        if self.take("{"):
            while True:
                key = self.name()
                self.take("=")
                end = min(index for index in (self.text.find(",", self.position),
                                              self.text.find("}", self.position)) if index >= 0)
                attributes.append((key, self.text[self.position:end]))
                self.position = end
                if self.take("}"):
                    break
                self.take(",")
        text = None
        if self.take('"'):
            end = self.text.index('"', self.position)
            text, self.position = self.text[self.position:end], end + 1
        children: list[_Node] = []
        if self.take("/"):
            if self.take("("):
                children.append(self.element())
                while self.take(","):
                    children.append(self.element())
                if not self.take(")"):
                    raise ValueError(f"a ')' expected at {self.text[self.position:]!r}")
            else:
                children.append(self.element())
        return _Node(name, attributes, text, children)


def _prefixes(node: _Node) -> set[str]:
    found = {name.split(":")[0] for name in (node.name, *(key for key, _ in node.attributes))
             if ":" in name}
    for child in node.children:
        found |= _prefixes(child)
    return found


def _render(node: _Node, declarations: str = "") -> str:
    attributes = "".join(f" {key}={quoteattr(value)}" for key, value in node.attributes)
    inside = escape(node.text or "") + "".join(_render(child) for child in node.children)
    if not inside:
        return f"<{node.name}{declarations}{attributes}/>"
    return f"<{node.name}{declarations}{attributes}>{inside}</{node.name}>"
