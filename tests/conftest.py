"""Shared fixtures: external tools, one build of the example briefs, golden files.

Expensive work happens once per session: `built_briefs` builds the example brief (every
audience), the full spec and the minimal spec; `libreoffice_pdfs` lays out every DOCX of that
build with a single LibreOffice call. Helpers that tests import are in tests/support.py.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support import (
    GOLDEN,
    ROOT,
    SPEC_FILES,
    Built,
    BuiltBriefs,
    Resolve,
    build_brief,
    convert_with_libreoffice,
    docx_layout_pdf,
    require_tool,
    without_carlito,
)

if TYPE_CHECKING:
    from briefgen.document import Document
    from briefgen.resolve.view import BriefView


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files in tests/golden/ from the current output")

@pytest.fixture(name="require_tool")
def require_tool_fixture() -> Callable[[str], str]:
    return require_tool

@pytest.fixture(scope="session")
def built_briefs(tmp_path_factory: pytest.TempPathFactory) -> BuiltBriefs:
    out = tmp_path_factory.mktemp("built")
    versions: dict[tuple[str, str | None], Built] = {}
    for name, spec_path in SPEC_FILES.items():
        for result in build_brief(spec_path, out):
            assert result.pdf is not None and result.docx is not None
            versions[(name, result.audience_id)] = Built(
                spec=name, audience_id=result.audience_id, pdf=result.pdf, docx=result.docx)
    return BuiltBriefs(out=out, versions=versions)

@pytest.fixture(scope="session")
def docx_layouts(built_briefs: BuiltBriefs, tmp_path_factory: pytest.TempPathFactory
                 ) -> dict[Path, Path]:
    """Every DOCX of the session build -> a PDF of the layout it was set from."""
    out = tmp_path_factory.mktemp("docx layouts")
    return {built.docx: docx_layout_pdf(SPEC_FILES[name], audience_id, out)
            for (name, audience_id), built in built_briefs.versions.items()}


@pytest.fixture(scope="session")
def libreoffice_pdfs(built_briefs: BuiltBriefs, tmp_path_factory: pytest.TempPathFactory
                     ) -> dict[Path, Path]:
    """Every DOCX of the session build laid out by LibreOffice, as PDF; one soffice call."""
    return convert_with_libreoffice(built_briefs.docx_files(),
                                    tmp_path_factory.mktemp("libreoffice"))

@pytest.fixture(scope="session")
def libreoffice_pdfs_without_carlito(built_briefs: BuiltBriefs,
                                     tmp_path_factory: pytest.TempPathFactory
                                     ) -> dict[Path, Path]:
    """Every DOCX of the session build laid out by LibreOffice on a machine without Carlito
    (nor Calibri): only the fonts the files carry can keep the page. One soffice call."""
    work = tmp_path_factory.mktemp("libreoffice-without-carlito")
    return convert_with_libreoffice(built_briefs.docx_files(), work, without_carlito(work))

@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME, or rewrite it when run with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        if not path.is_file():
            pytest.fail(f"golden file {path.relative_to(ROOT)} is missing: run pytest with "
                        f"--update-golden, then review it", pytrace=False)
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = "".join(difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                fromfile=f"golden/{name}", tofile="current output", n=2))
            pytest.fail(f"output differs from golden/{name}; if the change is intended, run "
                        f"pytest --update-golden and review the diff:\n{diff}", pytrace=False)

    return check

@pytest.fixture
def resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Resolve:
    """Write a spec, then resolve, compose and arrange it for one audience (None: the
    generic brief), as a build does before fitting."""
    from briefgen.compose import compose_document
    from briefgen.layout import arrange_page
    from briefgen.resolve.view import resolve_brief
    from briefgen.spec.loader import load_yaml
    from briefgen.spec.validate import validate_spec
    from briefgen.template import load_template

    monkeypatch.chdir(tmp_path)

    def run(text: str, audience_index: int | None = None) -> tuple[BriefView, Document]:
        path = Path("spec.yaml")
        path.write_text(text, encoding="utf-8")
        document = load_yaml(path)
        spec = validate_spec(document)
        template = load_template(spec.brief.template, path)
        view = resolve_brief(spec, template, document, audience_index)
        return view, arrange_page(compose_document(view, template, document.locate))

    return run
