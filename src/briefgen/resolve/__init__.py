"""Resolve: a brief as one audience's version prints it (`view.resolve_brief` -> `BriefView`).

    version.py        which values a version prints: the audience's own, else the brief's
    user_text.py      the spec's texts read in the version's language, numbered
    figures.py        figures and amounts as printed; charts.py, a chart's values and words
    draft.py          what keeps a version a draft
    language.py       texts given per language; locale_format.py, numbers and dates
    assets.py, qr.py  the logo and the sources' QR code
"""
