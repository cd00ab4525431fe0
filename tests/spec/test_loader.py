"""The YAML loader: plain data with positions; tags, anchors, duplicates and bad bytes refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import SpecError
from briefgen.spec.loader import load_yaml


@pytest.fixture(autouse=True)
def _short_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Messages show paths relative to the working directory: keep them to "spec.yaml".
    monkeypatch.chdir(tmp_path)


def load_text(text: str | bytes) -> object:
    path = Path("spec.yaml")
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_yaml(path)


def error_of(text: str | bytes) -> str:
    with pytest.raises(SpecError) as caught:
        load_text(text)
    return str(caught.value)


def test_duplicate_key_names_both_lines() -> None:
    message = error_of("brief:\n  id: first\n  title: T\n  id: second\n")
    assert message.splitlines()[0] == (
        "spec.yaml:4:3: brief.id: duplicate key 'id' (first written at line 2)")


def test_python_object_tag_is_refused_before_anything_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"brief:\n  title: !!python/object/apply:os.system ['touch {marker}']\n"
    message = error_of(text)
    assert message.startswith("spec.yaml:2:10: YAML tags such as ")
    assert "python/object/apply:os.system" in message
    assert "are not allowed" in message
    assert not marker.exists()


def test_custom_tag_is_refused_with_its_position() -> None:
    message = error_of("brief:\n  id: x\nsummary: !custom Hello\n")
    assert message.splitlines()[0] == (
        "spec.yaml:3:10: YAML tags such as '!custom' are not allowed")
    assert "hint: remove the tag" in message


def test_anchor_is_refused() -> None:
    message = error_of("asks:\n  - &first\n    headline: A\n  - *first\n")
    assert message.splitlines()[0] == "spec.yaml:2:5: anchors (&name) are not supported"


def test_alias_is_refused() -> None:
    message = error_of("summary: text\ndetail: *summary\n")
    assert message.splitlines()[0] == "spec.yaml:2:9: aliases (*name) are not supported"


def test_billion_laughs_stops_at_the_first_anchor() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        previous, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    message = error_of("\n".join(lines) + "\n")
    assert message.startswith("spec.yaml:1:4: anchors (&name) are not supported")


def test_merge_key_is_refused() -> None:
    message = error_of("base:\n  a: 1\nother:\n  <<: {a: 2}\n")
    assert "spec.yaml:4:3: other: merge keys (<<) are not supported" in message


@pytest.mark.parametrize(("line", "key", "expected"), [
    ("language: no", "language", "no"),
    ("language: NO", "language", "NO"),
    ("featured: yes", "featured", "yes"),
    ("featured: on", "featured", "on"),
    ("id: 01234", "id", "01234"),
    ("id: 0x1F", "id", "0x1F"),
    ("title: 12:30", "title", "12:30"),
    ("title: 1e3", "title", "1e3"),
    ("value: 1_000", "value", "1_000"),
    ("date: 2025-04-09", "date", "2025-04-09"),
    ("title: .inf", "title", ".inf"),
    ('title: "null"', "title", "null"),
    ("title: ''", "title", ""),
])
def test_scalars_stay_the_text_the_user_typed(line: str, key: str, expected: str) -> None:
    data = load_text(line + "\n").data  # type: ignore[attr-defined]
    assert data[key] == expected
    assert type(data[key]) is str


@pytest.mark.parametrize("line", ["subtitle:", "subtitle: null", "subtitle: ~", "subtitle: Null"])
def test_empty_and_null_values_are_none(line: str) -> None:
    assert load_text(line + "\n").data == {"subtitle": None}  # type: ignore[attr-defined]



def test_positions_of_keys_and_values_are_kept() -> None:
    document = load_text("brief:\n  id: x\nasks:\n  - headline: Fund\n    detail: Now\n")
    assert document.data == {"brief": {"id": "x"},  # type: ignore[attr-defined]
                             "asks": [{"headline": "Fund", "detail": "Now"}]}
    detail = document.locate(("asks", 0, "detail"))  # type: ignore[attr-defined]
    assert (detail.line, detail.column) == (5, 13)
    key = document.locate(("asks", 0, "detail"), key=True)  # type: ignore[attr-defined]
    assert (key.line, key.column) == (5, 5)
    # A field that is not written points at its nearest written ancestor.
    missing = document.locate(("asks", 0, "nothing", "here"))  # type: ignore[attr-defined]
    assert (missing.line, missing.column) == (4, 5)


def test_tab_indentation_is_located_with_a_hint_about_tabs() -> None:
    message = error_of("brief:\n\tid: x\n")
    lines = message.splitlines()
    assert lines[0].startswith("spec.yaml:2:1: YAML syntax error: ")
    assert lines[1] == "    hint: indent with spaces, not tabs"


def test_syntax_error_is_located_with_a_hint() -> None:
    lines = error_of("brief:\n  title: Mines: a crisis\n").splitlines()
    assert lines[0].startswith("spec.yaml:2:15: YAML syntax error: mapping values are not allowed")
    assert lines[1:] == ["    hint: check this line's indentation against the lines above; or, if "
                         "the value contains ': ', put it in quotes"]


def test_unclosed_quote_is_located() -> None:
    message = error_of('brief:\n  title: "Mines\nsummary: x\n')
    assert message.startswith("spec.yaml:")
    assert "YAML syntax error" in message
    assert "Traceback" not in message


def test_invalid_utf8_is_located() -> None:
    message = error_of(b"brief:\n  title: caf\xe9 au lait\n")
    assert message.splitlines() == [
        "spec.yaml:2:13: file is not valid UTF-8 text",
        "    hint: save the file as UTF-8 in your editor",
    ]


def test_invalid_utf8_column_counts_characters_like_an_editor() -> None:
    # "  title: Ağdam " is 15 characters (16 bytes: ğ takes two); the bad byte is the 16th
    # character of the line, which is where an editor puts the cursor.
    message = error_of("brief:\n  title: Ağdam ".encode() + b"\xff\n")
    assert message.splitlines()[0] == "spec.yaml:2:16: file is not valid UTF-8 text"


def test_byte_order_mark_is_accepted() -> None:
    assert load_text(b"\xef\xbb\xbfsummary: x\n").data == {"summary": "x"}  # type: ignore[attr-defined]


def test_nul_byte_is_located() -> None:
    message = error_of("brief:\n  title: ab\x00cd\n")
    assert message.splitlines() == [
        "spec.yaml:2:12: file contains a NUL character",
        "    hint: is this a binary file?",
    ]


def test_control_character_is_a_located_user_error() -> None:
    # Word puts a vertical tab (U+000B) where a manual line break was: pasting a sentence from
    # Word into a spec is common. YAML does not allow the character; briefgen must say where.
    try:
        load_text("brief:\n  title: Mines\x0bstill kill\n")
    except SpecError as error:
        assert str(error).startswith("spec.yaml:2:15: ")
    except Exception as error:
        pytest.fail(f"{type(error).__name__} escaped the loader instead of a located SpecError "
                    f"(the CLI reports it as an internal error, exit 70): {error}")
    else:
        pytest.fail("a vertical tab, which YAML forbids, was accepted")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file_is_reported(text: str) -> None:
    assert error_of(text).splitlines()[0] == "spec.yaml:1:1: the file is empty"


def test_a_second_document_is_refused_with_a_hint() -> None:
    lines = error_of("summary: one\n---\nsummary: two\n").splitlines()
    assert lines[0].startswith("spec.yaml:2:1: ")
    assert "document" in lines[0]
    assert lines[1:] == ["    hint: a spec holds one document: remove the extra '---'"]


def test_a_leading_document_marker_is_fine() -> None:
    assert load_text("---\nsummary: one\n").data == {"summary": "one"}  # type: ignore[attr-defined]


def test_missing_file_and_folder_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="file not found"):
        load_yaml(Path("nothing.yaml"))
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(SpecError, match="is a folder"):
        load_yaml(Path("folder.yaml"))


def test_all_duplicate_keys_are_reported_at_once() -> None:
    message = error_of("a: 1\nb: 2\na: 3\nb: 4\n")
    located = [line for line in message.splitlines() if not line.startswith("    ")]
    assert located == [
        "spec.yaml:3:1: a: duplicate key 'a' (first written at line 1)",
        "spec.yaml:4:1: b: duplicate key 'b' (first written at line 2)",
    ]
