"""The rule on what makes versions drafts: quotes not cleared, amounts with no source."""

from __future__ import annotations

from collections.abc import Iterator

from briefgen.checks.spec_rules.rule import CheckedSpec
from briefgen.errors import Problem
from briefgen.resolve.draft import draft_reasons
from briefgen.spec.validate import ask_lists, quote_lists


def drafting(checked: CheckedSpec) -> Iterator[Problem]:
    """What makes the versions that print it drafts (see `resolve.draft`), in every list
    of quotes and asks: a quote without consent that is not on the public record with its
    source (`quote-consent`), an ask's amount with no source that is not your own request
    (`amount-source`). Warnings: a draft is built, and says so on its page."""
    spec, document = checked.spec, checked.document
    reasons = [reason for path, quotes in quote_lists(spec)
               for reason in draft_reasons(quotes, path, [], ())]
    reasons += [reason for path, asks in ask_lists(spec)
                for reason in draft_reasons([], (), asks, path)]
    for reason in reasons:
        yield Problem(document.locate(reason.origin), document.describe(reason.origin),
                      f"{reason.message}, so the versions that print it are drafts",
                      reason.hint, rule=reason.rule, severity="warning")
