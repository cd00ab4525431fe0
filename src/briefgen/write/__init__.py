"""Output side, last stage: a brief's files written all together or not at all (`atomic`), and
its email drafts (`drafts`, with `cover_note` and `attachments`)."""

from briefgen.write.atomic import OutputFile, write_atomically

__all__ = ["OutputFile", "write_atomically"]
