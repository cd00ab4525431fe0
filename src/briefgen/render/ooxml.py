"""Office Open XML namespaces and units, in one place for every module that reads or writes
Word files.

Free of python-docx on purpose: the base document is measured while fitting, `briefgen
check` included, where importing python-docx would add about 37 ms (measured).
"""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
MARKUP_COMPATIBILITY = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

EMU_PER_POINT = 12700  # English Metric Units, DrawingML's length
TWIPS_PER_POINT = 20  # twentieths of a point, WordprocessingML's length
HALF_POINTS_PER_POINT = 2  # font sizes


def tag(namespace: str, name: str) -> str:
    """`{namespace}name`, as lxml names elements and attributes."""
    return f"{{{namespace}}}{name}"
