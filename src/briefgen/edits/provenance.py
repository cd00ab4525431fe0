"""What a DOCX records of the spec and version it was built from (`render/docx_marks.py`).

Each field a version prints is recorded with its path in the spec and a fingerprint of its
text there, so that `briefgen take-back` can tell, field by field, whether the spec changed
since the DOCX was built; the fingerprint of all of them says whether anything did.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from briefgen import __version__
from briefgen.render.docx_marks import DocxOrigin, FieldSource
from briefgen.resolve.view import BriefView
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path, value_at
from briefgen.spec.models import BriefSpec
from briefgen.translation.texts import text_hash


def docx_origin(spec: BriefSpec, document: YamlDocument, view: BriefView) -> DocxOrigin:
    """The record of what one version's DOCX is built from."""
    fields = {format_field_path(text.origin): field_source(document, text.origin)
              for text in view.texts}
    return DocxOrigin(brief_id=spec.brief.id, spec_name=document.path.name,
                      texts_hash=texts_hash(fields), audience_id=view.audience_id,
                      language=view.language, briefgen_version=__version__, fields=fields)


def field_source(document: YamlDocument, path: FieldPath) -> FieldSource:
    """A field's path and the fingerprint of its text in the spec.

    A field whose value is not a text (an ask's amount, which briefgen words from its
    figure) gets the fingerprint of its data."""
    value = value_at(document.data, path)
    typed = value if isinstance(value, str) else json.dumps(value, sort_keys=True,
                                                            default=str, ensure_ascii=False)
    return FieldSource(tuple(path), _fingerprint(typed))


@lru_cache(maxsize=4096)
def _fingerprint(text: str) -> str:
    # A batch or watch prints the same texts again and again.
    return text_hash(text)


def texts_hash(fields: dict[str, FieldSource]) -> str:
    """One fingerprint of every field's text."""
    joined = "\n".join(f"{origin}={source.text_hash}" for origin, source in sorted(
        fields.items()))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
