"""Templates: a folder with design values (`template.yaml`) and a layout (`page.xml.j2`).

The layout is Jinja2 run in a sandbox (`sandbox.py`) with undefined names as errors. It places
content; it never formats or escapes it: user text reaches the layout as references (see
`compose`), so no text a user types can become layout markup. Design values are validated
like specs (`design.py`); `base_document.py` reads the Word document a DOCX is built on.
"""

from briefgen.template.design import TemplateDesign
from briefgen.template.folder import (
    BASE_DOCUMENT_FILE,
    DESIGN_FILE,
    LAYOUT_FILE,
    Template,
    builtin_template_roots,
    find_shipped_base_document,
    find_template,
    load_template,
    load_template_folder,
    template_search_path,
)

__all__ = [
    "BASE_DOCUMENT_FILE",
    "DESIGN_FILE",
    "LAYOUT_FILE",
    "Template",
    "TemplateDesign",
    "builtin_template_roots",
    "find_shipped_base_document",
    "find_template",
    "load_template",
    "load_template_folder",
    "template_search_path",
]
