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
    assert error_of("brief:\n\tid: x\n").splitlines() == [
        "spec.yaml:2:1: this line is indented with a tab; a spec is indented with spaces only",
        "    hint: replace the tab with spaces"]


# Common mistakes, as people who do not know YAML's terms make them, and the exact words
# briefgen answers with: no "block mapping", "simple key" or "token".
SYNTAX_ERRORS = [
    ("colon-inside-a-value",
     "brief:\n  title: Mines: a crisis\n",
     ["spec.yaml:2:15: the text after 'title:' contains ': ', which marks a new key",
      '    hint: put the whole text in quotes, e.g. title: "... : ..."']),
    ("colon-inside-a-list-item",
     "asks:\n  - headline: Act now: fund clearance\n",
     ["spec.yaml:2:22: the text after 'headline:' contains ': ', which marks a new key",
      '    hint: put the whole text in quotes, e.g. headline: "... : ..."']),
    ("line-indented-too-far",
     "brief:\n  id: x\n    title: y\n",
     ["spec.yaml:3:10: this line does not line up with the keys above it, or the line above "
      "lacks its ':'",
      "    hint: keys of one group start in the same column, and each key is followed by ': '"]),
    ("line-indented-too-little",
     "brief:\n  id: x\n title: y\n",
     ["spec.yaml:3:2: this line does not line up with the keys of its group",
      "    hint: keys of one group start in the same column"]),
    ("missing-colon",
     "brief:\n  id: x\n  title y\n",
     ["spec.yaml:3:3: this line has no ':' after its key",
      "    hint: write the key, a colon and a space, then the value, e.g. title: ..."]),
    ("unclosed-double-quote",
     'brief:\n  title: "Mines\nsummary: x\n',
     ["spec.yaml:2:10: this quotation mark is never closed",
      "    hint: add the closing quotation mark at the end of the text"]),
    ("unclosed-single-quote",
     "brief:\n  title: 'Mines\nsummary: x\n",
     ["spec.yaml:2:10: this quotation mark is never closed",
      "    hint: add the closing quotation mark at the end of the text"]),
    ("text-after-the-closing-quote",
     'summary: "Mines" still kill\n',
     ["spec.yaml:1:18: text follows the closing quotation mark or bracket on this line",
      "    hint: put the whole text in one pair of quotes"]),
    ("key-where-a-list-item-belongs",
     "asks:\n  - headline: a\n    detail: b\n  title: c\n",
     ["spec.yaml:4:3: a list item was expected here: lines of a list start with '- '",
      "    hint: start a new item with '- ', or indent this line to line up with the keys of "
      "the item above"]),
    ("list-item-among-keys",
     "asks:\n  headline: a\n  - headline: b\n",
     ["spec.yaml:3:3: a list item ('- ') is mixed in with keys",
      "    hint: a group holds either keys or list items: indent the list under its own key"]),
    ("list-on-the-key-line",
     "asks: - headline: a\n",
     ["spec.yaml:1:7: a list cannot start on the same line as its key",
      "    hint: start the list on the next line, each item on its own line after '- '"]),
    ("citation-at-the-start-of-a-value",
     "summary: [@displaced] people cannot go home\n",
     ["spec.yaml:1:11: a text cannot start with '[' unless it is in quotes: the line reads as a "
      "list",
      '    hint: put the whole text in quotes, e.g. summary: "[@figure] people ..."']),
    ("italic-at-the-start-of-a-value",
     "summary: *Urgent* action is needed\n",
     ["spec.yaml:1:10: a text cannot start with '*' unless it is in quotes",
      '    hint: put the whole text in quotes, e.g. summary: "*Urgent*: ..."']),
    ("at-sign-at-the-start-of-a-value",
     "summary: @ANAMA says so\n",
     ["spec.yaml:1:10: a text cannot start with '@' unless it is in quotes",
      '    hint: put the whole text in quotes, e.g. "@..."']),
    ("unknown-escape-in-double-quotes",
     'summary: "see C:\\xfiles"\n',
     ["spec.yaml:1:10: a backslash (\\) inside double quotes starts a special code, and this one "
      "is not known",
      "    hint: write \\\\ for a backslash, or use single quotes instead of double quotes"]),
    ("unclosed-bracket",
     "include: [facts/azerbaijan.yaml\nsummary: x\n",
     ["spec.yaml:1:10: the '[' here is never closed with ']'",
      "    hint: close it with ']', or put a text that starts with '[' in quotes"]),
    ("unclosed-brace",
     "summary: {a: b\nx: y\n",
     ["spec.yaml:1:10: the '{' here is never closed with '}'",
      "    hint: close it with '}', or put a text that starts with '{' in quotes"]),
    ("ampersand-at-the-start-of-a-value",
     "summary: & stuff\n",
     ["spec.yaml:1:10: a text cannot start with '&' unless it is in quotes",
      '    hint: put the whole text in quotes, e.g. summary: "& ..."']),
    ("percent-sign-at-the-start-of-a-line",
     "%YAML 1.1\n%FOO bar\n---\na: b\n",
     ["spec.yaml:2:1: a line cannot start with '%' unless it is in quotes",
      "    hint: put the text in quotes"]),
    ("text-after-a-document-end",
     "a: b\n...\nc: d\n",
     ["spec.yaml:3:1: the file holds more than one YAML document",
      "    hint: a spec holds one document: remove the extra '---' or '...'"]),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in SYNTAX_ERRORS],
                         ids=[case[0] for case in SYNTAX_ERRORS])
def test_syntax_errors_are_worded_for_people_who_do_not_know_yaml(text: str,
                                                                 expected: list[str]) -> None:
    message = error_of(text)
    assert message.splitlines() == expected
    for jargon in ("mapping", "scalar", "token", "block", "simple key", "stream"):
        assert jargon not in message


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
