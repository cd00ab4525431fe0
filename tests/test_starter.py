"""`briefgen new` and `briefgen schema`: a starter spec that builds as it is, and the JSON
Schema that editors read (with the committed copy kept fresh)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from briefgen.cli import app
from tests.support import EXAMPLE_SPEC, ROOT

runner = CliRunner()
COMMITTED_SCHEMA = ROOT / "briefs" / "brief.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema=brief.schema.json"


def invoke(*arguments: str) -> Result:
    return runner.invoke(app, list(arguments))


@pytest.fixture
def starter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`briefgen new demo` run in an empty folder; the path of the spec it wrote."""
    monkeypatch.chdir(tmp_path)
    result = invoke("new", "demo")
    assert result.exit_code == 0, result.output
    return Path("briefs", "demo.yaml")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = invoke("schema")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# briefgen new


def test_new_writes_the_spec_and_the_schema_beside_it(starter: Path) -> None:
    assert sorted(path.name for path in Path("briefs").iterdir()) == ["brief.schema.json",
                                                                      "demo.yaml"]
    text = starter.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert Path("briefs", "brief.schema.json").read_text(encoding="utf-8") == invoke(
        "schema").stdout


def test_the_starter_is_a_brief_with_the_given_id(starter: Path) -> None:
    data = yaml.safe_load(starter.read_text(encoding="utf-8"))
    assert data["brief"]["id"] == "demo"
    assert data["brief"]["date"] == dt.date.today()
    assert "__" not in starter.read_text(encoding="utf-8")  # every placeholder filled in


def test_the_starter_builds_as_it_is(starter: Path) -> None:
    result = invoke("build", str(starter), "--out", "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    built = sorted(path.suffix for path in Path("out", "demo").glob("[!.]*"))
    assert built == [".docx", ".pdf"]


def test_the_starter_passes_check_without_errors(starter: Path) -> None:
    result = invoke("check", str(starter))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"1 spec checked: 0 errors, \d+ warnings?\n", result.stderr), result.stderr


def test_new_never_overwrites_a_spec(starter: Path) -> None:
    starter.write_text(starter.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    before = starter.read_bytes()
    result = invoke("new", "demo")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert "Traceback" not in result.output
    assert starter.read_bytes() == before


@pytest.mark.parametrize("name", ["Bad Name", "Demo", "-demo", "demo-", "démo", "../demo",
                                  "a--b", "x" * 61],
                         ids=["space", "capital", "leading-hyphen", "trailing-hyphen", "accent",
                              "path", "double-hyphen", "61-characters"])
def test_new_refuses_a_name_that_is_not_a_brief_id(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   name: str) -> None:
    """Whatever `new` accepts must be a valid brief id, or the starter would not build."""
    monkeypatch.chdir(tmp_path)
    result = invoke("new", "--", name)
    written = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    assert result.exit_code == 1, (f"`briefgen new {name}` wrote {written}, a spec whose brief.id "
                                   f"is invalid, so it does not build")
    assert "lower-case letters, digits and hyphens" in result.stderr
    assert written == []


def test_new_into_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("new", "masg-2026", "--folder", "specs")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in Path("specs").iterdir()) == ["brief.schema.json",
                                                                     "masg-2026.yaml"]
    assert "briefgen build specs/masg-2026.yaml" in result.stdout


# ---------------------------------------------------------------------------------------------
# briefgen schema


def test_schema_is_a_strict_json_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Ask"]["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object" and "properties" in definition:
            assert definition.get("additionalProperties") is False, f"{name} allows unknown keys"
    assert set(schema["required"]) == {"brief", "summary", "asks"}


def test_every_field_is_described(schema: dict[str, Any]) -> None:
    """Editors show these on hover; a model, at least, always says what it is."""
    for name, definition in schema["$defs"].items():
        assert definition.get("description"), f"$defs.{name} has no description"


def test_the_committed_schema_is_current() -> None:
    current = invoke("schema").stdout
    committed = COMMITTED_SCHEMA.read_text(encoding="utf-8")
    assert committed == current, (
        "briefs/brief.schema.json is stale: the models changed since it was generated. "
        "Regenerate it with:  briefgen schema > briefs/brief.schema.json")


# A small JSON Schema validator for what pydantic emits ($ref, anyOf, type, properties,
# additionalProperties, patternProperties, items, enum, pattern, required). Why: jsonschema is
# not a dependency, and the point is to read the example the way an editor does.

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),
}


def schema_errors(value: Any, node: dict[str, Any], root: dict[str, Any], where: str = ""
                  ) -> list[str]:
    if "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        branches = [schema_errors(value, branch, root, where) for branch in node["anyOf"]]
        return [] if any(not errors for errors in branches) else min(branches, key=len)
    expected = node.get("type")
    if expected and not (isinstance(value, _TYPES[expected])
                         and not (expected in {"integer", "number"} and isinstance(value, bool))):
        return [f"{where or 'top level'}: expected {expected}, found {type(value).__name__}"]
    if "enum" in node and value not in node["enum"]:
        return [f"{where}: {value!r} is not one of {node['enum']}"]
    if isinstance(value, str) and "pattern" in node and not re.search(node["pattern"], value):
        return [f"{where}: {value!r} does not match {node['pattern']}"]
    errors: list[str] = []
    if isinstance(value, dict):
        properties = node.get("properties", {})
        patterns = node.get("patternProperties", {})
        errors += [f"{where or 'top level'}: missing {key!r}" for key in node.get("required", [])
                   if key not in value]
        for key, item in value.items():
            path = f"{where}.{key}" if where else key
            if key in properties:
                errors += schema_errors(item, properties[key], root, path)
                continue
            matched = [schema for pattern, schema in patterns.items() if re.search(pattern, key)]
            for sub in matched:
                errors += schema_errors(item, sub, root, path)
            if not matched and node.get("additionalProperties") is False:
                errors.append(f"{path}: unknown key")
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            errors += schema_errors(item, node["items"], root, f"{where}[{index}]")
    return errors


def as_json_data(value: Any) -> Any:
    """YAML 1.1 turns 2025-03-24 into a date; JSON (and the schema) has only strings."""
    if isinstance(value, dict):
        return {str(key): as_json_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json_data(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return as_json_data(yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8")))  # type: ignore[no-any-return]


def test_the_example_uses_only_keys_the_schema_knows(schema: dict[str, Any],
                                                     example: dict[str, Any]) -> None:
    assert set(example) <= set(schema["properties"])
    assert schema_errors(example, schema, schema) == []


def test_the_schema_catches_a_misspelt_key(schema: dict[str, Any],
                                           example: dict[str, Any]) -> None:
    assert "sumary" not in schema["properties"]
    misspelt = {("sumary" if key == "summary" else key): value for key, value in example.items()}
    assert schema_errors(misspelt, schema, schema) == ["top level: missing 'summary'",
                                                       "sumary: unknown key"]
    nested = {**example, "brief": {**example["brief"], "detial": "x"}}
    assert schema_errors(nested, schema, schema) == ["brief.detial: unknown key"]


def test_the_schema_catches_a_per_language_key_that_briefgen_refuses(
        schema: dict[str, Any], example: dict[str, Any]) -> None:
    """briefgen refuses `french:` in a per-language text ('french' is not a language tag);
    an editor reading the schema must underline it too, not accept it silently."""
    summary = {"en": "Landmines still block the way home.", "french": "Les mines."}
    errors = schema_errors({**example, "summary": summary}, schema, schema)
    assert errors, ("the schema accepts summary.french: its per-language objects have "
                    "patternProperties but neither additionalProperties: false nor a "
                    "propertyNames pattern")
