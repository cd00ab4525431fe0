# ruff: noqa: E501  (the parts are XML, one element to a line)
"""The one-pager's base document, `templates/one-pager/base.docx`, written from the XML below.

The base document is the Word file every DOCX starts from (python-docx opens it, briefgen
fills the body). This one holds only what briefgen needs: the default styles Word expects,
Word's built-in "heading 1" and "heading 2" (so the brief's headings are headings to Word),
the spacer style, an empty numbering part, a plain Office theme, and settings that keep the
embedded fonts. No unused styles, no thumbnail. The brief's sizes and colours are not here:
they come from template.yaml each time a DOCX is made.

Regenerate after changing the XML (a test fails while the shipped file differs):

    .venv/bin/python tests/render/base_document.py
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

BASE_DOCUMENT = Path(__file__).resolve().parents[2] / "templates" / "one-pager" / "base.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml"

CONTENT_TYPES = f"""{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{WORD}.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="{WORD}.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="{WORD}.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="{WORD}.fontTable+xml"/>
<Override PartName="/word/numbering.xml" ContentType="{WORD}.numbering+xml"/>
<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>
"""

PACKAGE_RELATIONSHIPS = f"""{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="{R}/extended-properties" Target="docProps/app.xml"/>
</Relationships>
"""

CORE_PROPERTIES = f"""{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title></dc:title>
<dc:creator>briefgen</dc:creator>
<cp:revision>1</cp:revision>
</cp:coreProperties>
"""

APP_PROPERTIES = f"""{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>briefgen</Application>
<DocSecurity>0</DocSecurity>
</Properties>
"""

DOCUMENT_RELATIONSHIPS = f"""{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{R}/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="{R}/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="{R}/fontTable" Target="fontTable.xml"/>
<Relationship Id="rId4" Type="{R}/numbering" Target="numbering.xml"/>
<Relationship Id="rId5" Type="{R}/theme" Target="theme/theme1.xml"/>
</Relationships>
"""

# An empty body; the section's page size and margins are set for each brief.
DOCUMENT = f"""{HEAD}<w:document xmlns:w="{W}" xmlns:r="{R}">
<w:body>
<w:sectPr>
<w:pgSz w:w="11906" w:h="16838"/>
<w:pgMar w:top="850" w:right="850" w:bottom="850" w:left="850" w:header="0" w:footer="0" w:gutter="0"/>
<w:cols w:space="720"/>
</w:sectPr>
</w:body>
</w:document>
"""

# Calibri for every run (the shipped Carlito's metric twin; see "Fonts" in the README), no
# ligatures, no space between paragraphs unless a style asks for it. "heading 1" and
# "heading 2" are Word's built-in headings: the brief's headline and section heading styles
# are based on them, so they carry outline levels 1 and 2 (0 and 1 in the file).
STYLES = f"""{HEAD}<w:styles xmlns:w="{W}" xmlns:mc="{MC}" xmlns:w14="{W14}" mc:Ignorable="w14">
<w:docDefaults>
<w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:eastAsia="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/><w14:ligatures w14:val="none"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="BriefSpacer"><w:name w:val="Brief Spacer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:semiHidden/><w:pPr><w:spacing w:after="0" w:line="20" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:style>
</w:styles>
"""

SETTINGS = f"""{HEAD}<w:settings xmlns:w="{W}">
<w:zoom w:percent="100"/>
<w:embedTrueTypeFonts/>
<w:saveSubsetFonts/>
<w:defaultTabStop w:val="720"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
</w:settings>
"""

# Calibri's classification, so Word finds a close font where Calibri is missing.
FONT_TABLE = f"""{HEAD}<w:fonts xmlns:w="{W}" xmlns:r="{R}">
<w:font w:name="Calibri"><w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>
</w:fonts>
"""

NUMBERING = f"""{HEAD}<w:numbering xmlns:w="{W}"/>
"""

# Word requires a theme; this one is plain, with Calibri as its fonts.
_FILLS = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3
_LINES = '<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>' * 3
_EFFECTS = "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
_FONTS = '<a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>'
_COLORS = "".join(f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>' for name, value in (
    ("dk2", "1F2937"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"),
    ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"), ("accent6", "70AD47"),
    ("hlink", "0563C1"), ("folHlink", "954F72")))
THEME = f"""{HEAD}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="briefgen">
<a:themeElements>
<a:clrScheme name="briefgen"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>{_COLORS}</a:clrScheme>
<a:fontScheme name="briefgen"><a:majorFont>{_FONTS}</a:majorFont><a:minorFont>{_FONTS}</a:minorFont></a:fontScheme>
<a:fmtScheme name="briefgen"><a:fillStyleLst>{_FILLS}</a:fillStyleLst><a:lnStyleLst>{_LINES}</a:lnStyleLst><a:effectStyleLst>{_EFFECTS}</a:effectStyleLst><a:bgFillStyleLst>{_FILLS}</a:bgFillStyleLst></a:fmtScheme>
</a:themeElements>
<a:objectDefaults/>
<a:extraClrSchemeLst/>
</a:theme>
"""

PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": PACKAGE_RELATIONSHIPS,
    "docProps/core.xml": CORE_PROPERTIES,
    "docProps/app.xml": APP_PROPERTIES,
    "word/document.xml": DOCUMENT,
    "word/_rels/document.xml.rels": DOCUMENT_RELATIONSHIPS,
    "word/styles.xml": STYLES,
    "word/settings.xml": SETTINGS,
    "word/fontTable.xml": FONT_TABLE,
    "word/numbering.xml": NUMBERING,
    "word/theme/theme1.xml": THEME,
}


def base_document_bytes() -> bytes:
    """The base document as a zip with fixed entry times, so it is the same on every run."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, text.encode("utf-8"))
    return output.getvalue()


if __name__ == "__main__":
    BASE_DOCUMENT.write_bytes(base_document_bytes())
    print(f"wrote {BASE_DOCUMENT} ({BASE_DOCUMENT.stat().st_size} bytes)")
