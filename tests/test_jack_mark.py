"""The `jack` mark is checked (jack_mark.py): a pytest run of its own, on a server that only
pretends to start, fails an unmarked test that starts or is handed a JACK server and a
marked test that uses none."""
import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

CONFTEST = f'''
import sys
sys.path[:0] = [{str(TESTS.parent / "firmware")!r}, {str(TESTS)!r}]
import jack_mark

jack_mark._start = lambda server: server          # no jackd: the check is what is tested


def pytest_configure(config):
    config.addinivalue_line("markers", "jack: starts a JACK server")
    config.pluginmanager.register(jack_mark, "jack_mark")
'''

CASES = '''
import pytest
from reverie.hal.audio.jackd import JackServer


@pytest.fixture(scope="module")
def server():
    return JackServer().start()


def test_starts_unmarked():
    JackServer().start()


@pytest.mark.jack
def test_starts_marked():
    JackServer().start()


@pytest.mark.jack
def test_handed_marked(server):
    pass


def test_handed_unmarked(server):
    pass


@pytest.mark.jack
def test_marked_without_a_server():
    pass


def test_neither():
    pass
'''


def test_the_jack_mark_is_required_exactly_where_a_jack_server_is_used(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_cases.py").write_text(CASES)
    done = subprocess.run([sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider",
                           "--strict-markers", "test_cases.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    outcomes = {name: outcome for outcome, name in
                re.findall(r"^(PASSED|FAILED|ERROR) test_cases.py::(\w+)", done.stdout, re.M)}
    assert outcomes == {
        "test_starts_unmarked": "FAILED", "test_starts_marked": "PASSED",
        "test_handed_marked": "PASSED", "test_handed_unmarked": "FAILED",
        "test_marked_without_a_server": "FAILED", "test_neither": "PASSED"}, done.stdout
    assert "test_starts_unmarked starts a JACK server: mark it @pytest.mark.jack" in done.stdout
    assert "test_handed_unmarked is handed a JACK server (server)" in done.stdout
    assert "test_marked_without_a_server is marked jack but uses no JACK server" in done.stdout
