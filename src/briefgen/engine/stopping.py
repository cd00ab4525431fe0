"""Stopping a run: Ctrl-C, SIGTERM, Ctrl-Break and a closed console; workers whose command
is gone.

Every request stops a run the same way: the briefs being built are finished, the rest are not
started, and `KeyboardInterrupt` (`Terminated` for the signals) ends the run. A worker ends by
itself when the command is gone, however it was killed.
"""

from __future__ import annotations

import _thread
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import FrameType

    from briefgen.engine.units import BuildOptions, Unit, UnitResult


class Terminated(KeyboardInterrupt):
    """The command was asked to stop by SIGTERM (a task manager, a CI runner, `timeout`), or on
    Windows by SIGBREAK (Ctrl-Break). It stops a run as Ctrl-C does, and the command reports
    it as an interruption."""


# Signals that stop a run as Ctrl-C does. SIGBREAK exists on Windows only.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGBREAK")
                     if hasattr(signal, name))
# The signal a closed console window stops a run with (SIGTERM where there is no SIGBREAK:
# the tests simulate Windows there).
CONSOLE_CLOSED_SIGNAL = getattr(signal, "SIGBREAK", signal.SIGTERM)


class StopRequest:
    """Stop requests seen during a run, in the main process.

    A request ends the run at once (by raising in the main thread) unless a unit is being
    built in this process: that unit is finished and written first, then the run ends. A
    second request does not wait: the user means it.
    """

    def __init__(self) -> None:
        self.signal_number: int | None = None
        self.building = 0  # units being built in this process now

    def handle(self, signal_number: int, _: FrameType | None) -> None:
        first = self.signal_number is None
        self.signal_number = signal_number
        if not self.building or not first:
            self.stop()

    def stop(self) -> None:
        number, self.signal_number = self.signal_number, None
        if number == signal.SIGINT:
            raise KeyboardInterrupt
        if number is not None:
            raise Terminated(signal.Signals(number).name)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Within: a request waits until the unit being built here is written."""
        self.building += 1
        try:
            yield
        finally:
            self.building -= 1
        self.stop()


stop_request = StopRequest()


@contextmanager
def stopping_on_request() -> Iterator[None]:
    """Within: Ctrl-C and the stop signals end the run as `StopRequest` says; the previous
    handlers are put back after. Only the main thread can take signals (the preview also
    builds in a watch thread: there, nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = (signal.SIGINT, *STOP_SIGNALS)
    previous = {number: signal.getsignal(number) for number in numbers}
    stop_request.signal_number = None
    for number in numbers:
        signal.signal(number, stop_request.handle)
    run_ended = threading.Event()

    def on_console_closed() -> None:
        _thread.interrupt_main(CONSOLE_CLOSED_SIGNAL)  # stops the run as SIGBREAK does
        run_ended.wait(CONSOLE_CLOSE_GRACE_SECONDS)

    unregister = register_console_close_handler(on_console_closed)
    try:
        yield
    finally:
        run_ended.set()
        unregister()
        for number, handler in previous.items():
            signal.signal(number, handler)


# Windows: closing the console window, logging off or shutting down ends every process of the
# console once its console handlers return, and after 5 s at the latest. The C runtime's own
# handler turns the event into SIGBREAK and returns at once, before Python runs its handler,
# so a handler of briefgen's, called first, holds the process while the run stops as for
# Ctrl-C: the brief being written is finished, temporary files are removed.
CONSOLE_CLOSE_EVENTS = frozenset({2, 5, 6})  # CTRL_CLOSE_EVENT, _LOGOFF_EVENT, _SHUTDOWN_EVENT
CONSOLE_CLOSE_GRACE_SECONDS = 4.0
ON_WINDOWS = sys.platform == "win32"


def register_console_close_handler(on_close: Callable[[], None]) -> Callable[[], None]:
    """On Windows, call `on_close` (in a thread of the system's) when the console closes, and
    let the process end only when it returns; returns what unregisters it. Elsewhere, and
    when the process has no console, nothing is registered."""
    if not ON_WINDOWS:
        return lambda: None
    import ctypes
    from ctypes import wintypes

    def handle(event: int) -> bool:
        if event not in CONSOLE_CLOSE_EVENTS:
            return False  # Ctrl-C and Ctrl-Break: the C runtime's signals, as usual
        on_close()
        return True

    # Windows-only names: mypy checks this module for the platform it runs on.
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    routine = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)(handle)  # type: ignore[attr-defined,unused-ignore]
    if not kernel32.SetConsoleCtrlHandler(routine, True):
        return lambda: None
    return lambda: kernel32.SetConsoleCtrlHandler(routine, False)


# ---------------------------------------------------------------------------------------------
# In each worker process


# How often a worker checks that the command is still there, and how long it gives the brief
# it is writing when the command is gone (a brief takes tens of milliseconds).
PARENT_CHECK_SECONDS = 0.5
FINISH_SECONDS = 10.0
writing_unit = threading.Lock()  # held by a worker while it builds a unit


def start_worker() -> None:
    """In each worker: leave stopping to the main process, and end when it is gone."""
    # Ctrl-C, and `timeout` or a CI runner's SIGTERM, reach every process of the console or
    # the process group; the main process decides what to stop.
    for number in (signal.SIGINT, *STOP_SIGNALS):
        signal.signal(number, signal.SIG_IGN)
    # A closed console ends the workers too: the brief being written is finished first.
    register_console_close_handler(wait_for_unit_being_written)
    threading.Thread(target=end_with_parent, name="briefgen-parent-watch",
                     daemon=True).start()


def wait_for_unit_being_written() -> None:
    """Wait (within Windows' grace time) for the unit this worker is writing, if any."""
    if writing_unit.acquire(timeout=CONSOLE_CLOSE_GRACE_SECONDS):
        writing_unit.release()


def build_in_worker(unit: Unit, options: BuildOptions) -> UnitResult:
    """Build a unit in a worker, holding `writing_unit` until its files are written."""
    from briefgen.engine.build import build_unit

    with writing_unit:
        return build_unit(unit, options)


def end_with_parent() -> None:
    """Wait until the main process is gone, however it ended (SIGKILL, Task Manager's End
    task): finish the unit being written, then end this worker. Without this a worker
    waits for work forever, since the pool's queue is held open by the workers themselves.

    Why both checks: the parent's sentinel (a pipe that closes, or on Windows the parent's
    process handle) is portable, but a worker forked (Linux) after another also holds that
    other's pipe open; `os.getppid()` changes on POSIX as soon as the parent is gone.
    """
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return
    parent_id = os.getppid()
    while not wait([parent.sentinel], PARENT_CHECK_SECONDS) and os.getppid() == parent_id:
        pass
    writing_unit.acquire(timeout=FINISH_SECONDS)
    os._exit(1)
