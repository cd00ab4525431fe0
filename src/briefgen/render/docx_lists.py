"""Word-numbered lists: the numbered paragraphs of a list counted 1, 2, 3 ... by Word, each
list's definition made once per style."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from briefgen.document import Group, Paragraph, ParagraphStyle
from briefgen.render import docx_xml
from briefgen.render.docx_package import EMPTY_NUMBERING
from briefgen.render.docx_styles import style_display_name
from briefgen.render.docx_xml import twips


class WordLists:
    """The lists of one document (`label`: the run properties of a list's numbers in
    paragraphs of a style)."""

    def __init__(self, word: Any, styles: dict[str, ParagraphStyle],
                 label: Callable[[ParagraphStyle], BaseOxmlElement]) -> None:
        self.word = word
        self.styles = styles
        self.label = label
        self.lists: dict[str, tuple[int, int]] = {}  # style -> (numId, last number)
        self.abstract_lists: dict[str, int] = {}  # style -> abstractNumId

    def numbers(self, group: Group) -> dict[int, int]:
        """id(paragraph) -> Word numbering (numId) of the group's numbered paragraphs, when
        they count 1, 2, 3 ... (continuing a list of the same style where it left off, as
        the source notes do across columns); empty for other labels, which stay typed."""
        items = [block for block in group.blocks
                 if isinstance(block, Paragraph) and block.number is not None]
        if not items:
            return {}
        try:
            numbers = [int(item.number or "") for item in items]
        except ValueError:
            return {}
        style_names = {item.style for item in items}
        if len(style_names) != 1 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            return {}
        style_name = style_names.pop()
        previous = self.lists.get(style_name)
        if previous is not None and previous[1] + 1 == numbers[0]:
            number_id = previous[0]
        else:
            number_id = self.new_list(style_name, numbers[0])
        self.lists[style_name] = (number_id, numbers[-1])
        return {id(item): number_id for item in items}

    def new_list(self, style_name: str, start: int) -> int:
        """A Word list (w:num) for paragraphs of `style_name`, counting from `start`."""
        numbering = self.numbering_element()
        abstract_id = self.abstract_lists.get(style_name)
        if abstract_id is None:
            style = self.styles[style_name]
            existing = [int(item.get(qn("w:abstractNumId"), "0"))
                        for item in numbering.findall(qn("w:abstractNum"))]
            abstract_id = self.abstract_lists[style_name] = max(existing, default=-1) + 1
            docx_xml.add_abstract_numbering(numbering, abstract_id,
                                            style_display_name(style_name),
                                            twips(style.indent), self.label(style))
        word_list = numbering.add_num(abstract_id)
        if start != 1:
            word_list.add_lvlOverride(0).add_startOverride(start)
        return int(word_list.numId)

    def numbering_element(self) -> Any:
        """The numbering part's root, the part added when the base document has none."""
        word_part = self.word.part
        try:
            part = word_part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)
        except KeyError:  # python-docx cannot make a numbering part; an empty one
            from docx.parts.numbering import NumberingPart

            part = NumberingPart.load(PackURI("/word/numbering.xml"),
                                      CONTENT_TYPE.WML_NUMBERING, EMPTY_NUMBERING,
                                      word_part.package)
            word_part.relate_to(part, RELATIONSHIP_TYPE.NUMBERING)
        return part.element
