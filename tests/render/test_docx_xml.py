"""The WordprocessingML python-docx has no API for: each child where the schema's sequence
puts it (Word refuses a file whose children are out of order), in place of one already there,
before any extension element; lengths in whole twips."""

from __future__ import annotations

from typing import Any

import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from lxml import etree

from briefgen.render import docx_xml
from briefgen.render.docx_xml import LINE_BREAK, twips
from tests.render.cxml import element


def canonical(node: Any) -> bytes:
    """The element as exclusive canonical XML: namespaces declared where first used, so two
    trees that say the same compare equal wherever their declarations were written."""
    return bytes(etree.tostring(node, method="c14n", exclusive=True))


def assert_xml(actual: Any, expected: str) -> None:
    assert canonical(actual) == canonical(element(expected))


def test_the_properties_elements_are_briefgens_classes() -> None:
    for expression, kind in (("w:rPr", docx_xml.RunProperties),
                             ("w:pPr", docx_xml.ParagraphProperties),
                             ("w:tblPr", docx_xml.TableProperties),
                             ("w:tcPr", docx_xml.CellProperties),
                             ("w:settings", docx_xml.Settings),
                             ("w:numbering", docx_xml.Numbering)):
        assert isinstance(element(expression), kind)


# -- runs ------------------------------------------------------------------------------------


def test_a_raised_position_goes_between_the_colour_and_the_size() -> None:
    properties = element("w:rPr/(w:b,w:color{w:val=1C2530},w:sz{w:val=20})")
    docx_xml.set_position(properties, Pt(3))
    assert_xml(properties,
               "w:rPr/(w:b,w:color{w:val=1C2530},w:position{w:val=6},w:sz{w:val=20})")


def test_a_second_position_replaces_the_first() -> None:
    properties = element("w:rPr/(w:position{w:val=2},w:sz{w:val=20})")
    docx_xml.set_position(properties, Pt(4.5))
    assert_xml(properties, "w:rPr/(w:position{w:val=9},w:sz{w:val=20})")


def test_letter_spacing_goes_after_the_colour_and_before_the_kerning() -> None:
    properties = element("w:rPr/(w:color{w:val=000000},w:kern{w:val=2})")
    docx_xml.set_character_spacing(properties, twips(0.51))
    assert_xml(properties, "w:rPr/(w:color{w:val=000000},w:spacing{w:val=10},w:kern{w:val=2})")


def test_the_language_replaces_the_old_one_with_only_its_own_tag() -> None:
    properties = element("w:rPr/(w:sz{w:val=22},w:lang{w:val=en-US,w:eastAsia=zh-CN})")
    docx_xml.set_language(properties, "az")
    assert_xml(properties, "w:rPr/(w:sz{w:val=22},w:lang{w:val=az})")


def test_a_standard_child_goes_before_extension_elements() -> None:
    """Word writes its extensions (w14 ...) after every standard child."""
    properties = element("w:rPr/(w:sz{w:val=22},w14:ligatures{w14:val=standard})")
    docx_xml.set_language(properties, "fr-FR")
    assert_xml(properties,
               "w:rPr/(w:sz{w:val=22},w:lang{w:val=fr-FR},w14:ligatures{w14:val=standard})")


def test_no_ligatures_only_where_the_part_lets_older_readers_skip_them() -> None:
    plain = element("w:styles/w:style/w:rPr/w:sz{w:val=22}", "w14")
    docx_xml.set_no_ligatures(plain[0][0])
    assert_xml(plain, "w:styles/w:style/w:rPr/w:sz{w:val=22}")


def test_no_ligatures_are_the_last_child() -> None:
    styles = element("w:styles{mc:Ignorable=w14}/w:style/w:rPr/"
                     "(w14:ligatures{w14:val=standard},w:sz{w:val=22})")
    docx_xml.set_no_ligatures(styles[0][0])
    assert_xml(styles, "w:styles{mc:Ignorable=w14}/w:style/w:rPr/"
                       "(w:sz{w:val=22},w14:ligatures{w14:val=none})")


@pytest.mark.parametrize(("text", "expected"), [
    ("US-funded", 'w:r/(w:t"US",w:noBreakHyphen,w:t"funded")'),
    ("2026–2027", 'w:r/w:t"2026–\u20602027"'),
    (f"first{LINE_BREAK}second", 'w:r/(w:t"first",w:br,w:t"second")'),
])
def test_text_breaks_where_the_pdf_breaks(text: str, expected: str) -> None:
    run = element("w:r")
    docx_xml.add_text(run, text, break_at_hyphens=False)
    assert_xml(run, expected)


def test_text_with_spaces_at_its_ends_keeps_them() -> None:
    run = element("w:r")
    docx_xml.add_text(run, " and ", break_at_hyphens=True)
    assert run[0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_an_address_keeps_its_slashes_with_the_words_after_them() -> None:
    run = element("w:r")
    docx_xml.add_text(run, "example.org/report", break_at_hyphens=False, address=True)
    assert_xml(run, 'w:r/w:t"example.org/\u2060report"')


# -- paragraphs ------------------------------------------------------------------------------


def test_the_outline_level_goes_after_the_alignment_and_before_run_properties() -> None:
    properties = element("w:pPr/(w:pStyle{w:val=BriefBody},w:jc{w:val=right},w:rPr)")
    docx_xml.set_outline_level(properties, None)
    assert_xml(properties, "w:pPr/(w:pStyle{w:val=BriefBody},w:jc{w:val=right},"
                           "w:outlineLvl{w:val=9},w:rPr)")


def test_a_rule_is_a_bottom_border_after_the_numbering_and_before_the_spacing() -> None:
    properties = element("w:pPr/(w:numPr,w:spacing{w:after=0})")
    docx_xml.set_bottom_border(properties, "1C2530", 6)
    assert_xml(properties, "w:pPr/(w:numPr,w:pBdr/w:bottom{w:val=single,w:sz=6,w:space=0,"
                           "w:color=1C2530},w:spacing{w:after=0})")


def test_a_list_item_names_its_list_after_the_style() -> None:
    properties = element("w:pPr/(w:pStyle{w:val=BriefNote},w:ind{w:left=240})")
    docx_xml.set_numbering(properties, 3)
    assert_xml(properties, "w:pPr/(w:pStyle{w:val=BriefNote},w:numPr/(w:ilvl{w:val=0},"
                           "w:numId{w:val=3}),w:ind{w:left=240})")


def test_a_list_definition_comes_before_every_list() -> None:
    numbering = element("w:numbering/(w:abstractNum{w:abstractNumId=0},"
                        "w:num{w:numId=1}/w:abstractNumId{w:val=0})")
    docx_xml.add_abstract_numbering(numbering, 1, "Brief Note", twips(12), element("w:rPr/w:b"))
    assert [child.tag.rpartition("}")[2] for child in numbering] == [
        "abstractNum", "abstractNum", "num"]
    indent = numbering[1].find(".//{*}ind")
    assert (indent.get(qn("w:left")), indent.get(qn("w:hanging"))) == ("240", "240")


# -- tables ----------------------------------------------------------------------------------


def test_a_layout_table_has_its_width_indent_margins_and_look_in_schema_order() -> None:
    properties = element("w:tblPr/(w:tblStyle{w:val=Plain},w:tblW{w:type=auto,w:w=0},"
                         "w:tblLayout{w:type=fixed},w:tblLook{w:val=04A0})")
    docx_xml.set_layout_table(properties, twips(481.9))
    assert_xml(properties, "w:tblPr/(w:tblStyle{w:val=Plain},w:tblW{w:w=9638,w:type=dxa},"
                           "w:tblInd{w:w=0,w:type=dxa},w:tblLayout{w:type=fixed},"
                           "w:tblCellMar/(w:top{w:w=0,w:type=dxa},w:left{w:w=0,w:type=dxa},"
                           "w:bottom{w:w=0,w:type=dxa},w:right{w:w=0,w:type=dxa}),"
                           "w:tblLook{w:val=0000,w:firstRow=0,w:lastRow=0,w:firstColumn=0,"
                           "w:lastColumn=0,w:noHBand=1,w:noVBand=1})")


def test_a_table_at_the_foot_is_positioned_right_after_its_style() -> None:
    properties = element("w:tblPr/(w:tblStyle{w:val=Plain},w:tblW{w:w=100,w:type=dxa})")
    docx_xml.set_position_at_foot(properties, twips(56.7))
    assert_xml(properties, "w:tblPr/(w:tblStyle{w:val=Plain},w:tblpPr{w:leftFromText=0,"
                           "w:rightFromText=0,w:topFromText=0,w:bottomFromText=0,"
                           "w:vertAnchor=margin,w:horzAnchor=page,w:tblpX=1134,"
                           "w:tblpYSpec=bottom},w:tblOverlap{w:val=never},"
                           "w:tblW{w:w=100,w:type=dxa})")


def test_a_cells_borders_shading_and_margins_go_between_its_width_and_alignment() -> None:
    properties = element("w:tcPr/(w:tcW{w:w=4000,w:type=dxa},w:vAlign{w:val=center})")
    docx_xml.set_cell_margins(properties, [twips(6), twips(8.5), twips(6), twips(8.5)])
    docx_xml.set_cell_shading(properties, "EEF2F5")
    docx_xml.set_cell_borders(properties, [("left", "C8102E", 16)])
    assert_xml(properties, "w:tcPr/(w:tcW{w:w=4000,w:type=dxa},w:tcBorders/w:left{"
                           "w:val=single,w:sz=16,w:space=0,w:color=C8102E},w:shd{w:val=clear,"
                           "w:color=auto,w:fill=EEF2F5},w:tcMar/(w:top{w:w=120,w:type=dxa},"
                           "w:left{w:w=170,w:type=dxa},w:bottom{w:w=120,w:type=dxa},"
                           "w:right{w:w=170,w:type=dxa}),w:vAlign{w:val=center})")


# -- settings and lengths --------------------------------------------------------------------


def test_embedded_fonts_are_set_after_the_zoom_and_before_the_tab_stops() -> None:
    settings = element("w:settings/(w:zoom{w:percent=100},w:saveSubsetFonts,"
                       "w:defaultTabStop{w:val=720},w14:docId{w14:val=1})")
    docx_xml.embed_fonts(settings)
    assert_xml(settings, "w:settings/(w:zoom{w:percent=100},w:embedTrueTypeFonts,"
                         "w:saveSubsetFonts,w:defaultTabStop{w:val=720},w14:docId{w14:val=1})")


def test_lengths_are_whole_twips_rounded_to_the_nearest() -> None:
    assert twips(0.51) == Twips(10)
    # 12.5005 twips: python-docx's Pt drops the fraction of an EMU first and gets 12.
    assert twips(0.625025).twips == 13 and Pt(0.625025).twips == 12
