"""Hostile and broken input: verbatim text or a clean located error, no code run, no partial output.

A property-based part feeds arbitrary text into the text fields; canary tests prove that
payloads in specs and templates do not run, read outside files or touch the network.
"""

from __future__ import annotations

import html
import re
import shutil
import socket
import tempfile
import unicodedata
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import UserError
from briefgen.spec.inline import parse_inline, plain_text
from tests.support import MINIMAL_SPEC, ROOT, build_brief

LOCATED = re.compile(r"spec\.yaml:\d+:\d+: ")
FIELDS = {
    "summary": lambda data, text: data.__setitem__("summary", text),
    "asks[0].detail": lambda data, text: data["asks"][0].__setitem__("detail", text),
    "sections[0].body": lambda data, text: data.setdefault(
        "sections", [{"heading": "Context", "body": "x"}])[0].__setitem__("body", text),
    "quotes[0].text": lambda data, text: data.setdefault(
        "quotes", [{"text": "x", "speaker": "A. Person", "consent": True}])[0]
    .__setitem__("text", text),
}


def minimal_data() -> dict[str, Any]:
    data = yaml.safe_load(MINIMAL_SPEC.read_text(encoding="utf-8"))
    for key in ("date",):
        data["brief"][key] = data["brief"][key].isoformat()
    data["brief"]["event"]["start"] = data["brief"]["event"]["start"].isoformat()
    return data  # type: ignore[no-any-return]


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    document = document.replace("<w:noBreakHyphen/>", "<w:t>-</w:t>")  # a hyphen in a word
    return html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", document)))


def squeeze(text: str) -> str:
    return " ".join(text.split())


# Any character a person could paste, surrogates aside (UTF-8 cannot carry them).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
               max_size=40)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(FIELDS)), text=TEXT)
def test_any_text_renders_verbatim_or_fails_cleanly(tmp_path: Path, field: str, text: str
                                                    ) -> None:
    # A fresh folder per example: Hypothesis may try the same example twice.
    folder = Path(tempfile.mkdtemp(dir=tmp_path, prefix="case-"))
    data = minimal_data()
    FIELDS[field](data, text)
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = folder / "out"
    try:
        result = build_brief(spec, out)
    except UserError as error:
        assert LOCATED.search(str(error).replace(str(folder) + "/", "")), str(error)
        assert not out.exists(), "a failed build left files behind"
        return
    stripped = unicodedata.normalize("NFC", text).strip()
    expected = squeeze(plain_text(parse_inline(stripped)))
    brief = result[0]
    if expected:
        assert expected in squeeze(docx_text(brief.docx.read_bytes()))
    assert sorted(path.name for path in (out / "minimal-brief").iterdir()
                  if not path.name.startswith(".")) == sorted(
        [brief.pdf.name, brief.docx.name])


CANARY_PAYLOADS = [
    ("summary: !!python/object/apply:os.system ['touch {canary}']",
     "YAML tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed"),
    ("summary: !!python/object/new:subprocess.Popen [['touch', '{canary}']]",
     "are not allowed"),
    ("summary: &a [*a]", "anchors (&name) are not supported"),
]


@pytest.mark.parametrize(("line", "message"), CANARY_PAYLOADS)
def test_yaml_payloads_do_not_run(tmp_path: Path, line: str, message: str) -> None:
    canary = tmp_path / "canary"
    text = MINIMAL_SPEC.read_text(encoding="utf-8")
    text = re.sub(r"^summary:.*$", line.format(canary=canary), text, flags=re.MULTILINE)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build_brief(spec, tmp_path / "out")
    assert message in str(caught.value)
    assert not canary.exists()
    assert not (tmp_path / "out").exists()


TEMPLATE_INJECTIONS = [
    "{{ brief.id }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% include '/etc/passwd' %}",
    "{{ config }}{{ self }}{{ lipsum.__globals__ }}",
    '<field ref="0"/><note source="x"/><b>bold?</b><!DOCTYPE x [<!ENTITY e "e">]>&e;',
]


@pytest.mark.parametrize("payload", TEMPLATE_INJECTIONS)
def test_template_syntax_in_spec_text_is_printed_as_text(tmp_path: Path, payload: str) -> None:
    data = minimal_data()
    data["summary"] = payload
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    brief = build_brief(spec, tmp_path / "out")[0]
    assert squeeze(payload) in squeeze(docx_text(brief.docx.read_bytes()))
    assert "root:" not in docx_text(brief.docx.read_bytes())


def template_copy(tmp_path: Path, layout_edit: tuple[str, str]) -> Path:
    """A spec using a copy of the one-pager whose layout has one line changed."""
    folder = tmp_path / "brief"
    shutil.copytree(ROOT / "templates" / "one-pager", folder / "templates" / "hostile")
    layout = folder / "templates" / "hostile" / "page.xml.j2"
    old, new = layout_edit
    text = layout.read_text(encoding="utf-8")
    assert old in text
    layout.write_text(text.replace(old, new, 1), encoding="utf-8")
    data = minimal_data()
    data["brief"]["template"] = "hostile"
    (folder / "spec.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder / "spec.yaml"


@pytest.mark.parametrize(("edit", "message"), [
    (("\n<body>", "\n<body>{{ ''.__class__.__mro__ }}"), "the layout tried something unsafe"),
    (("\n<body>", "\n<body>{% include '../../../../etc/passwd' %}"), "template error"),
    (("\n<body>", "\n<body>{{ 'a' * 100000000 }}"), "the layout builds a value that is too large"),
    (("\n<body>", "\n<body>{% for i in range(100000) %}{% for j in range(100000) %}"
      "{% endfor %}{% endfor %}"), "the layout ran for more than 2 s and was stopped"),
    # Loops without a single call: the budget is checked by the loops themselves.
    (("\n<body>", "\n<body>{% set s = 'x' * 3000 %}{% for a in s %}{% for b in s %}"
      "{% for c in s %}{% endfor %}{% endfor %}{% endfor %}"),
     "the layout ran for more than 2 s and was stopped"),
    (("\n<body>", "\n<body>{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
     "the layout calls itself without end"),
    (("\n<body>", "\n<body>{{ 'x' | center(10 ** 9) }}"),
     "the layout builds a value that is too large"),
    (("\n<body>", "\n<body>{{ 'x' | replace('x', 'xxxxxxxxxx') | replace('x', 'xxxxxxxxxx') "
      "| replace('x', 'xxxxxxxxxx') | replace('x', 'xxxxxxxxxx') | replace('x', 'xxxxxxxxxx') "
      "| replace('x', 'xxxxxxxxxx') | replace('x', 'xxxxxxxxxx') }}"),
     "the layout builds a value that is too large"),
    (("\n<body>", "\n<body>{{ brief.nothing_here }}"), "the layout uses an unknown name"),
    (("\n<body>", "\n<!DOCTYPE d [<!ENTITY x 'x'>]><body>"),
     "the layout may not declare a DOCTYPE or entities"),
])
def test_hostile_templates_fail_cleanly(tmp_path: Path, edit: tuple[str, str], message: str
                                        ) -> None:
    spec = template_copy(tmp_path, edit)
    with pytest.raises(UserError) as caught:
        build_brief(spec, spec.parent / "out")
    assert message in str(caught.value)
    assert "page.xml.j2" in str(caught.value)
    assert not (spec.parent / "out").exists()


def test_a_build_touches_no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    data = minimal_data()
    data["summary"] = "See [the report](https://example.org/report) and mailto tricks."
    data["brief"]["from"]["website"] = "https://example.org"
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data), encoding="utf-8")
    build_brief(spec, tmp_path / "out")
    assert attempts == []


def test_an_output_can_never_overwrite_the_spec(tmp_path: Path) -> None:
    data = minimal_data()
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data), encoding="utf-8")
    target = tmp_path / "out" / "minimal-brief" / "2025-03-24_minimal-brief_en.pdf"
    target.parent.mkdir(parents=True)
    target.symlink_to(spec)  # a trap: the output path points at the input
    before = spec.read_bytes()
    build_brief(spec, tmp_path / "out")
    assert spec.read_bytes() == before
    assert not target.is_symlink()


def test_the_loader_fuzzer_finds_no_crash_in_a_short_run() -> None:
    """A short run of the fuzzing entry point (`fuzz/fuzz_loader.py`), so it keeps working."""
    import importlib.util

    location = ROOT / "fuzz" / "fuzz_loader.py"
    specification = importlib.util.spec_from_file_location("fuzz_loader", location)
    assert specification is not None and specification.loader is not None
    module = importlib.util.module_from_spec(specification)
    specification.loader.exec_module(module)
    module.run_hypothesis(300, 0)


def test_two_builds_of_the_same_brief_at_once_leave_valid_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(minimal_data()), encoding="utf-8")
    command = [sys.executable, "-m", "briefgen", "build", "-q", "--force", "-o",
               str(tmp_path / "out"), str(spec)]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE) for _ in range(3)]
    for run in runs:
        _, errors = run.communicate(timeout=120)
        assert run.returncode == 0, errors.decode()
    folder = tmp_path / "out" / "minimal-brief"
    names = sorted(path.name for path in folder.iterdir())
    assert [name for name in names if not name.startswith(".")] == [
        "2025-03-24_minimal-brief_en.docx", "2025-03-24_minimal-brief_en.pdf"]
    assert not [name for name in names if name.endswith((".tmp", ".old"))]
    assert (folder / "2025-03-24_minimal-brief_en.pdf").read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(folder / "2025-03-24_minimal-brief_en.docx") as archive:
        assert archive.testzip() is None


def test_a_template_cannot_include_a_file_through_a_link_out_of_its_folder(tmp_path: Path
                                                                          ) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    spec = template_copy(tmp_path, ("\n<body>", "\n<body>{% include 'leak.txt' %}"))
    (spec.parent / "templates" / "hostile" / "leak.txt").symlink_to(secret)
    with pytest.raises(UserError) as caught:
        build_brief(spec, spec.parent / "out")
    assert "leak.txt" in str(caught.value)
    assert "TOP SECRET" not in str(caught.value)
    assert not (spec.parent / "out").exists()


def test_template_files_that_link_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    spec = template_copy(tmp_path, ("\n<body>", "\n<body>"))
    layout = spec.parent / "templates" / "hostile" / "page.xml.j2"
    outside = tmp_path / "elsewhere.xml.j2"
    outside.write_text(layout.read_text(encoding="utf-8"), encoding="utf-8")
    layout.unlink()
    layout.symlink_to(outside)
    with pytest.raises(UserError) as caught:
        build_brief(spec, spec.parent / "out")
    assert "is a link to a file outside the template's folder" in str(caught.value)


@pytest.mark.parametrize(("line", "message"), [
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
     "the cover note ran for more than 2 s and was stopped"),
    ("{{ 'x' * 100000000 }}", "the cover note builds a value that is too large"),
])
def test_a_hostile_cover_note_fails_cleanly(tmp_path: Path, line: str, message: str) -> None:
    """Cover notes come from templates too, and get the layout's limits."""
    from briefgen.engine.batch import BuildOptions, run_specs

    spec = template_copy(tmp_path, ("\n<body>", "\n<body>"))
    note = spec.parent / "templates" / "hostile" / "email" / "en.txt.j2"
    note.write_text(note.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    report = run_specs([spec], BuildOptions(mode="email", out=spec.parent / "out"))
    [failure] = report.failed
    assert message in str(failure.problems[0])
    assert "en.txt.j2" in str(failure.problems[0])
    assert not list((spec.parent / "out").rglob("*.pdf"))
