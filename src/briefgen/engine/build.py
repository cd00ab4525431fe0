"""One unit (an audience of a spec), from checked spec to files written.

resolve -> compose -> fit -> render PDF + DOCX (+ email draft) -> write, all or nothing;
`plan` decides which units to build, `pool` where.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from briefgen.checks import check_document
from briefgen.compose import compose_document
from briefgen.document import Document, Fit
from briefgen.engine.build_state import state_file
from briefgen.engine.plan import CheckedSpec, read_checked_spec
from briefgen.engine.units import BuildOptions, Unit, UnitResult, problems_of
from briefgen.errors import FitError, Problem, TemplateError, UserError
from briefgen.layout.fit import find_fit
from briefgen.resolve.view import BriefView, resolve_brief
from briefgen.spec.loader import YamlDocument, format_field_path, value_at
from briefgen.spec.models import BriefSpec
from briefgen.template import Template
from briefgen.write import OutputFile, write_atomically


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

    def named_with_line(origin: str) -> str:
        """`asks[1].detail` as messages name it, with the line it was written on."""
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
                        design_fit.min_type_scale, reserve, named_with_line, document.path,
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



# ---------------------------------------------------------------------------------------------
# A unit built and written (in this process or a worker)


def build_unit(unit: Unit, options: BuildOptions) -> UnitResult:
    """Render one audience of one spec and write its files; in `check` mode only lay it out."""
    result = UnitResult(unit.spec_path, unit.brief_id, unit.audience_id)
    try:
        checked = read_checked_spec(unit.spec_path, unit.spec_digest)
        index = None
        if unit.audience_id is not None:
            index = [audience.id for audience in checked.spec.audiences].index(unit.audience_id)
        if options.mode == "check":
            result.fit = prepare_brief(checked.spec, checked.template, checked.document,
                                       index).fit
        elif not (options.mode == "email" and unit.built
                  and _draft_with_built_files(unit, checked, index, result)):
            _render_and_write(unit, checked, index, options, result)
    except UserError as error:
        result.problems = problems_of(error, unit.spec_path)
    return result


def _render_and_write(unit: Unit, checked: CheckedSpec, index: int | None,
                      options: BuildOptions, result: UnitResult) -> None:
    """The unit's PDF and DOCX (and its email draft in `email` mode), written together with
    its build state; an older draft that carried other files is removed."""
    from briefgen.write.drafts import compose_draft

    spec, document, template = checked
    rendered = render_brief(spec, template, document, index, unit.out_root)
    files = [rendered.pdf, rendered.docx]
    stale_draft = None
    if options.mode == "email":
        composed = compose_draft(spec, document, template, index, rendered.view,
                                 rendered.pdf, rendered.docx, allow_draft=options.allow_draft)
        files.append(composed.file)
        result.warnings = composed.warnings
    else:
        attach_docx = index is not None and spec.audiences[index].attach_docx
        stale_draft = _stale_draft(files if attach_docx else files[:1])
    write_atomically([*files, state_file(unit, files)],
                     protected={unit.spec_path, *document.included})
    if stale_draft is not None:
        stale_draft.unlink(missing_ok=True)
        result.warnings.append(Problem(
            stale_draft, "", "removed the email draft: it carried the previous version",
            "run briefgen email to write it again", rule="drafts", severity="warning"))
    result.audience_name = rendered.audience_name
    result.files = [(file.path, len(file.data)) for file in files]
    result.page = rendered.page
    result.fit = rendered.fit


def _stale_draft(attachments: list[OutputFile]) -> Path | None:
    """The email draft beside the PDF when one of its attachments is about to change: a
    draft never carries other files than those in the folder, and goes only then."""
    from briefgen.write.drafts import draft_path

    draft = draft_path(attachments[0].path)
    if draft.exists() and any(not _same_bytes(file) for file in attachments):
        return draft
    return None


def _draft_with_built_files(unit: Unit, checked: CheckedSpec, index: int | None,
                            result: UnitResult) -> bool:
    """Write the email draft of a unit whose inputs did not change, attaching its PDF and
    DOCX as they are in the output folder; False when they are not there as last built
    (then the unit is built again)."""
    from briefgen.write.drafts import compose_draft

    spec, document, template = checked
    view = resolve_brief(spec, template, document, index)
    files = _files_as_built(unit, spec, view)
    if files is None:
        return False
    pdf, docx = files
    composed = compose_draft(spec, document, template, index, view, pdf, docx)
    files.append(composed.file)
    write_atomically([composed.file, state_file(unit, files)],
                     protected={unit.spec_path, *document.included})
    result.warnings = composed.warnings
    result.audience_name = spec.audiences[index].name if index is not None else None
    result.files = [(file.path, len(file.data)) for file in files]
    result.page = view.page
    result.skipped = result.reused = True
    return True


def _files_as_built(unit: Unit, spec: BriefSpec, view: BriefView) -> list[OutputFile] | None:
    """The unit's PDF and DOCX read back from its folder; None unless both are there at the
    sizes its last build wrote."""
    folder = unit.out_root / spec.brief.id
    built = dict(unit.built)
    files = []
    for suffix in (".pdf", ".docx"):
        path = folder / output_name(spec, view.audience_id, view.language, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if built.get(path) != len(data):
            return None
        files.append(OutputFile(path, data))
    return files


def _same_bytes(file: OutputFile) -> bool:
    try:
        return file.path.read_bytes() == file.data
    except OSError:
        return False
