"""Templates: a folder with design values (`template.yaml`) and a layout (`page.xml.j2`).

The layout is Jinja2 run in a sandbox with undefined names as errors. It places content; it
never formats or escapes it: user text reaches the layout as references (see `compose`), so no
text a user types can become layout markup. Design values are validated like specs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from briefgen.errors import Problem, TemplateError
from briefgen.layout.fonts import SHIPPED_FAMILIES
from briefgen.spec.loader import YamlDocument, load_yaml
from briefgen.spec.validate import problems_from_validation_error

LAYOUT_FILE = "page.xml.j2"
DESIGN_FILE = "template.yaml"
BASE_DOCUMENT_FILE = "base.docx"  # the Word document the DOCX is built on (optional)
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}


def _to_points(value: object) -> object:
    """Accept `12`, `12pt`, `15mm`, `0.5in`: lengths in templates are written the designer's way."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*", value)
        if match:
            return float(match.group(1)) * _UNITS[match.group(2) or "pt"]
    return value


Length = Annotated[float, BeforeValidator(_to_points), Field(ge=0, le=2000)]
ColorValue = Annotated[str, Field(pattern=r"^(#[0-9A-Fa-f]{6}|[a-z][a-z0-9-]*)$")]


class DesignModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StyleDesign(DesignModel):
    size: Length
    leading: Length
    min_size: Length | None = Field(None, description="fitting never goes below this size")
    color: ColorValue = "ink"
    bold: bool = False
    italic: bool = False
    caps: bool = False
    space_after: Length = 0.0
    indent: Length = 0.0
    align: Literal["left", "right", "center"] = "left"
    role: Literal["H1", "H2", "P"] = Field(
        "P", description="what its paragraphs are: H1 the headline, H2 a section heading, P "
        "text; Word's headings and the tagged PDF follow it")
    tracking: float = Field(0.0, ge=-0.05, le=0.3, description="letter spacing in em, e.g. "
                            "0.06 for caps labels")
    label_size: Length | None = Field(None, description="size of the number of a numbered "
                                      "paragraph, if not the text's")
    label_color: ColorValue | None = Field(None, description="colour of that number")
    min_space_after: Length = Field(0.0, description="fitting never closes the space after "
                                    "below this")
    fit_width: bool = Field(False, description="set a word wider than its column smaller "
                            "(down to min_size) instead of breaking it, e.g. key figures")


class ContentBox(DesignModel):
    width: Length = Field(description="content width, centred on the page")
    height: Length | None = Field(None, description="a fixed content height, centred on the "
                                  "page; without it, the page's height within the margins")
    margin_top: Length = Field(15 * 72 / 25.4, description="used without a fixed height")
    margin_bottom: Length = Field(15 * 72 / 25.4, description="used without a fixed height")


class FitDesign(DesignModel):
    min_spacing: float = Field(0.5, ge=0.1, le=1.0)
    max_spacing: float = Field(1.0, ge=1.0, le=3.0, description="gaps may open up to this "
                               "much so that a short brief fills its page")
    min_type_scale: float = Field(0.88, ge=0.5, le=1.0)
    docx_reserve: Length = Field(10.0, description="height kept free in the DOCX for word "
                                 "processors whose layout runs a little longer")


class WordBudget(DesignModel):
    warn: int = Field(650, ge=1, description="warn above this many words of running text")
    error: int = Field(750, ge=1, description="refuse to build above this many")


class TemplateDesign(DesignModel):
    description: str = ""
    content: ContentBox
    font: Literal[tuple(SHIPPED_FAMILIES)]  # type: ignore[valid-type]
    colors: dict[str, Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]]
    styles: dict[str, StyleDesign]
    labels: dict[str, dict[str, str]]
    footer_gap: Length = 12.0
    link_color: ColorValue = "ink"
    fit: FitDesign = Field(default_factory=lambda: FitDesign.model_validate({}))
    words: WordBudget = Field(default_factory=lambda: WordBudget.model_validate({}))


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
        for root in builtin_template_roots():
            shipped = root / "one-pager" / BASE_DOCUMENT_FILE
            if shipped.is_file():
                return shipped
        return own  # reported as missing when the DOCX is made


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
