"""The brief being translated: loaded as a build loads it, the languages it can be
translated into, and those it is being translated into."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import Location, Problem, SpecError, UserError
from briefgen.resolve.language import RIGHT_TO_LEFT, base_language, same_language
from briefgen.spec.loader import YamlDocument
from briefgen.spec.models import BriefSpec
from briefgen.translation.records import RecordBook
from briefgen.translation.texts import LocalizedField, text_hash

if TYPE_CHECKING:
    from briefgen.template import Template

XLIFF_SUFFIX = ".xlf"


def load_brief(spec_path: Path) -> tuple[YamlDocument, BriefSpec]:
    """The spec with its fact files, validated as `build` does."""
    from briefgen.spec.includes import load_spec
    from briefgen.spec.validate import validate_spec

    document = load_spec(spec_path)
    return document, validate_spec(document)


def load_brief_template(spec: BriefSpec, spec_path: Path) -> Template:
    """The template the brief is built with: its labels are part of what a version prints."""
    from briefgen.template import load_template

    return load_template(spec.brief.template, spec_path)


def default_export_path(spec_path: Path, language: str) -> Path:
    """`briefs/masg-2025.fr.xlf` for `briefs/masg-2025.yaml` into French."""
    return spec_path.with_name(f"{spec_path.stem}.{language}{XLIFF_SUFFIX}")


def export_mark(brief_id: str, language: str) -> str:
    """What an export records of what it was made for: the language, and a fingerprint of
    the brief and the language that an edit of either attribute no longer matches."""
    return f"{language} {text_hash(f'{brief_id} {language}')}"


def checked_language(tag: str, spec: BriefSpec, where: Location) -> str:
    """A language a brief can be translated into, as its canonical tag (`fr`, `fr-CH`)."""
    canonical = _canonical_language(tag, where)
    if base_language(canonical) in RIGHT_TO_LEFT:
        raise UserError(Problem(where, "", f"{canonical!r} is written right to left, which "
                                "briefgen cannot lay out yet",
                                "translate the brief into a left-to-right language"))
    if same_language(canonical, spec.brief.language):
        raise UserError(Problem(where, "", f"the brief is written in {spec.brief.language!r} "
                                f"(brief.language): its texts are the ones translated",
                                "choose another language, e.g. --to fr"))
    # A regional tag no version uses is stored under its language (`fr-FR` as `fr`), as
    # specs write it; a region a version is printed in keeps its own key (`fr-CH`).
    regions = {audience.language for audience in spec.audiences}
    return canonical if canonical in regions else base_language(canonical)


def _canonical_language(tag: str, where: Location) -> str:
    """A known language's tag, written as specs write it (`fr-CH`)."""
    from pydantic import TypeAdapter, ValidationError

    from briefgen.resolve.locale_format import is_known_language
    from briefgen.spec.models import LanguageTag

    try:
        canonical: str = TypeAdapter(LanguageTag).validate_python(tag)
    except ValidationError:
        raise UserError(Problem(where, "", f"{tag!r} is not a language tag",
                                "use a tag such as fr, ru, az or fr-CH")) from None
    if not is_known_language(canonical):
        raise UserError(Problem(where, "", f"unknown language code {canonical!r}",
                                "use a BCP 47 tag such as fr, ru or az"))
    return canonical


def languages_in_use(spec: BriefSpec, fields: list[LocalizedField], spec_path: Path,
                     book: RecordBook) -> list[str]:
    """Languages of the brief's versions, of its texts, of its translation records and of the
    files exported beside it (`masg-2025.az.xlf`), without the brief's own: a translation
    sent out is followed before any version is printed in its language."""
    candidates = [audience.language for audience in spec.audiences if audience.language]
    candidates += [language for item in fields if isinstance(item.value, dict)
                   for language in item.value]
    candidates += _recorded_languages(fields, book)
    candidates += _exported_languages(spec, spec_path)
    found: list[str] = []
    for language in candidates:
        base = base_language(language)
        if not same_language(base, spec.brief.language) and base not in found:
            found.append(base)
    return found


def _recorded_languages(fields: list[LocalizedField], book: RecordBook) -> list[str]:
    """The languages the translation records hold, field by field."""
    found: list[str] = []
    for item in fields:
        with suppress(SpecError):  # a broken record is `check`'s to report
            found += list(book.records(book.file_of(item)).get(item.key, {}))
    return found


def _exported_languages(spec: BriefSpec, spec_path: Path) -> list[str]:
    """The languages of the translation files exported beside the spec under their usual
    names (`masg-2025.az.xlf`), in the order of their names."""
    found = []
    prefix = f"{spec_path.stem}."
    for path in sorted(spec_path.parent.glob(f"*{XLIFF_SUFFIX}")):
        language = path.name[len(prefix):-len(XLIFF_SUFFIX)]
        if path.name.startswith(prefix) and language:
            with suppress(UserError):
                found.append(checked_language(language, spec, Location(path, 1, 1)))
    return found
