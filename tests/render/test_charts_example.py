"""The example's chart in every version: a tagged figure drawn as vectors in the PDF, a native
Word chart with its workbook in the DOCX, the same description in both, and the same words.

How the words compare honestly: the example's chart is a stacked bar, which draws no words
in either file (its key is text under it, compared with the rest of the page by
`test_docx.py`). A chart that labels its values draws them in the PDF as text and in Word as
the chart's own labels, which LibreOffice sets in its own way; so `test_a_labelled_chart...`
takes the chart's labels out of both files' words before comparing the rest, and checks the
labels on their own: in the PDF's text, and in the DOCX as the chart's cached values with the
number formats that print them.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from briefgen.engine.batch import BuildOptions, run_specs
from tests.support import (
    MINIMAL_TEXT,
    BuiltBriefs,
    expected_versions,
    pdf_text,
    replace_once,
    require_tool,
)

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
EXAMPLE_AUDIENCES = [audience_id for audience_id, _, _ in expected_versions("example")]


def figure_descriptions(path: Path) -> list[str]:
    """The /Alt of every Figure in the PDF's structure tree, in reading order."""
    reader = PdfReader(path)
    found: list[str] = []

    def visit(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for kid in node:
                visit(kid)
        elif isinstance(node, DictionaryObject):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node and node.get("/Type") != "/OBJR":
                visit(node["/K"])

    visit(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def docx_charts(path: Path) -> list[tuple[str, etree._Element, bytes]]:
    """Each chart of a DOCX: its description, its chart part and its workbook."""
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        charts = []
        for frame in document.iter(f"{{{WP}}}inline"):
            if frame.find(f".//{{{C}}}chart") is None:
                continue
            description = frame.find(f"{{{WP}}}docPr").get("descr")
            number = len(charts) + 1
            part = etree.fromstring(archive.read(f"word/charts/chart{number}.xml"))
            workbook = archive.read(f"word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx")
            charts.append((description, part, workbook))
    return charts


@pytest.mark.parametrize("audience_id", EXAMPLE_AUDIENCES)
def test_every_version_carries_the_chart_in_both_files(built_briefs: BuiltBriefs,
                                                       audience_id: str | None) -> None:
    from openpyxl import load_workbook

    built = built_briefs.versions[("example", audience_id)]
    pdf_figures = figure_descriptions(built.pdf)
    (chart,) = docx_charts(built.docx)
    description, part, workbook = chart
    assert description in pdf_figures  # the same words for readers of either file
    assert description.count("95") == 1 and description.count("5") >= 2, description
    assert "ANAMA" in description and "2023" in description
    # The PDF draws it as vectors: the page's only picture is the logo.
    assert len(PdfReader(built.pdf).pages[0]["/Resources"]["/XObject"]) == 1
    # The Word chart's cached values and its workbook hold the figures themselves.
    cached = [float(value) for value in part.xpath("//c:val//c:pt/c:v/text()",
                                                   namespaces={"c": C})]
    assert cached == [95.0, 5.0]
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert [sheet["B2"].value, sheet["C2"].value] == [95, 5]
    assert sheet["B2"].number_format == '"~"0"%"' or "%" in sheet["B2"].number_format


LABELLED = MINIMAL_TEXT + """sources:
  - id: ministry
    title: Casualty report
    publisher: Ministry
    date: 2025-01-10
    url: https://example.org/ministry
charts:
  - id: casualties
    type: column
    title: Mine casualties
    categories: ["2021", "2022", "2023", "2024"]
    series:
      - values: [145, 63, 51, 41]
        source: ministry
        as_of: 2024-12-31
"""


@pytest.mark.tools
def test_a_labelled_chart_reads_the_same_in_both_files(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(replace_once(LABELLED, "We ask donors", "Casualties fell [@casualties]. "
                                 "We ask donors"), encoding="utf-8")
    report = run_specs([spec], BuildOptions(out=tmp_path / "out", force=True, jobs=1))
    assert not report.failed, [problem for result in report.failed for problem in result.problems]
    (built,) = report.built
    assert built.pdf is not None and built.docx is not None
    soffice = require_tool("soffice")
    subprocess.run([soffice, "--headless", "--norestore",
                    f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(built.docx)],
                   capture_output=True, timeout=180, check=False)
    rendering = tmp_path / "lo" / (built.docx.stem + ".pdf")
    assert rendering.is_file()
    labels = ["145", "63", "51", "41", "2021", "2022", "2023", "2024"]
    pdf_words = pdf_text(built.pdf).split()
    for label in labels:  # the PDF prints every label as text
        assert label in pdf_words
    (chart,) = docx_charts(built.docx)
    _, part, _ = chart
    assert part.xpath("//c:cat//c:pt/c:v/text()", namespaces={"c": C}) == labels[4:]
    assert part.xpath("//c:val//c:pt/c:v/text()", namespaces={"c": C}) == labels[:4]
    assert part.xpath("//c:dLbls/c:numFmt/@formatCode", namespaces={"c": C}) == ["0"]

    def rest(words: list[str]) -> list[str]:
        remaining = list(words)
        for label in labels:
            if label in remaining:
                remaining.remove(label)
        return remaining

    docx_words = pdf_text(rendering).split()
    assert sorted(rest(pdf_words)) == sorted(rest(docx_words))
    assert "(see" in pdf_words and "chart)." in pdf_words
