"""One audience of one spec, from checked spec to files in memory.

resolve -> compose -> fit -> render PDF + DOCX; `batch` plans the specs and writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from briefgen.checks import check_document
from briefgen.compose import compose_document
from briefgen.document import Document, Fit
from briefgen.errors import FitError, TemplateError
from briefgen.layout.fit import find_fit
from briefgen.resolve.view import BriefView, resolve_brief
from briefgen.spec.loader import YamlDocument, format_field_path, value_at
from briefgen.spec.models import BriefSpec
from briefgen.template import Template
from briefgen.write import OutputFile


@dataclass(frozen=True)
class PreparedBrief:
    """One audience's page laid out and fitted, not yet rendered: for the PDF, and for the
    DOCX, which keeps a reserve of height for word processors whose layout runs longer."""

    view: BriefView
    document: Document
    fit: Fit
    docx_document: Document
    docx_fit: Fit


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
    view: BriefView


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


def prepare_brief(spec: BriefSpec, template: Template, document: YamlDocument,
                  audience_index: int | None) -> PreparedBrief:
    """Resolve, compose and fit one audience's page; raise located errors when it cannot be."""
    from briefgen.layout import arrange_columns, balance_lines, measure_arranged
    from briefgen.template.base_document import docx_reserve

    view = resolve_brief(spec, template, document, audience_index)
    composed = balance_lines(compose_document(view, template, document.locate,
                                              document.describe))
    contrast = check_document(composed, template)
    if contrast:
        raise TemplateError(contrast)
    design_fit = template.design.fit

    def describe(origin: str) -> str:
        for path, location in document.value_marks.items():
            if format_field_path(path) == origin:
                return f"{document.describe(path)} (line {location.line})"
        return origin

    def typed(origin: str) -> str:
        """The text of a field as the spec has it (a heading the page sets in capitals)."""
        for path in document.value_marks:
            if format_field_path(path) == origin:
                return str(value_at(document.data, path))
        return ""

    def fitted(reserve: float) -> Fit:
        return find_fit(composed, measure_arranged, design_fit.min_spacing,
                        design_fit.min_type_scale, reserve, describe, document.path,
                        design_fit.max_spacing, typed_text=typed)

    reserve = docx_reserve(template, composed.page)
    try:
        # The DOCX, with its reserve, decides whether the brief fits; the PDF then spends the
        # reserve on its own page, on larger type first and then on its gaps, rather than
        # leave it as white above its footer.
        docx_fit = fitted(reserve)
        fit = fitted(0.0) if reserve > 0 else docx_fit
    except FitError as error:
        if audience_index is None:
            raise
        # "the brief does not fit on one page (version for ch): ...", before what follows.
        version = f" (version for {spec.audiences[audience_index].id})"
        raise FitError([replace(problem, message=problem.message.replace(":", version + ":", 1))
                        for problem in error.problems]) from None
    def arranged(fit: Fit) -> Document:
        return balance_lines(arrange_columns(composed, fit), fit, in_balanced_rows=True)

    return PreparedBrief(view, arranged(fit), fit, arranged(docx_fit), docx_fit)


def render_brief(spec: BriefSpec, template: Template, document: YamlDocument,
                 audience_index: int | None, out_root: Path) -> RenderedBrief:
    """One audience's PDF and DOCX, in memory, named for `out_root`."""
    from briefgen.edits.provenance import docx_origin
    from briefgen.render.docx import render_docx
    from briefgen.render.pdf import render_pdf

    prepared = prepare_brief(spec, template, document, audience_index)
    view, fit = prepared.view, prepared.fit
    pdf = render_pdf(prepared.document, fit)
    word = render_docx(prepared.docx_document, prepared.docx_fit, template.base_document,
                       docx_origin(spec, document, view))
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

