"""Keeps the `jack` mark true both ways (tests/conftest.py loads these hooks): a test that
starts a JACK server, or is handed one by a fixture, fails unless it is marked `jack`; a
test marked `jack` that neither starts one nor is handed one fails too.

A module-scoped server starts in the set-up of the first test that asks for it; the tests
after it are handed the running server: both count. Benches that start their own server
(`reverie bench callback`, ...) count as the test starting it.
"""
from __future__ import annotations

import pytest

from reverie.hal.audio.jackd import JackServer

_running: list = []             # the test whose set-up, call or teardown runs now
_started: set[str] = set()      # the tests that started a server
_start = JackServer.start


def _checked_start(self: JackServer) -> JackServer:
    if _running:
        item = _running[-1]
        if item.get_closest_marker("jack") is None:
            pytest.fail(f"{item.nodeid} starts a JACK server: mark it @pytest.mark.jack", pytrace=False)
        _started.add(item.nodeid)
    return _start(self)


def pytest_configure(config) -> None:
    JackServer.start = _checked_start


def pytest_unconfigure(config) -> None:
    JackServer.start = _start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _running.append(item)
    yield
    _running.pop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    marked = item.get_closest_marker("jack") is not None
    handed = sorted(name for name, value in getattr(item, "funcargs", {}).items()
                    if isinstance(value, JackServer))
    if handed and not marked:
        pytest.fail(f"{item.nodeid} is handed a JACK server ({', '.join(handed)}): "
                    "mark it @pytest.mark.jack", pytrace=False)
    result = yield
    if marked and not handed and item.nodeid not in _started:
        pytest.fail(f"{item.nodeid} is marked jack but uses no JACK server: remove the mark",
                    pytrace=False)
    return result
