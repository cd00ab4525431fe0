"""A stop request waits for the unit being written in this process; a second one does not."""

from __future__ import annotations

import signal

import pytest

from briefgen.engine.stopping import StopRequest, Terminated


def test_a_request_without_a_unit_being_built_stops_at_once() -> None:
    with pytest.raises(KeyboardInterrupt):
        StopRequest().handle(signal.SIGINT, None)


def test_a_request_during_a_unit_stops_once_it_is_written() -> None:
    request = StopRequest()
    written = []
    with pytest.raises(Terminated, match="SIGTERM"), request.deferred():
        request.handle(signal.SIGTERM, None)
        written.append("unit")
    assert written == ["unit"]


def test_a_second_request_does_not_wait() -> None:
    request = StopRequest()
    written = []
    with pytest.raises(KeyboardInterrupt), request.deferred():
        request.handle(signal.SIGINT, None)
        request.handle(signal.SIGINT, None)
        written.append("unit")
    assert written == []
