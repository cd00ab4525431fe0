"""`briefgen take-back`, end to end.

    edited DOCX --read_edited_docx--> paragraphs, marks, record --compare_document-->
      each field's words before and after --rewrite_field--> the spec's new texts
      --write_translations--> spec and fact files (all or none)

Three texts meet for each field: the spec's text now, the text the DOCX was built from (its
fingerprint is in the DOCX) and the words in the edited DOCX. When only the DOCX's changed,
its words are taken; when only the spec's changed, the spec's stays; when both changed, it
is a conflict: reported, and neither is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefgen.edits.compare import Comparison, FieldChange, Finding, compare_document
from briefgen.edits.markup import rewrite_field
from briefgen.edits.provenance import field_source
from briefgen.edits.reader import EditedDocument, read_edited_docx
from briefgen.edits.words import quoted
from briefgen.errors import Location, Problem, SpecError, UserError, display_path
from briefgen.render.docx_marks import DocxOrigin, RecordedField
from briefgen.resolve.language import base_language, same_language
from briefgen.resolve.view import BriefView, PrintedText, resolve_brief
from briefgen.spec.loader import FieldPath, YamlDocument, value_at
from briefgen.spec.models import BriefSpec
from briefgen.translation.texts import languages_printing
from briefgen.translation.yaml_edit import TextChange, UnwritableChange, write_translations
from briefgen.write import OutputFile, write_atomically

# Addresses are printed as briefgen shortens them: an edit of one is not the spec's text.
ADDRESS_FIELDS = frozenset(("url", "website", "email", "sources_url"))


@dataclass(frozen=True)
class TextUpdate:
    """A text of the spec to write: where, what it is now and what it becomes."""

    path: FieldPath  # in the merged spec, the language key last for a text per language
    location: Location
    described: str
    old: str
    new: str
    change: TextChange
    file: Path


@dataclass
class TakeBack:
    """What an edited DOCX brings back: the texts to write and what to tell."""

    docx_path: Path
    spec_path: Path
    origin: DocxOrigin
    updates: list[TextUpdate] = field(default_factory=list)
    remarks: list[Problem] = field(default_factory=list)  # severity error: a conflict
    unchanged: int = 0
    spec_changed: bool = False  # the spec's texts differ from those the DOCX was built from

    @property
    def conflicts(self) -> list[Problem]:
        return [remark for remark in self.remarks if remark.severity == "error"]


def take_back(docx_path: Path, spec_path: Path | None = None, *,
              accept_tracked: bool = False) -> TakeBack:
    """Read an edited DOCX and work out what it changes in its spec; nothing is written.

    `UserError` when the DOCX cannot be read safely, was not built by briefgen, or was
    built from another brief than the spec's."""
    edited = read_edited_docx(docx_path)
    record = edited.record
    if record is None or record.origin is None:
        raise UserError(Problem(docx_path, "", "does not say which spec it was built from: it "
                                "was not built by briefgen, or by a version before 0.2, or "
                                "its record was removed", "build the brief again and send "
                                "the new DOCX for editing"))
    origin = record.origin
    spec_path = spec_path if spec_path is not None else find_spec(docx_path, origin.spec_name)
    document, spec = _load(spec_path)
    if spec.brief.id != origin.brief_id:
        raise UserError(Problem(docx_path, "", f"was built from the brief {origin.brief_id!r} "
                                f"({origin.spec_name}), not from {spec.brief.id!r} "
                                f"({display_path(spec_path)})",
                                "name the spec it was built from: --spec SPEC"))
    index = _audience_index(spec, origin, docx_path)
    view, printed = _resolved(spec, document, spec_path, index)
    result = TakeBack(docx_path, spec_path, origin)
    comparison = compare_document(record, edited, accept_tracked=accept_tracked)
    result.unchanged = comparison.unchanged
    sources = {number: field_source(document, recorded.source.path)
               for number, recorded in record.fields.items() if recorded.source is not None}
    result.spec_changed = any(recorded.source is not None
                              and sources[number].text_hash != recorded.source.text_hash
                              for number, recorded in record.fields.items())
    _Planner(result, spec, document, view, printed, spec_path).plan(comparison, edited)
    return result


def write_back(result: TakeBack) -> list[Path]:
    """Write every update into its file: all files, or none. The files written."""
    by_file: dict[Path, list[TextUpdate]] = {}
    for update in result.updates:
        by_file.setdefault(update.file, []).append(update)
    outputs = []
    for file, updates in by_file.items():
        raw = file.read_bytes()
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        old_text = raw[len(bom):].decode("utf-8")
        try:
            new_text = write_translations(old_text, file, [update.change for update in updates])
        except UnwritableChange as error:
            failed = next((update for update in updates if update.change.path == error.path),
                          updates[0])
            raise UserError(Problem(failed.location, failed.described,
                                    f"cannot be written here without changing other text of "
                                    f"the file ({error.reason}); nothing was written",
                                    "copy the change by hand")) from None
        outputs.append(OutputFile(file, bom + new_text.encode("utf-8")))
    if outputs:
        write_atomically(outputs)
    return [output.path for output in outputs]


def find_spec(docx_path: Path, spec_name: str) -> Path:
    """The spec a DOCX names, looked for beside it, here and in `briefs/`, and in the
    `briefs/` folder of the project the DOCX was written into (`out/<brief>/`)."""
    name = Path(spec_name).name
    if not name or name != spec_name or not name.endswith((".yaml", ".yml")):
        raise UserError(Problem(docx_path, "", "does not name a spec file",
                                "name it: briefgen take-back FILE --spec SPEC"))
    folders = [docx_path.parent, Path(), Path("briefs")]
    folders += [parent / "briefs" for parent in docx_path.resolve().parents]
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    raise UserError(Problem(docx_path, "", f"was built from {name}, which is neither beside "
                            "it, nor here, nor in a briefs/ folder above it",
                            f"name the spec: briefgen take-back {docx_path.name} --spec "
                            f"briefs/{name}"))


def _load(spec_path: Path) -> tuple[YamlDocument, BriefSpec]:
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec

    document = load_spec(spec_path)
    return document, validate_spec(document)


def _audience_index(spec: BriefSpec, origin: DocxOrigin, docx_path: Path) -> int | None:
    if origin.audience_id is None:
        if spec.audiences:
            raise UserError(Problem(docx_path, "", "was built from the brief without "
                                    "audiences, but the spec has audiences now",
                                    "copy the changes by hand"))
        return None
    for index, audience in enumerate(spec.audiences):
        if audience.id == origin.audience_id:
            return index
    raise UserError(Problem(docx_path, "", f"was built for the audience "
                            f"{origin.audience_id!r}, which the spec no longer has",
                            "add the audience back, or copy the changes by hand"))


def _resolved(spec: BriefSpec, document: YamlDocument, spec_path: Path, index: int | None
              ) -> tuple[BriefView, list[PrintedText]]:
    from briefgen.template import load_template

    template = load_template(spec.brief.template, spec_path)
    printed: list[PrintedText] = []
    try:
        view = resolve_brief(spec, template, document, index, printed=printed)
    except SpecError as error:
        raise SpecError([*error.problems, Problem(spec_path, "", "the version the DOCX was "
                                                  "built for cannot be resolved; nothing was "
                                                  "taken", "fix the spec, then take the DOCX "
                                                  "back")]) from None
    return view, printed


class _Planner:
    """Each field change as a text to write, a conflict, or a remark."""

    def __init__(self, result: TakeBack, spec: BriefSpec, document: YamlDocument,
                 view: BriefView, printed: list[PrintedText], spec_path: Path) -> None:
        self.result = result
        self.spec = spec
        self.document = document
        self.view = view
        self.spec_path = spec_path
        self.printed = {text.origin: text for text in printed}
        self.printing: dict[FieldPath, list[str]] | None = None

    def plan(self, comparison: Comparison, edited: EditedDocument) -> None:
        for change in comparison.changes:
            self.field(change)
        for finding in comparison.findings:
            self.remark(finding, edited)

    def field(self, change: FieldChange) -> None:
        recorded = change.field
        source = recorded.source
        if source is None:
            return
        path = source.path
        location = self.document.locate(path)
        described = self.document.describe(path)
        value = value_at(self.document.data, path)
        edited_words = "".join(character.text for character in change.after)
        if not isinstance(value, str) or path[-1] in ADDRESS_FIELDS or (
                len(path) > 1 and path[-2] in ADDRESS_FIELDS):
            self.add(location, described, f"printed by briefgen from the spec's data, edited "
                     f"in the DOCX to {quoted(edited_words)}; not taken",
                     "change it in the spec", "figure")
            return
        if field_source(self.document, path).text_hash != source.text_hash:
            self.add(location, described, "changed in the spec since the DOCX was built, and "
                     f"in the DOCX too (to {quoted(edited_words)}): the spec's text is kept, "
                     "and the DOCX's is not taken", "compare the two and copy what is wanted "
                     "by hand", "conflict", severity="error")
            return
        rewrite = rewrite_field(value, change.before, change.after, self.view,
                                caps=change.caps)
        for note in rewrite.notes:
            hint = self.stat_hint(note.stat) if note.stat and not note.taken else ""
            self.add(location, described, note.message, hint,
                     "figure" if note.stat else "edit")
        if rewrite.text is None:
            return
        text_change = self.text_change(path, rewrite.text)
        if text_change is None:
            self.add(location, described, "is not a text briefgen can write back", "copy the "
                     "change by hand", "edit")
            return
        self.result.updates.append(TextUpdate(
            path, location, described, value, rewrite.text, text_change, location.file))

    def text_change(self, path: FieldPath, text: str) -> TextChange | None:
        """How `text` is written at `path`: replacing the text for one language of a text
        per language; replacing a text written once, when only versions in this version's
        language print it, or this version is in the brief's language (its edit is the
        brief's); else as this version's language's own text beside it, which the other
        versions' languages keep as it was (as a translation does)."""
        local = self.local_path(path)
        written = self.printed.get(path)
        if written is None and path[:-1] in self.printed and isinstance(
                self.printed[path[:-1]].value, dict):
            return TextChange(local[:-1], str(path[-1]), text)
        if written is None:
            return None
        language = base_language(self.view.language)
        if self.printing is None:
            from briefgen.template import load_template

            template = load_template(self.spec.brief.template, self.spec_path)
            self.printing = languages_printing(self.spec, self.document, template)
        others = [other for other in self.printing.get(path, [])
                  if not same_language(other, language)]
        if not others or same_language(language, self.spec.brief.language):
            return TextChange(local, "", text)
        source_language = base_language(self.spec.brief.language)
        copies = tuple(dict.fromkeys(other for other in others
                                     if not same_language(other, source_language)))
        return TextChange(local, language, text, source_language, copies)

    def local_path(self, path: FieldPath) -> FieldPath:
        """A merged spec's path as written in its own file: a fact file's `stats[0]`."""
        local = self.document.local_names.get(tuple(path[:2]))
        return (*local, *path[2:]) if local is not None else path

    def stat_hint(self, stat_id: str) -> str:
        for index, stat in enumerate(self.spec.stats):
            if stat.id == stat_id:
                return (f"change stats {stat_id!r} at "
                        f"{self.document.locate(('stats', index, 'value'))}")
        for index, chart in enumerate(self.spec.charts):
            if chart.id == stat_id:
                return f"change the chart {stat_id!r} at {self.document.locate(('charts', index))}"
        return ""

    def remark(self, finding: Finding, edited: EditedDocument) -> None:
        recorded: RecordedField | None = finding.field
        if recorded is not None and recorded.source is not None:
            path = recorded.source.path
            hint = ""
            if finding.kind == "outside" and path[0] == "stats" and isinstance(path[1], int):
                # A key figure's number, above its label: figures change in their stat.
                hint = self.stat_hint(self.spec.stats[path[1]].id) if path[1] < len(
                    self.spec.stats) else ""
            self.add(self.document.locate(path), self.document.describe(path), finding.message,
                     hint or finding.hint, finding.kind)
        else:
            self.add(edited.path, "", finding.message, finding.hint, finding.kind)

    def add(self, location: Location | Path, described: str, message: str, hint: str,
            kind: str, *, severity: str = "warning") -> None:
        self.result.remarks.append(Problem(location, described, message, hint, rule=kind,
                                           severity=severity))
