"""A template's design values (`template.yaml`): page content box, fonts, colours, paragraph
styles, labels, fitting limits and the word budget, validated like specs."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from briefgen.layout.fonts import SHIPPED_FAMILIES

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
