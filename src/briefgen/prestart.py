"""Start the build workers while the command line is still loading.

A cold `briefgen build` spends most of its time importing: the command line needs typer and
pydantic, the workers need the renderers (reportlab, Jinja, Babel, the fonts). Forked before
either is loaded, one process imports the renderers on the second core while this one reads
the command line and plans; it then forks the workers, which start warm. The build adopts
them (`take`); when it does not (one job, a failed command line), they end on their own as
soon as this process does.

Only what the standard library provides is imported here: everything else belongs to one
side or the other.
"""

from __future__ import annotations

import contextlib
import gc
import os
import select
import signal
import sys
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection, Pipe

PRESTARTED_COMMANDS = ("build", "email")


class PrestartedWorker:
    """A worker forked by the warm-up process: not a child of this one, so it is watched
    through its pipe and, where the system allows, a process file descriptor."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.exitcode: int | None = None
        self.sentinel: int | None = None
        with contextlib.suppress(AttributeError, OSError):
            self.sentinel = os.pidfd_open(pid)

    def is_alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # pragma: no cover - the pid was reused by someone else's
            return False
        return True

    def join(self, timeout: float | None = None) -> None:
        if self.sentinel is not None:
            # Readable once the process has ended, whether or not anyone has reaped it.
            select.select([self.sentinel], [], [], timeout)
            return
        deadline = time.monotonic() + (timeout if timeout is not None else 3600)
        while self.is_alive() and time.monotonic() < deadline:  # pragma: no cover
            time.sleep(0.005)

    def terminate(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def close(self) -> None:
        if self.sentinel is not None:
            os.close(self.sentinel)
            self.sentinel = None


class Prestarted:
    """Workers being warmed up for this process: their pipes, and the warm-up process."""

    def __init__(self, connections: list[Connection], warm_up_pid: int) -> None:
        self.connections = connections
        self.warm_up_pid = warm_up_pid

    def adopt(self, count: int) -> list[tuple[PrestartedWorker, Connection]]:
        """The first `count` workers, once each has reported ready; the others are ended.

        Waits for the warm-up to finish, which it does before the build could use them.
        """
        adopted = []
        for number, connection in enumerate(self.connections):
            if number >= count:
                with contextlib.suppress(OSError):
                    connection.send(None)
                connection.close()
                continue
            try:
                kind, pid = connection.recv()
            except (EOFError, OSError):
                connection.close()
                continue  # the warm-up failed: fewer workers, or none
            if kind == "ready":
                adopted.append((PrestartedWorker(pid), connection))
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.warm_up_pid, 0)
        return adopted

    def discard(self) -> None:
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.send(None)
            connection.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.warm_up_pid, os.WNOHANG)


_prestarted: Prestarted | None = None


def take() -> Prestarted | None:
    """The workers started for this command, once; None if none were started."""
    global _prestarted
    prestarted, _prestarted = _prestarted, None
    return prestarted


def available_cores() -> int:
    """Cores this process may run on: the default number of briefs built at once."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - macOS, Windows


def wanted_workers(arguments: Sequence[str], cores: int) -> int:
    """How many workers the command line will want, judged before it is parsed: 0 if the
    command is not a one-off build that would use more than one."""
    if not arguments or arguments[0] not in PRESTARTED_COMMANDS:
        return 0
    if any(argument in ("--help", "-h", "--watch") for argument in arguments):
        return 0
    jobs = cores
    for index, argument in enumerate(arguments):
        value = None
        if argument in ("--jobs", "-j") and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--jobs="):
            value = argument.partition("=")[2]
        elif argument.startswith("-j") and argument[2:].isdigit():
            value = argument[2:]
        if value is not None:
            jobs = int(value) if value.isdigit() else 0
    return jobs if jobs > 1 else 0


def start(count: int, arguments: Sequence[str]) -> None:
    """Fork the warm-up process, which loads the renderers, reads the specs named in
    `arguments`, and then forks `count` workers."""
    global _prestarted
    ours: list[Connection] = []
    theirs: list[Connection] = []
    for _ in range(count):
        mine, other = Pipe()
        ours.append(mine)
        theirs.append(other)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the warm-up process, which never returns
        status = 1
        try:
            for connection in ours:
                connection.close()
            _warm_up_and_fork(theirs, arguments)
            status = 0
        finally:
            os._exit(status)
    for connection in theirs:
        connection.close()
    _prestarted = Prestarted(ours, pid)


def _warm_up_and_fork(connections: list[Connection], arguments: Sequence[str]
                      ) -> None:  # pragma: no cover - forked
    # The workers report through their pipes, never on the terminal: and a caller reading
    # this command's output must not wait for them to exit.
    devnull = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(devnull, descriptor)
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process to handle
    from briefgen.batch import import_for_workers, serve_prestarted

    # Imports here, once for all workers; what each worker then loads (fonts, layouts,
    # the specs named) it loads itself, on both cores once this process's part is done.
    import_for_workers()
    gc.freeze()  # inherited objects stay out of the workers' garbage collection
    for number, connection in enumerate(connections):
        if os.fork() == 0:
            for other in connections[number + 1:]:
                other.close()
            try:
                serve_prestarted(connection, arguments[1:])
            finally:
                os._exit(0)
        connection.close()
