"""Edits of a brief's DOCX made the way Word makes them, for the take-back tests.

python-docx changes a run's text as Word keeps a retyped word inside its run; tracked
changes are written as Word writes them (`w:ins`/`w:del` with `w:id`, `w:author`, `w:date`,
the deleted words as `w:delText`); comments through python-docx's comments part, which is
Word's (`word/comments.xml`, `w:commentRangeStart`/`End` and a `w:commentReference` run).
"""

from __future__ import annotations

import copy
import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DATE = "2025-03-26T09:14:00Z"
_IDS = itertools.count(900)


def paragraphs(document: docx.document.Document) -> Iterator[Paragraph]:
    """Every paragraph of the body, tables included, in document order."""
    for element in document.element.body.iter(qn("w:p")):
        yield Paragraph(element, document)


def run_with(document: docx.document.Document, words: str) -> Run:
    """The one run whose text holds `words`."""
    found = [run for paragraph in paragraphs(document)
             for run in itertools.chain(paragraph.runs, _link_runs(paragraph))
             if words in run.text]
    assert len(found) == 1, f"{words!r} is in {len(found)} runs"
    return found[0]


def _link_runs(paragraph: Paragraph) -> list[Run]:
    return [Run(element, paragraph) for link in paragraph._p.iter(qn("w:hyperlink"))
            for element in link.iter(qn("w:r"))]


def retype(document: docx.document.Document, old: str, new: str) -> None:
    """`old` typed over with `new`, inside the run that holds it."""
    run = run_with(document, old)
    run.text = run.text.replace(old, new)


def track(document: docx.document.Document, old: str, new: str,
          author: str = "Anna Novak") -> None:
    """`old` replaced by `new` with Track Changes on: the run is cut around the words, the
    old words in a `w:del` as `w:delText`, the new ones in a `w:ins`, as Word writes them."""
    run = run_with(document, old)
    element = run._r
    before, _, after = run.text.partition(old)
    properties = element.find(qn("w:rPr"))

    def piece(text: str, tag: str = "w:t") -> object:
        made = docx.oxml.OxmlElement("w:r")
        if properties is not None:
            made.append(copy.deepcopy(properties))
        text_element = docx.oxml.OxmlElement(tag)
        text_element.text = text
        text_element.set(qn("xml:space"), "preserve")
        made.append(text_element)
        return made

    def revision(tag: str, child: object) -> object:
        made = docx.oxml.OxmlElement(tag)
        made.set(qn("w:id"), str(next(_IDS)))
        made.set(qn("w:author"), author)
        made.set(qn("w:date"), DATE)
        made.append(child)
        return made

    pieces = []
    if before:
        pieces.append(piece(before))
    if old:
        pieces.append(revision("w:del", piece(old, "w:delText")))
    if new:
        pieces.append(revision("w:ins", piece(new)))
    if after:
        pieces.append(piece(after))
    for made in pieces:
        element.addprevious(made)
    element.getparent().remove(element)


def comment(document: docx.document.Document, words: str, text: str,
            author: str = "Pieter de Vries") -> None:
    """A comment on the run that holds `words`, as Word's Review > New Comment makes it."""
    document.add_comment(run_with(document, words), text=text, author=author, initials="PV")


def edit(path: Path, out: Path, *changes: tuple[str, str]) -> Path:
    """The DOCX at `path` with each (old, new) retyped, saved as `out`."""
    document = docx.Document(str(path))
    for old, new in changes:
        retype(document, old, new)
    document.save(str(out))
    return out


def through_libreoffice(docx_path: Path, work: Path, soffice: str) -> Path:
    """The DOCX opened and saved again by LibreOffice, which rewrites the whole file."""
    target = work / "libreoffice"
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={(work / 'lo').as_uri()}",
         "--convert-to", "docx", "--outdir", str(target), str(docx_path)],
        capture_output=True, text=True, timeout=180, check=False)
    saved = target / docx_path.name
    assert saved.is_file(), f"LibreOffice did not save {docx_path.name}: {result.stderr}"
    return saved
