"""Editorial rules a brief must pass before it goes out: sources, dates, consent, length, contrast.

Each rule yields `Problem`s with a rule id and a severity. `briefgen check` prints them all;
`briefgen build` runs the same rules and refuses to write when any is an error.

    spec_rules/        rules on the spec and its template, by theme (`check_spec`)
    document_rules.py  rules on the composed page: contrast, alt text (`check_document`)
"""

from briefgen.checks.document_rules import LOGO_CONTRAST as LOGO_CONTRAST
from briefgen.checks.document_rules import check_document as check_document
from briefgen.checks.document_rules import contrast_ratio as contrast_ratio
from briefgen.checks.document_rules import logo_contrast as logo_contrast
from briefgen.checks.document_rules import logo_problem as logo_problem
from briefgen.checks.document_rules import masthead_background as masthead_background
from briefgen.checks.spec_rules import check_spec as check_spec
from briefgen.checks.spec_rules.sources import cited_source_ids as cited_source_ids
from briefgen.checks.spec_rules.texts import running_words as running_words
