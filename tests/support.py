"""What tests share besides fixtures: the specs' paths, external tools, expectations read
from the specs' YAML, one build's files, LibreOffice layouts and small spec-writing helpers.

Imported as `from tests.support import ...`; the fixtures built on these are in conftest.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from briefgen.engine.batch import BuildOptions, UnitResult, run_specs
from briefgen.errors import UserError

if TYPE_CHECKING:
    from briefgen.document import Document
    from briefgen.resolve.view import BriefView

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SPECS = TESTS / "specs"
GOLDEN = TESTS / "golden"
EXAMPLE_SPEC = ROOT / "briefs" / "masg-2025.yaml"
MINIMAL_SPEC = SPECS / "minimal.yaml"
FULL_SPEC = SPECS / "full.yaml"
# Plain filler words for specs that must be long (fit and word-count tests).
LOREM = [
    "donors", "fund", "clearance", "teams", "that", "survey", "land", "so", "families", "can",
    "return", "home", "safely", "and", "rebuild", "schools", "clinics", "roads", "farms",
    "while", "survivors", "receive", "care", "education", "and", "support", "across",
    "districts", "where", "contamination", "remains", "high",
]


def filler_words(count: int, offset: int = 0) -> str:
    """`count` words of plausible brief text, starting `offset` words into the list."""
    return " ".join(LOREM[(offset + index) % len(LOREM)] for index in range(count))


# Four key figures and their source: the sidebar they fill narrows the text column, so a
# long text overflows the page while staying under the word limit.
FOUR_FIGURES = "stats:\n" + "".join(
    f"  - id: figure-{index}\n    value: {1000 + index}\n    label: {filler_words(6, index)}\n"
    "    source: report\n" for index in range(4)) + (
    "sources:\n  - id: report\n    title: Annual report\n    publisher: Agency\n"
    "    date: 2025-01-01\n    url: https://example.org/report\n")


# Stats and sources that pass every rule, shared by the fact-file and check tests.
FACTS_TEXT = (SPECS / "facts.yaml").read_text(encoding="utf-8")
SPEC_FILES = {"example": EXAMPLE_SPEC, "full": FULL_SPEC, "minimal": MINIMAL_SPEC}
LIBREOFFICE_TIMEOUT = 180


# ---------------------------------------------------------------------------------------------
# External tools


def require_tool(name: str) -> str:
    """The path of an external program; skip the test without it, but fail in CI.

    Why: CI (CI=true) installs every tool, so a missing one there is a broken setup that must
    not pass silently as a skip.
    """
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (see README: poppler-utils, qpdf, LibreOffice)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true, so this is an error, not a skip", pytrace=False)
        pytest.skip(message)
    return path


def run_tool(name: str, *arguments: str | Path, timeout: float = 60
             ) -> subprocess.CompletedProcess[str]:
    """Run an external program (skipping or failing as `require_tool` does when it is missing)."""
    executable = require_tool(name)
    return subprocess.run([executable, *map(str, arguments)], capture_output=True, text=True,
                          timeout=timeout, check=False)


def pdf_text(path: Path) -> str:
    """Plain `pdftotext` output of a PDF (UTF-8)."""
    result = run_tool("pdftotext", "-enc", "UTF-8", path, "-")
    assert result.returncode == 0, f"pdftotext failed on {path}: {result.stderr}"
    return result.stdout


def collapse_space(text: str) -> str:
    """All runs of white space (line breaks, no-break spaces) as one plain space."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Spec data, read with plain YAML so tests derive expectations independently of briefgen


def spec_data(name: str) -> dict:
    return yaml.safe_load(SPEC_FILES[name].read_text(encoding="utf-8"))


def expected_versions(name: str) -> list[tuple[str | None, str, str]]:
    """(audience id, language, page) of every version a spec builds, from its YAML."""
    data = spec_data(name)
    brief = data["brief"]
    language = brief.get("language", "en")
    page = brief.get("page", "A4")
    audiences = data.get("audiences") or []
    if not audiences:
        return [(None, language, page)]
    return [(audience["id"], audience.get("language") or language, audience.get("page") or page)
            for audience in audiences]


def localized(value: object, language: str) -> object:
    """A spec text for one language: plain text as is; `{en: ..., fr: ...}` by language tag."""
    if not isinstance(value, dict):
        return value
    for candidate in (language, language.split("-")[0]):
        if candidate in value:
            return value[candidate]
    raise KeyError(f"no text for {language!r} in {value!r}")


def expected_stem(name: str, audience_id: str | None, language: str) -> str:
    brief = spec_data(name)["brief"]
    parts = [brief["date"].isoformat(), brief["id"]]
    if audience_id:
        parts.append(audience_id)
    parts.append(language.lower())
    return "_".join(parts)


# ---------------------------------------------------------------------------------------------
# One build of the example, full and minimal specs for the whole session


def build_brief(spec_path: Path, out: Path) -> list[UnitResult]:
    """Build every version of one spec through the command's own path (`run_specs`), in this
    process; raise `UserError` with every problem when any version failed."""
    report = run_specs([spec_path], BuildOptions(out=out, force=True, jobs=1))
    if report.failed:
        raise UserError([problem for result in report.failed for problem in result.problems])
    return report.built


@dataclass(frozen=True)
class Built:
    """Files of one version (audience) of a spec, as written by `build_brief`."""

    spec: str
    audience_id: str | None
    pdf: Path
    docx: Path


@dataclass(frozen=True)
class BuiltBriefs:
    out: Path
    versions: dict[tuple[str, str | None], Built]

    def docx_files(self) -> list[Path]:
        return [built.docx for built in self.versions.values()]


def docx_layout_pdf(spec_path: Path, audience_id: str | None, out: Path) -> Path:
    """A PDF of the layout briefgen set the DOCX of one version from. The DOCX is fitted with
    a reserve for word processors and the PDF without, so the two can differ by half a point
    of type; this PDF is what the DOCX's lines and positions are meant to follow."""
    from briefgen.engine.build import prepare_brief
    from briefgen.render.pdf import render_pdf
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template

    document = load_spec(spec_path)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, spec_path)
    index = next((number for number, audience in enumerate(spec.audiences)
                  if audience.id == audience_id), None)
    prepared = prepare_brief(spec, template, document, index)
    path = out / f"{spec.brief.id}_{audience_id or 'brief'}.docx-layout.pdf"
    path.write_bytes(render_pdf(prepared.docx_document, prepared.docx_fit))
    return path


# Hides every installed Carlito from LibreOffice (and any program that uses fontconfig), as
# on a machine without the Carlito package: only the fonts a DOCX carries are left.
WITHOUT_CARLITO = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*/fonts/*arlito*</glob></rejectfont></selectfont>
</fontconfig>
"""


def convert_with_libreoffice(docx_files: list[Path], work: Path,
                             environment: dict[str, str] | None = None) -> dict[Path, Path]:
    """Each DOCX laid out by LibreOffice as PDF, in one soffice call with its own profile."""
    soffice = require_tool("soffice")
    target = work / "pdf"
    try:
        result = subprocess.run(
            [soffice, "--headless", "--norestore",
             f"-env:UserInstallation={(work / 'lo-profile').as_uri()}",
             "--convert-to", "pdf", "--outdir", str(target), *map(str, docx_files)],
            capture_output=True, text=True, timeout=LIBREOFFICE_TIMEOUT, check=False,
            env={**os.environ, **(environment or {})})
    except subprocess.TimeoutExpired:
        pytest.fail(f"LibreOffice did not finish within {LIBREOFFICE_TIMEOUT} s")
    converted = {docx: target / (docx.stem + ".pdf") for docx in docx_files}
    missing = [str(docx.name) for docx, pdf in converted.items() if not pdf.is_file()]
    assert not missing, (f"LibreOffice did not convert {missing} (exit {result.returncode}):\n"
                         f"{result.stdout}\n{result.stderr}")
    return converted


def without_carlito(work: Path) -> dict[str, str]:
    """The environment in which fontconfig hides the installed Carlito (see above)."""
    config = work / "fonts.conf"
    config.write_text(WITHOUT_CARLITO, encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config)}


# ---------------------------------------------------------------------------------------------
# Golden files


R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def normalized_document_xml(path: Path) -> str:
    """word/document.xml pretty-printed, without rsid attributes and with r:id renumbered."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    relationship_ids: dict[str, str] = {}
    for element in root.iter():
        for name in list(element.attrib):
            qualified = etree.QName(name)
            if qualified.localname.startswith("rsid"):
                del element.attrib[name]
            elif qualified.namespace == R_NAMESPACE:
                value = element.attrib[name]
                element.attrib[name] = relationship_ids.setdefault(
                    value, f"rId-{len(relationship_ids) + 1}")
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------------------------------------
# Small helpers for writing specs in tests


def replace_once(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced; `old` must occur exactly once (keeps derived specs honest)."""
    count = text.count(old)
    assert count == 1, f"expected {old!r} once in the base spec, found it {count} times"
    return text.replace(old, new)


MINIMAL_TEXT = MINIMAL_SPEC.read_text(encoding="utf-8")


# Text in tests/specs/full.yaml that must reach both outputs exactly as typed.
LONG_WORD = "Landminenraeumungsfinanzierungsvereinbarungsverhandlungsteam"
HOSTILE_TEXTS = [
    "AT&T <R&D>", "<b>not bold</b>", '<font color="red">', '<img src="x">', "{{ brief.id }}",
    "{% raw %}", "&amp;", "Ağdam", "Füzuli", "Şuşa", "Xankəndi", "İsmayılova", "dotless ı",
    "Министерство обороны", "“curly quotes”", "‘single ones’", LONG_WORD,
]


# ---------------------------------------------------------------------------------------------
# Resolving one spec, and processes left behind


Resolve = Callable[..., tuple["BriefView", "Document"]]


def leftover_processes(mark: str) -> list[int]:
    """Processes still running (not zombies) whose environment holds BRIEFGEN_TEST_RUN=`mark`:
    a command started with it, and whatever that command started (Linux: /proc)."""
    if not Path("/proc/self/environ").exists():
        return []
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            marked = f"BRIEFGEN_TEST_RUN={mark}".encode() in (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if marked and state != "Z":
            found.append(int(entry.name))
    return found
