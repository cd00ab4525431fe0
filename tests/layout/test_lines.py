"""Line breaking on its own: measured words in, lines out, with every character one point
wide so that each case reads off the text."""

from __future__ import annotations

from briefgen.layout.lines import Line, Run, RunFormat, Word, break_words, fill_lines

PLAIN = RunFormat("Carlito", 10.0, 0.0, "#000000", None, 0.0)
ITALIC = PLAIN._replace(italic=True, size=12.0)


def run(text: str, run_format: RunFormat = PLAIN) -> Run:
    return Run(run_format, text, float(len(text)))


def words(text: str, run_format: RunFormat = PLAIN) -> list[Word]:
    """The words of `text`, split at spaces (a no-break space stays inside a word)."""
    return [Word(run(" ", run_format) if index else None, [run(part, run_format)], len(part))
            for index, part in enumerate(text.split(" "))]


def texts(lines: list[Line]) -> list[str]:
    return ["".join(piece.text for piece in line.runs) for line in lines]


def test_lines_are_filled_greedily_at_spaces() -> None:
    assert texts(break_words(words("aa bb cc dd"), 5, run)) == ["aa bb", "cc dd"]


def test_a_no_break_space_keeps_its_words_together() -> None:
    assert texts(break_words(words("of 10\u00a0000 people"), 8, run)) == [
        "of", "10\u00a0000", "people"]


def test_a_word_wider_than_the_line_is_cut_after_a_slash() -> None:
    lines = break_words(words("example.org/reports/mines"), 14, run)
    assert texts(lines) == ["example.org/", "reports/mines"]


def test_a_word_without_a_slash_or_hyphen_is_cut_with_a_hyphen_added() -> None:
    lines = break_words(words("abcdefghij"), 4, run)
    assert texts(lines) == ["abc-", "def-", "ghij"]
    assert all(line.width <= 4 for line in lines)


def test_a_last_line_of_one_short_word_takes_the_word_before_it() -> None:
    text = words("aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd e")
    assert texts(fill_lines(text, 20, run))[-2:] == ["ccccccccc ddddddddd", "e"]
    assert texts(break_words(text, 20, run))[-2:] == ["ccccccccc", "ddddddddd e"]


def test_an_italic_word_at_a_lines_end_leaves_the_room_word_processors_keep() -> None:
    """A twelfth of the size after italic text: the DOCX breaks the line there too."""
    assert texts(break_words(words("aaaa bbbb"), 9, run)) == ["aaaa bbbb"]
    assert texts(break_words(words("aaaa bbbb", ITALIC), 9.5, run)) == ["aaaa", "bbbb"]


def test_pieces_in_one_format_are_one_run() -> None:
    word = Word(None, [run("382"), run("²", PLAIN._replace(rise=3.0)), run(",")], 5)
    (line,) = fill_lines([word], 10, run)
    assert [piece.text for piece in line.runs] == ["382", "²", ","]
    (line,) = fill_lines(words("one two"), 10, run)
    assert [piece.text for piece in line.runs] == ["one two"]
