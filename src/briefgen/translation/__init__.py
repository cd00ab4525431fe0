"""Translators in the loop: a brief's texts out to a translation tool and back.

    texts.py        which fields of a spec are translatable, from what, and their stable names
    records.py      which source text each translation was made from (`*.translations.yaml`)
    xliff.py        the XLIFF 1.2 file a translator works in; placeholders.py, markup as tags
    units.py        a text as an XLIFF unit with its notes, and its translation back
    yaml_edit.py    translations written into the spec as the person wrote it
    spec_update.py  the files and records an import writes
    brief.py        the brief being translated, and its languages
    exchange.py     `briefgen translate export / import / status`, end to end
"""

from briefgen.errors import command_path as command_path
