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
    _merge_text,
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

    @property
    def name(self) -> str:
        """`tag 2 ([@displaced])`, `tag 3 (bold)`: how messages and notes name it."""
        match self.node:
            case Strong():
                what = "bold"
            case Emphasis():
                what = "italic"
            case Link(url=url):
                what = f"link to {url}"
            case node:
                what = atomic_markup(node)
        return f"tag {self.id} ({what})"


def tag_source(text: str) -> tuple[str, dict[str, Tag]]:
    """The content of `<source>` for a spec text (inline XML), and its tags by id.

    Tags are numbered in reading order, outer before inner.
    """
    tags: dict[str, Tag] = {}

    def convert(nodes: tuple[Inline, ...]) -> str:
        return "".join(escape(node.text) if isinstance(node, Text) else tagged(node)
                       for node in nodes)

    def tagged(node: Inline) -> str:
        tag = Tag(str(len(tags) + 1), node)
        tags[tag.id] = tag
        match node:
            case Strong() | Emphasis() | Link():
                return (f'<g id="{tag.id}" ctype="{_G_TYPES[type(node)]}">'
                        f"{convert(node.children)}</g>")
            case _:
                kind = "figure" if isinstance(node, Cite) else "source"
                return (f'<x id="{tag.id}" ctype="x-briefgen-{kind}" '
                        f"equiv-text={quoteattr(atomic_markup(node))}/>")

    return convert(parse_inline(text)), tags


# The `ctype` of a `<g>` tag: XLIFF 1.2's names for bold, italic and a link.
_G_TYPES: dict[type, str] = {Strong: "bold", Emphasis: "italic", Link: "link"}


def atomic_markup(node: Inline) -> str:
    """The markup of a node that holds no words: `[@id]`, `[@+id]`, `[^id]`."""
    match node:
        case Cite(stat_id=stat_id, with_prefix=with_prefix):
            return f"[@{'+' if with_prefix else ''}{stat_id}]"
        case SourceCite(source_id=source_id):
            return f"[^{source_id}]"
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
    reader = _TargetReader(tags)
    nodes = reader.nodes(element)
    reader.check_each_tag_once()
    if literal:
        return "".join(node.text for node in _as_parsed(nodes, top=True)
                       if isinstance(node, Text))
    return markup_from_nodes(nodes)


class _TargetReader:
    """Reads a `<target>` back into nodes, counting the source's tags it uses."""

    def __init__(self, tags: dict[str, Tag]) -> None:
        self.tags = tags
        self.used: Counter[str] = Counter()

    def nodes(self, parent: ET.Element) -> list[Inline]:
        nodes: list[Inline] = [Text(parent.text)] if parent.text else []
        for child in parent:
            name = local_name(child.tag)
            if name == "mrk":  # a segment mark a tool added: transparent
                nodes += self.nodes(child)
            elif name in {"x", "g"}:
                nodes.append(self._tagged(child, name))
            else:
                raise TagError(f"contains a <{name}> tag, which the exported file did not have",
                               "keep only the tags of the source, each once")
            if child.tail:
                nodes.append(Text(child.tail))
        return nodes

    def _tagged(self, element: ET.Element, name: str) -> Inline:
        """The source's node for an `<x/>`, or for a `<g>` around the translated words."""
        tag_id = element.get("id") or ""
        tag = self.tags.get(tag_id)
        if tag is None:
            raise TagError(f"has a tag <{name} id={tag_id!r}> that the source does not have",
                           "keep only the tags of the source, each once")
        if tag.wraps_words != (name == "g"):
            raise TagError(f"{tag.name} is <{name}> here but not in the source",
                           "copy the tag from the source")
        self.used[tag_id] += 1
        if name == "x":
            return tag.node
        return _with_children(tag.node, tuple(self.nodes(element)))

    def check_each_tag_once(self) -> None:
        missing = [tag.name for tag_id, tag in self.tags.items() if not self.used[tag_id]]
        if missing:
            raise TagError(f"lacks {_join(missing)}",
                           "put each tag of the source into the translation once; tags may move")
        repeated = [self.tags[tag_id].name for tag_id, count in self.used.items() if count > 1]
        if repeated:
            raise TagError(f"has {_join(repeated)} more than once",
                           "each tag of the source must be in the translation exactly once")


def markup_from_nodes(nodes: list[Inline]) -> str:
    """Spec markup that `parse_inline` reads back as `nodes` (white space tidied as it would
    be); `TagError` when no markup can say it, e.g. bold text left empty."""
    parsed = _as_parsed(nodes, top=True)
    for escaped in (False, True):
        markup = _render(parsed, escaped)
        if parse_inline(markup) == parsed:
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


def _as_parsed(nodes: list[Inline], *, top: bool) -> tuple[Inline, ...]:
    """Nodes as `parse_inline` would give them back: adjacent text merged, white space
    collapsed and, at the ends of bold, italic and links, moved outside them (markup cannot
    hold it there: `* word*` is not italic)."""
    flat = [piece for node in nodes for piece in _space_outside(node)]
    merged = [Text(_collapse(node.text)) if isinstance(node, Text) else node
              for node in _merge_text(flat)]
    if top:
        merged = _trimmed(merged)[1]
    return tuple(node for node in merged if node != Text(""))


def _space_outside(node: Inline) -> list[Inline]:
    """Bold, italic or a link with the white space at its ends moved before and after it."""
    if not isinstance(node, Strong | Emphasis | Link):
        return [node]
    lead, children, trail = _trimmed(list(_as_parsed(list(node.children), top=False)))
    children = [child for child in children if child != Text("")]
    if not children:
        raise TagError(f"leaves {_kind(node)} without words",
                       "put the translated words inside the tag")
    return [Text(lead), _with_children(node, tuple(children)), Text(trail)]


def _trimmed(nodes: list[Inline]) -> tuple[str, list[Inline], str]:
    """The white space at the start of `nodes`, `nodes` without white space at their ends,
    and the white space at their end."""
    nodes = list(nodes)
    lead = trail = ""
    if nodes and isinstance(nodes[0], Text):
        first = nodes[0].text
        lead = first[: len(first) - len(first.lstrip())]
        nodes[0] = Text(first.lstrip())
    if nodes and isinstance(nodes[-1], Text):
        last = nodes[-1].text
        trail = last[len(last.rstrip()):]
        nodes[-1] = Text(last.rstrip())
    return lead, nodes, trail


def _render(nodes: tuple[Inline, ...], escaped: bool) -> str:
    return "".join(_rendered(node, escaped) for node in nodes)


def _rendered(node: Inline, escaped: bool) -> str:
    match node:
        case Text(text=text):
            return re.sub(r"([\\*\[\]])", r"\\\1", text) if escaped else text
        case Strong(children=children):
            return f"**{_render(children, escaped)}**"
        case Emphasis(children=children):
            return f"*{_render(children, escaped)}*"
        case Link(url=url, children=children):
            return f"[{_render(children, escaped)}]({url})"
    return atomic_markup(node)


def _with_children(node: Inline, children: tuple[Inline, ...]) -> Inline:
    match node:
        case Strong():
            return Strong(children)
        case Emphasis():
            return Emphasis(children)
        case Link(url=url):
            return Link(url, children)
    raise BriefgenBug(f"{node!r} holds no words")


def _kind(node: Inline) -> str:
    names = {Strong: "the bold text", Emphasis: "the italic text"}
    return names.get(type(node), "the link")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
