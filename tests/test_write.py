"""Writing outputs: all files of a brief or none, never through a symlink, never over inputs."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

if sys.platform != "win32":
    import resource
    import signal

from briefgen.errors import UserError
from briefgen.write import OutputFile, write_atomically


def word_file(text: str) -> bytes:
    """A Word file holding `text`, uncompressed: as small as the scan before writing takes
    (`render/docx_safety.py`)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.'
                         'org/package/2006/content-types"/>')
        archive.writestr("docProps/note.xml", f"<note>{text}</note>")
    return output.getvalue()


NEW_DOCX = word_file("new docx")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder that already holds last week's brief."""
    folder = tmp_path / "out" / "brief"
    folder.mkdir(parents=True)
    (folder / "brief.pdf").write_bytes(b"old pdf")
    (folder / "brief.docx").write_bytes(word_file("old docx"))
    return folder


def new_files(folder: Path) -> list[OutputFile]:
    return [OutputFile(folder / "brief.pdf", b"new pdf"),
            OutputFile(folder / "brief.docx", NEW_DOCX)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def fail_on_call(number: int, original: Callable[..., Any]) -> Callable[..., Any]:
    calls = 0

    def maybe_fail(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(*args, **kwargs)

    return maybe_fail


def test_writes_every_file(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "brief"
    write_atomically(new_files(folder))
    assert snapshot(folder) == {"brief.docx": NEW_DOCX, "brief.pdf": b"new pdf"}
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o444 == 0o444  # colleagues can read it


def test_replaces_existing_files(out: Path) -> None:
    write_atomically(new_files(out))
    assert snapshot(out) == {"brief.docx": NEW_DOCX, "brief.pdf": b"new pdf"}


@contextlib.contextmanager
def files_limited_to(size: int) -> Iterator[None]:
    """Make the system refuse to write any file beyond `size` bytes, as a full disk would.

    Why a resource limit rather than a patched function: the write itself fails, inside the
    operating system, however write_atomically happens to write.
    """
    previous_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    # Past the limit the system sends SIGXFSZ, which would end the test run; ignored, the
    # write fails with EFBIG instead.
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, previous_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, previous_limit)
        signal.signal(signal.SIGXFSZ, previous_handler)


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits are a POSIX feature")
@pytest.mark.parametrize("failing_file", [0, 1], ids=["first-file", "second-file"])
def test_failed_data_write_changes_nothing(out: Path, failing_file: int) -> None:
    files = new_files(out)
    # The failing file holds more than the system lets a file hold; the other fits.
    files[failing_file] = OutputFile(files[failing_file].path, word_file("x" * 4096)
                                     if failing_file else b"x" * 4096)
    before = snapshot(out)
    with files_limited_to(1024), pytest.raises(UserError, match="cannot write output"):
        write_atomically(files)
    assert snapshot(out) == before  # old files intact, no .tmp files left behind


@pytest.mark.parametrize("failing_rename", [1, 2], ids=["first-rename", "second-rename"])
def test_failed_rename_changes_nothing(out: Path, monkeypatch: pytest.MonkeyPatch,
                                       failing_rename: int) -> None:
    """A brief is written whole or not at all (e.g. Word holds the DOCX open on Windows)."""
    before = snapshot(out)
    monkeypatch.setattr(os, "replace", fail_on_call(failing_rename, os.replace))
    with pytest.raises(UserError, match="cannot write output"):
        write_atomically(new_files(out))
    assert not [path.name for path in out.iterdir() if path.name.endswith(".tmp")]
    assert snapshot(out) == before


def test_symlink_at_the_target_is_replaced_not_followed(out: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_bytes(b"precious")
    (out / "brief.pdf").unlink()
    (out / "brief.pdf").symlink_to(elsewhere)
    write_atomically(new_files(out))
    assert not (out / "brief.pdf").is_symlink()
    assert (out / "brief.pdf").read_bytes() == b"new pdf"
    assert elsewhere.read_bytes() == b"precious"


def test_refuses_to_overwrite_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "briefs" / "brief.yaml"
    spec.parent.mkdir()
    spec.write_text("summary: keep me\n", encoding="utf-8")
    # The same file, spelt differently.
    target = Path("briefs") / ".." / "briefs" / "brief.yaml"
    with pytest.raises(UserError) as caught:
        write_atomically([OutputFile(tmp_path / "other.pdf", b"pdf"),
                          OutputFile(target, b"overwritten")], protected={spec})
    assert "refusing to overwrite an input file" in str(caught.value)
    assert spec.read_text(encoding="utf-8") == "summary: keep me\n"
    assert not (tmp_path / "other.pdf").exists()  # nothing at all was written


def test_unwritable_folder_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(UserError):
        write_atomically([OutputFile(blocker / "brief" / "brief.pdf", b"pdf")])


def test_leftovers_of_a_killed_build_are_cleaned_up_but_fresh_ones_kept(tmp_path: Path) -> None:
    import os
    import time

    from briefgen.write import OutputFile, write_atomically
    from briefgen.write.atomic import LEFTOVER_AGE_SECONDS

    target = tmp_path / "brief.pdf"
    old = tmp_path / ".brief.pdf.abc123.tmp"
    fresh = tmp_path / ".brief.pdf.def456.tmp"
    for leftover in (old, fresh):
        leftover.write_bytes(b"partial")
    long_ago = time.time() - LEFTOVER_AGE_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    write_atomically([OutputFile(target, b"new")])
    assert target.read_bytes() == b"new"
    assert not old.exists()
    assert fresh.exists()  # may belong to a build running right now
