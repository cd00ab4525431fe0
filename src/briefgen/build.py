"""One brief spec in, its files out: the pipeline stages called in order.

load -> validate -> (per audience) resolve -> compose -> fit -> render PDF + DOCX -> write
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefgen.checks import check_document, check_spec
from briefgen.compose import compose_document
from briefgen.document import Document, Fit
from briefgen.errors import FitError, Location, Problem, SpecError, TemplateError, UserError
from briefgen.fit import find_fit
from briefgen.spec.includes import load_spec
from briefgen.spec.loader import YamlDocument, format_field_path
from briefgen.spec.models import BriefSpec
from briefgen.spec.validate import validate_spec
from briefgen.template import Template, load_template
from briefgen.view import BriefView, resolve_brief
from briefgen.write import OutputFile, write_atomically


@dataclass(frozen=True)
class RenderedBrief:
    """One audience's rendered files, not yet written."""

    audience_id: str | None
    audience_name: str | None
    language: str
    page: str
    fit: Fit
    pdf: OutputFile
    docx: OutputFile
    view: BriefView | None = None


@dataclass
class BuildResult:
    spec_path: Path
    brief_id: str
    briefs: list[RenderedBrief] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def output_name(spec: BriefSpec, audience_id: str | None, language: str, suffix: str) -> str:
    """ASCII file name with date, brief id, audience and language: sorts and mails well."""
    parts = [spec.brief.date.isoformat(), spec.brief.id]
    if audience_id:
        parts.append(audience_id)
    parts.append(language.lower())
    return "_".join(parts) + suffix


def draft_path(pdf_path: Path) -> Path:
    """Where the email draft carrying a brief's PDF is written: an `email` folder beside it."""
    return pdf_path.parent / "email" / (pdf_path.stem + ".eml")


def build_spec(spec_path: Path, out_root: Path, *, write: bool = True) -> BuildResult:
    """Build every audience of one spec; write all files only if all of them succeeded."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    document = load_spec(spec_path)
    timings["load"] = time.perf_counter() - started
    mark = time.perf_counter()
    spec = validate_spec(document)
    timings["validate"] = time.perf_counter() - mark
    template = load_template(spec.brief.template, spec_path)
    problems = check_spec(spec, document, template)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise SpecError(errors)
    result = BuildResult(spec_path=spec_path, brief_id=spec.brief.id, timings=timings,
                         warnings=problems)
    audiences: list[int | None] = list(range(len(spec.audiences))) or [None]
    for audience_index in audiences:
        result.briefs.append(render_brief(spec, template, document, audience_index, out_root,
                                          timings))
    if write:
        files = [file for brief in result.briefs for file in (brief.pdf, brief.docx)]
        mark = time.perf_counter()
        write_atomically(files, protected={spec_path})
        timings["write"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return result


def render_brief(spec: BriefSpec, template: Template, document: YamlDocument,
                 audience_index: int | None, out_root: Path,
                 timings: dict[str, float] | None = None) -> RenderedBrief:
    """Resolve, compose, fit and render one audience's brief in memory."""
    from briefgen.render.docx import render_docx
    from briefgen.render.pdf import measure, render_pdf

    timings = {} if timings is None else timings

    def timed(stage: str, started: float) -> None:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started

    mark = time.perf_counter()
    view = resolve_brief(spec, template, document, audience_index)
    timed("resolve", mark)
    mark = time.perf_counter()
    composed: Document = compose_document(view, template, document.locate)
    contrast = check_document(composed, template)
    if contrast:
        raise TemplateError(contrast)
    timed("compose", mark)
    mark = time.perf_counter()
    design_fit = template.design.fit

    def describe(origin: str) -> str:
        return f"{origin} (line {_line_of(document, origin)})"

    try:
        fit = find_fit(composed, measure, design_fit.min_spacing, design_fit.min_type_scale,
                       design_fit.docx_reserve, describe, document.path)
    except FitError as error:
        if audience_index is None:
            raise
        version = spec.audiences[audience_index].id
        raise FitError([replace(problem, message=f"{problem.message} (version for {version})")
                        for problem in error.problems]) from None
    timed("fit", mark)
    mark = time.perf_counter()
    pdf = render_pdf(composed, fit)
    timed("pdf", mark)
    mark = time.perf_counter()
    word = render_docx(composed, fit, design_fit.docx_reserve)
    timed("docx", mark)
    audience = spec.audiences[audience_index] if audience_index is not None else None
    folder = out_root / spec.brief.id
    return RenderedBrief(
        audience_id=audience.id if audience else None,
        audience_name=audience.name if audience else None,
        language=view.language, page=view.page, fit=fit,
        pdf=OutputFile(folder / output_name(spec, view.audience_id, view.language, ".pdf"), pdf),
        docx=OutputFile(folder / output_name(spec, view.audience_id, view.language, ".docx"),
                        word),
        view=view,
    )


def check_spec_file(spec_path: Path) -> list[Problem]:
    """Every problem `build` would find, errors and warnings, without rendering or writing."""
    from briefgen.render.pdf import measure

    try:
        document = load_spec(spec_path)
        spec = validate_spec(document)
        template = load_template(spec.brief.template, spec_path)
    except UserError as error:
        return [problem if problem.rule else replace(problem, rule="spec")
                for problem in error.problems] or [Problem(spec_path, "", error.text, rule="spec")]
    problems = check_spec(spec, document, template)
    audiences: list[int | None] = list(range(len(spec.audiences))) or [None]
    design_fit = template.design.fit
    for audience_index in audiences:
        try:
            view = resolve_brief(spec, template, document, audience_index)
            composed = compose_document(view, template, document.locate)
            problems += check_document(composed, template)
            find_fit(composed, measure, design_fit.min_spacing, design_fit.min_type_scale,
                     design_fit.docx_reserve, lambda origin: origin, document.path)
        except FitError as error:
            who = f" (version for {spec.audiences[audience_index].id})" if (
                audience_index is not None) else ""
            problems += [replace(problem, rule="fit", message=problem.message + who)
                         for problem in error.problems]
        except UserError as error:
            problems += [problem if problem.rule else replace(problem, rule="font-coverage")
                         for problem in error.problems]
    unique: dict[str, Problem] = {problem.check_line(): problem for problem in problems}
    return sorted(unique.values(), key=_problem_order)


def _problem_order(problem: Problem) -> tuple[str, int, int]:
    location = problem.location
    if isinstance(location, Location):
        return (str(location.file), location.line, location.column)
    return (str(location), 0, 0)


def _line_of(document: YamlDocument, origin: str) -> int:
    for path, location in document.value_marks.items():
        if format_field_path(path) == origin:
            return location.line
    return 0


