"""A colleague's edits in a brief's DOCX, taken back into the spec (`briefgen take-back`).

    provenance.py  what a DOCX records of the spec and version it was built from
    reader.py      an edited DOCX read safely: paragraphs, marks, tracked changes, comments
    words.py       printed characters, and where two runs of them differ word by word
    compare.py     each paragraph as built against the edited one: which field changed how
    printed.py     what a text of the spec prints, character by character, typed where
    markup.py      a field's printed words back to the spec's text, citations kept
    take_back.py   the command's work, end to end: read, compare, check, write (all or none)
"""
