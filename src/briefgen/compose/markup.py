"""The template's layout run for one page: Jinja in a bounded sandbox, with `{% include %}`s
from the template's folder only, and its output read as XML."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from briefgen.errors import Location, Problem, TemplateError
from briefgen.template import LAYOUT_FILE, Template
from briefgen.template.sandbox import BoundedSandbox, TemplateBudgetExceeded

# A layout that runs longer or writes more than this is stopped: templates come from other
# people, and a one-page layout needs a few milliseconds and a few kilobytes.
LAYOUT_SECONDS = 2.0
LAYOUT_CHARACTERS = 1_000_000


class _RootedLoader(jinja2.FileSystemLoader):
    """Loads `{% include %}`d files from the template folder only, links included."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(str(self.searchpath[0])).resolve()
        if not Path(filename).resolve().is_relative_to(root):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


@lru_cache(maxsize=16)
def _compiled_layout(source: str, folder: str) -> jinja2.Template:
    environment = BoundedSandbox(
        max_characters=LAYOUT_CHARACTERS,
        loader=_RootedLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.from_string(source)


def render_layout(template: Template, context: dict[str, Any]) -> str:
    """The layout's output for `context`; a `TemplateError` naming the layout when it fails
    or runs past its budget."""
    layout_path = template.folder / LAYOUT_FILE
    try:
        compiled = _compiled_layout(template.layout_source, str(template.folder))
        environment = compiled.environment
        assert isinstance(environment, BoundedSandbox)
        return environment.render_bounded(compiled, context, LAYOUT_SECONDS)
    except TemplateBudgetExceeded as error:
        raise TemplateError(Problem(layout_path, "", f"the layout {error}",
                                    "look for a loop that never ends or a value that grows "
                                    "without limit")) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(Problem(Location(layout_path, error.lineno or 1, 1), "",
                                    f"template syntax error: {error.message}")) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(Problem(layout_path, "", f"the layout uses an unknown name: "
                                    f"{error.message}",
                                    "see the README for the names a layout can use")) from None
    except jinja2.exceptions.SecurityError as error:
        raise TemplateError(Problem(layout_path, "", f"the layout tried something unsafe: "
                                    f"{error}")) from None
    except jinja2.TemplateError as error:
        raise TemplateError(Problem(layout_path, "", f"template error: {error}")) from None


def parse_layout(markup: str, template: Template) -> ElementTree.Element:
    """The layout's output as an XML tree (never with a DOCTYPE or entities)."""
    if "<!DOCTYPE" in markup or "<!ENTITY" in markup:
        raise TemplateError(Problem(template.folder / LAYOUT_FILE, "",
                                    "the layout may not declare a DOCTYPE or entities"))
    try:
        return ElementTree.fromstring(markup)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise TemplateError(Problem(
            template.folder / LAYOUT_FILE, "",
            f"the layout produced malformed XML at output line {line}, column {column + 1}: "
            f"{error.msg if hasattr(error, 'msg') else error}",
            "check that every <p>, <row> and <cell> is closed")) from None
