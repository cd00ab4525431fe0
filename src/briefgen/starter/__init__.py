"""`briefgen new` and `briefgen schema`: a starter spec and the JSON Schema editors use."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from briefgen.errors import Problem, UserError
from briefgen.spec.loader import ID_PATTERN

SCHEMA_FILE = "brief.schema.json"


def schema_json() -> str:
    """The JSON Schema of a brief spec, from the models that validate specs."""
    from briefgen.spec.models import BriefSpec

    schema = BriefSpec.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    _close_language_maps(schema)
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _close_language_maps(node: object) -> None:
    """Per-language texts accept only language tags as keys, as briefgen does.

    pydantic describes `dict[LanguageTag, str]` with patternProperties but leaves other keys
    open; editors would then accept `{french: ...}`, which briefgen refuses.
    """
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_language_maps(value)
    elif isinstance(node, list):
        for value in node:
            _close_language_maps(value)


def starter_spec(brief_id: str, today: dt.date) -> str:
    text = (Path(__file__).parent / "starter.yaml").read_text(encoding="utf-8")
    start = today + dt.timedelta(days=30)
    return (text.replace("__ID__", brief_id).replace("__DATE__", today.isoformat())
            .replace("__START__", start.isoformat())
            .replace("__END__", (start + dt.timedelta(days=2)).isoformat()))


def create_starter(name: str, folder: Path, today: dt.date) -> list[Path]:
    """Write `folder/NAME.yaml` (never over an existing file) and the schema beside it."""
    from briefgen.write import OutputFile, write_atomically

    if not re.fullmatch(ID_PATTERN, name) or len(name) > 60:
        raise UserError(Problem(Path(name), "", "a brief name is lower-case letters, digits "
                                "and hyphens (one at a time, not at either end), at most 60 "
                                "characters, e.g. masg-2026"))
    spec_path = folder / f"{name}.yaml"
    if spec_path.exists():
        raise UserError(Problem(spec_path, "", "already exists; nothing was written",
                                "choose another name or delete the file"))
    files = [OutputFile(spec_path, starter_spec(name, today).encode("utf-8"))]
    schema_path = folder / SCHEMA_FILE
    files.append(OutputFile(schema_path, schema_json().encode("utf-8")))
    write_atomically(files)
    return [file.path for file in files]
