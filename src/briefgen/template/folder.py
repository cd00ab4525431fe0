"""A template is a folder: its design values (`template.yaml`), its layout (`page.xml.j2`) and,
optionally, the Word document its DOCX is built on (`base.docx`). Found by name beside the
spec or among the templates that come with briefgen, and loaded once per edit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from briefgen.errors import Problem, TemplateError
from briefgen.spec.loader import YamlDocument, load_yaml
from briefgen.spec.validate import problems_from_validation_error
from briefgen.template.design import TemplateDesign

LAYOUT_FILE = "page.xml.j2"
DESIGN_FILE = "template.yaml"
BASE_DOCUMENT_FILE = "base.docx"  # the Word document the DOCX is built on (optional)
SHIPPED_TEMPLATE = "one-pager"  # whose base document stands in for a template without one


@dataclass(frozen=True)
class Template:
    name: str
    folder: Path
    design: TemplateDesign
    layout_source: str
    design_document: YamlDocument | None = None  # positions in template.yaml, for messages

    def color(self, value: str) -> str:
        return value if value.startswith("#") else self.design.colors[value]

    @property
    def base_document(self) -> Path:
        """The Word document the DOCX is built on: the folder's own `base.docx` (an
        organisation's letterhead, footer and theme), else the one-pager's."""
        own = self.folder / BASE_DOCUMENT_FILE
        if own.exists() or own.is_symlink():
            return own
        return find_shipped_base_document() or own  # reported as missing when the DOCX is made


def find_shipped_base_document() -> Path | None:
    """The one-pager's own base document, which holds only briefgen's styles; None when the
    installation lacks it."""
    for root in builtin_template_roots():
        shipped = root / SHIPPED_TEMPLATE / BASE_DOCUMENT_FILE
        if shipped.is_file():
            return shipped
    return None


def template_search_path(spec_path: Path) -> list[Path]:
    """Where a template named in a spec is looked for, first match wins.

    The spec's folder and its parent (a project laid out as `briefs/` beside `templates/`),
    then the templates that come with briefgen.
    """
    spec_folder = spec_path.resolve().parent
    return [spec_folder / "templates", spec_folder.parent / "templates", *builtin_template_roots()]


def builtin_template_roots() -> list[Path]:
    package = Path(__file__).parent.parent  # briefgen/, where a wheel keeps _templates/
    roots = [package / "_templates", package.parent.parent / "templates"]
    return [root for root in roots if root.is_dir()]


def find_template(name: str, spec_path: Path) -> Path:
    searched = template_search_path(spec_path)
    for root in searched:
        candidate = root / name
        if (candidate / DESIGN_FILE).is_file() and (candidate / LAYOUT_FILE).is_file():
            return candidate
    available = sorted({p.name for root in searched if root.is_dir() for p in root.iterdir()
                        if (p / DESIGN_FILE).is_file()})
    raise TemplateError(Problem(spec_path, "brief.template", f"no template named {name!r}",
                                f"available: {', '.join(available) or 'none'}"))


def load_template(name: str, spec_path: Path) -> Template:
    return load_template_folder(find_template(name, spec_path))


def load_template_folder(folder: Path) -> Template:
    for file in (DESIGN_FILE, LAYOUT_FILE):
        if not (folder / file).resolve().is_relative_to(folder.resolve()):
            raise TemplateError(Problem(folder / file, "", "is a link to a file outside the "
                                        "template's folder", "copy the file into the folder"))
    stamp = tuple((folder / file).stat().st_mtime_ns for file in (DESIGN_FILE, LAYOUT_FILE))
    return _load_template_folder(folder, stamp)


@lru_cache(maxsize=16)
def _load_template_folder(folder: Path, stamp: tuple[int, ...]) -> Template:
    del stamp  # part of the cache key only: an edited template is read again
    document = load_yaml(folder / DESIGN_FILE)
    try:
        design = TemplateDesign.model_validate(document.data)
    except ValidationError as error:
        raise TemplateError(problems_from_validation_error(error, document,
                                                           TemplateDesign)) from None
    problems = []
    for style_name, style in design.styles.items():
        for key, value in (("color", style.color), ("label_color", style.label_color or "#")):
            if not value.startswith("#") and value not in design.colors:
                problems.append(Problem(document.locate(("styles", style_name, key)),
                                        f"styles.{style_name}.{key}",
                                        f"no colour named {value!r} in colors",
                                        f"known: {', '.join(design.colors)}"))
    if problems:
        raise TemplateError(problems)
    layout = (folder / LAYOUT_FILE).read_text(encoding="utf-8")
    return Template(name=folder.name, folder=folder, design=design, layout_source=layout,
                    design_document=document)
