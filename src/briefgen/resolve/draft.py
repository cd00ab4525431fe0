"""What keeps a version a draft: a quote its speaker has not cleared, an amount that names
no source. The page then says it is a draft, and `briefgen email` does not attach it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefgen.resolve.language import first_text
from briefgen.spec.loader import FieldPath


@dataclass(frozen=True)
class DraftReason:
    """Something a version prints that must be settled before it circulates."""

    origin: FieldPath
    message: str
    hint: str
    rule: str


def quote_cleared(quote: Any) -> bool:
    """Whether a quote may circulate: its speaker agreed, or its words are on the public
    record and it names where."""
    return bool(quote.consent or (quote.public and quote.source))


def amount_sourced(amount: Any) -> bool:
    """Whether an ask's amount says where it comes from: a stat, a source, or your own
    request (`requested: true`)."""
    return amount.stat is not None or amount.source is not None or amount.requested


def draft_reasons(quotes: list[Any], quotes_path: FieldPath, asks: list[Any],
                  asks_path: FieldPath) -> list[DraftReason]:
    """What keeps a version from circulating, among what it prints: a quote without the
    speaker's consent (unless it is on the public record and names its source), and an
    ask's amount that names no source and is not marked as your own request."""
    reasons = [_uncleared(quote, (*quotes_path, index)) for index, quote in enumerate(quotes)
               if not quote_cleared(quote)]
    reasons += [DraftReason(
        (*asks_path, index, "amount"),
        "the ask's amount names no source and is not marked as your own request",
        "add source: (or give the amount as stat: with a figure's id); for an amount you ask "
        "for yourself, add requested: true", "amount-source")
        for index, ask in enumerate(asks)
        if ask.amount is not None and not amount_sourced(ask.amount)]
    return reasons


def _uncleared(quote: Any, path: FieldPath) -> DraftReason:
    speaker = first_text(quote.speaker)
    if quote.public:
        return DraftReason((*path, "public"),
                           f"the quote by {speaker} is marked public but names no source",
                           "add source: with the id of the speech or publication it comes "
                           "from, or record consent: true", "quote-consent")
    return DraftReason(path, f"no consent recorded for the quote by {speaker}",
                       "confirm the speaker agrees to be quoted, then add consent: true; for "
                       "words on the public record add public: true and their source",
                       "quote-consent")
