"""Markup in a brief's texts as XLIFF inline tags, which translation tools protect.

`[@id]`, `[@+id]` (a figure) and `[^id]` (a source's note marker) become `<x/>`: an empty tag
for something printed from the brief's data. `**bold**`, `*italic*` and `[words](url)`
become `<g>` around their words, which are translated inside the tag. Translation tools show
both as locked tags that can be moved but not edited; a figure's id and a link's address are
not in the file's text at all, so they cannot be changed or broken.

On the way back each tag must be there exactly once, and the translation is written as
markup that parses back to exactly what the translator's file says: a `*` or `[` the
translator typed is escaped rather than read as markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from briefgen.errors import BriefgenBug
from briefgen.spec.inline import (
    Cite,
    Emphasis,
    Inline,
    Link,
    SourceCite,
    Strong,
    Text,
    parse_inline,
)


class TagError(Exception):
    """A translation whose tags do not match its source's."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Tag:
    """One protected piece of markup in a source text: `<x/>` or `<g>`, numbered from 1."""

    id: str
    node: Inline

    @property
    def wraps_words(self) -> bool:
        """`<g>` (bold, italic, a link: words inside) rather than `<x/>`."""
        return isinstance(self.node, Strong | Emphasis | Link)

    def describe(self) -> str:
        """`tag 2 ([@displaced])`, `tag 3 (bold)`: how messages and notes name it."""
        node = self.node
        if isinstance(node, Strong):
            what = "bold"
        elif isinstance(node, Emphasis):
            what = "italic"
        elif isinstance(node, Link):
            what = f"link to {node.url}"
        else:
            what = atomic_markup(node)
        return f"tag {self.id} ({what})"


def tag_source(text: str) -> tuple[str, dict[str, Tag]]:
    """The content of `<source>` for a spec text (inline XML), and its tags by id.

    Tags are numbered in reading order, outer before inner.
    """
    tags: dict[str, Tag] = {}

    def convert(nodes: tuple[Inline, ...]) -> str:
        parts = []
        for node in nodes:
            if isinstance(node, Text):
                parts.append(escape(node.text))
                continue
            tag = Tag(str(len(tags) + 1), node)
            tags[tag.id] = tag
            if isinstance(node, Strong | Emphasis | Link):
                ctype = ("bold" if isinstance(node, Strong) else
                         "italic" if isinstance(node, Emphasis) else "link")
                parts.append(f'<g id="{tag.id}" ctype="{ctype}">{convert(node.children)}</g>')
            else:
                kind = "figure" if isinstance(node, Cite) else "source"
                parts.append(f'<x id="{tag.id}" ctype="x-briefgen-{kind}" '
                             f"equiv-text={quoteattr(atomic_markup(node))}/>")
        return "".join(parts)

    return convert(parse_inline(text)), tags


def atomic_markup(node: Inline) -> str:
    """The markup of a node that holds no words: `[@id]`, `[@+id]`, `[^id]`."""
    if isinstance(node, Cite):
        return f"[@{'+' if node.with_prefix else ''}{node.stat_id}]"
    if isinstance(node, SourceCite):
        return f"[^{node.source_id}]"
    raise BriefgenBug(f"no markup for {node!r}")


def content_signature(element: ET.Element) -> tuple[object, ...]:
    """What a `<source>` or `<target>` says, for comparing two of them: text with white
    space collapsed, and the tags by id. Segment markers (`<mrk>`) that tools add are
    transparent."""
    items: list[object] = []

    def add_text(text: str | None) -> None:
        if not text:
            return
        if items and isinstance(items[-1], str):
            items[-1] += text
        else:
            items.append(text)

    def walk(parent: ET.Element) -> None:
        add_text(parent.text)
        for child in parent:
            name = local_name(child.tag)
            if name == "mrk":
                walk(child)
            else:
                inner = content_signature(child) if name == "g" else ()
                items.append((name, child.get("id"), inner))
            add_text(child.tail)

    walk(element)
    collapsed = [_SPACE.sub(" ", item) if isinstance(item, str) else item for item in items]
    if collapsed and isinstance(collapsed[0], str):
        collapsed[0] = collapsed[0].lstrip()
    if collapsed and isinstance(collapsed[-1], str):
        collapsed[-1] = collapsed[-1].rstrip()
    return tuple(item for item in collapsed if item != "")


def markup_from_target(element: ET.Element, tags: dict[str, Tag], *,
                       literal: bool = False) -> str:
    """The translation in `<target>` as spec markup; `TagError` when its tags are broken.

    A `literal` text (printed as typed, without markup) comes back as its words alone.
    """
    used: Counter[str] = Counter()

    def convert(parent: ET.Element) -> list[Inline]:
        nodes: list[Inline] = [Text(parent.text)] if parent.text else []
        for child in parent:
            name = local_name(child.tag)
            if name == "mrk":
                nodes += convert(child)
            elif name in {"x", "g"}:
                tag_id = child.get("id") or ""
                tag = tags.get(tag_id)
                if tag is None:
                    raise TagError(f"has a tag <{name} id={tag_id!r}> that the source does not "
                                   "have", "keep only the tags of the source, each once")
                if tag.wraps_words != (name == "g"):
                    raise TagError(f"{tag.describe()} is <{name}> here but not in the source",
                                   "copy the tag from the source")
                used[tag_id] += 1
                if name == "x":
                    nodes.append(tag.node)
                else:
                    nodes.append(_with_children(tag.node, tuple(convert(child))))
            else:
                raise TagError(f"contains a <{name}> tag, which the exported file did not have",
                               "keep only the tags of the source, each once")
            if child.tail:
                nodes.append(Text(child.tail))
        return nodes

    nodes = convert(element)
    missing = [tag.describe() for tag_id, tag in tags.items() if not used[tag_id]]
    if missing:
        raise TagError(f"lacks {_join(missing)}",
                       "put each tag of the source into the translation once; tags may move")
    repeated = [tags[tag_id].describe() for tag_id, count in used.items() if count > 1]
    if repeated:
        raise TagError(f"has {_join(repeated)} more than once",
                       "each tag of the source must be in the translation exactly once")
    if literal:
        return "".join(node.text for node in _tidy(nodes, top=True)
                       if isinstance(node, Text))
    return markup_from_nodes(nodes)


def markup_from_nodes(nodes: list[Inline]) -> str:
    """Spec markup that `parse_inline` reads back as `nodes` (white space tidied as it would
    be); `TagError` when no markup can say it, e.g. bold text left empty."""
    tidy = _tidy(nodes, top=True)
    for escaped in (False, True):
        markup = _render(tidy, escaped)
        if parse_inline(markup) == tidy:
            return markup
    raise TagError("mixes bold, italic and stars in a way the brief's markup cannot write",
                   "simplify the formatting of this text, or move a tag")


def local_name(tag: str) -> str:
    """`g` for `{urn:oasis:names:tc:xliff:document:1.2}g`."""
    return tag.rsplit("}", 1)[-1]


_SPACE = re.compile(r"\s+")


def _collapse(text: str) -> str:
    # As `normalize_space` does, without trimming: a run holding a no-break space stays one.
    return _SPACE.sub(lambda match: "\u00a0" if "\u00a0" in match.group() else " ", text)


def _tidy(nodes: list[Inline], *, top: bool) -> tuple[Inline, ...]:
    """Nodes as `parse_inline` would give them back: adjacent text merged, white space
    collapsed and, at the ends of bold, italic and links, moved outside them (markup cannot
    hold it there: `* word*` is not italic)."""
    flat: list[Inline] = []
    for node in nodes:
        if isinstance(node, Strong | Emphasis | Link):
            children = list(_tidy(list(node.children), top=False))
            lead = trail = ""
            if children and isinstance(children[0], Text):
                first = children[0].text
                lead = first[: len(first) - len(first.lstrip())]
                children[0] = Text(first.lstrip())
            if children and isinstance(children[-1], Text):
                last = children[-1].text
                trail = last[len(last.rstrip()):]
                children[-1] = Text(last.rstrip())
            children = [child for child in children if child != Text("")]
            if not children:
                raise TagError(f"leaves {_kind(node)} without words",
                               "put the translated words inside the tag")
            flat += [Text(lead), _with_children(node, tuple(children)), Text(trail)]
        else:
            flat.append(node)
    merged: list[Inline] = []
    for node in flat:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    result = [Text(_collapse(node.text)) if isinstance(node, Text) else node for node in merged]
    if top and result and isinstance(result[0], Text):
        result[0] = Text(result[0].text.lstrip())
    if top and result and isinstance(result[-1], Text):
        result[-1] = Text(result[-1].text.rstrip())
    return tuple(node for node in result if node != Text(""))


def _render(nodes: tuple[Inline, ...], escaped: bool) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(re.sub(r"([\\*\[\]])", r"\\\1", node.text) if escaped else node.text)
        elif isinstance(node, Strong):
            parts.append(f"**{_render(node.children, escaped)}**")
        elif isinstance(node, Emphasis):
            parts.append(f"*{_render(node.children, escaped)}*")
        elif isinstance(node, Link):
            parts.append(f"[{_render(node.children, escaped)}]({node.url})")
        else:
            parts.append(atomic_markup(node))
    return "".join(parts)


def _with_children(node: Inline, children: tuple[Inline, ...]) -> Inline:
    if isinstance(node, Strong):
        return Strong(children)
    if isinstance(node, Emphasis):
        return Emphasis(children)
    if isinstance(node, Link):
        return Link(node.url, children)
    raise BriefgenBug(f"{node!r} holds no words")


def _kind(node: Inline) -> str:
    return ("the bold text" if isinstance(node, Strong) else
            "the italic text" if isinstance(node, Emphasis) else "the link")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
