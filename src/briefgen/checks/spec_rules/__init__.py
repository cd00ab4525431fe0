"""The rules that need only the spec and its template, in the order `check_spec` runs them."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.checks.spec_rules import (
    charts,
    drafts,
    figures,
    repetition,
    sources,
    texts,
    translations,
)
from briefgen.checks.spec_rules.rule import CheckedSpec, SpecRule
from briefgen.errors import Problem
from briefgen.spec.loader import YamlDocument
from briefgen.spec.models import BriefSpec
from briefgen.template import Template

SPEC_RULES: tuple[SpecRule, ...] = (
    figures.anachronisms,
    figures.stale_figures,
    sources.incomplete_sources,
    sources.unused_sources,
    texts.word_count,
    drafts.drafting,
    translations.languages,
    figures.misleading_figures,
    texts.cut_by_comments,
    repetition.repeated_words,
    translations.untranslated_texts,
    translations.untranslated_quotes,
    translations.figure_words,
    figures.labels_naming_their_source,
    texts.address_links,
    texts.empty_headings,
    charts.chart_rules,
    repetition.repeated_figures,
    sources.sources_address,
)


def check_spec(spec: BriefSpec, document: YamlDocument, template: Template,
               translation_warnings: Sequence[Problem] | None = None) -> list[Problem]:
    """Every rule that needs only the spec and the template, and the warnings about its
    translations that `translation.records.outdated_translations` finds (read here when
    not given)."""
    checked = CheckedSpec(spec, document, template)
    problems = [problem for rule in SPEC_RULES for problem in rule(checked)]
    if translation_warnings is None:
        from briefgen.translation.records import outdated_translations

        translation_warnings = outdated_translations(spec, document)
    return problems + list(translation_warnings)
