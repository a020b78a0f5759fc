"""The plugin check in a child process: a plugin that crashes the interpreter or never
returns is refused with one line and costs only itself; the others keep their verdicts and
the trial's figures, and only the good ones are registered."""
import logging

from plugin_fixtures import write_plugins
from reverie.sound import instruments as registry
from reverie.sound.plugin_check import scan_isolated

CRASH = "import ctypes\nctypes.string_at(0)      # reads address 0: SIGSEGV\n"
HANG = "while True:\n    pass\n"


def test_a_crashing_plugin_costs_only_itself(tmp_path, caplog):
    folder = write_plugins(tmp_path / "plugins", names={"bell.py", "loud.py", "boom.py"})
    (folder / "crash.py").write_text(CRASH)
    with caplog.at_level(logging.WARNING):
        result = scan_isolated(folder, set(registry.BUILTIN))
    refused = {f.origin: f.refused for f in result.refused}
    assert refused["plugins/crash.py"] == "plugins/crash.py: crashed the interpreter (signal 11) in its check"
    assert refused["plugins/loud.py"].startswith("plugins/loud.py: instrument 'broken.loud': clips (+")
    assert refused["plugins/boom.py"] == "plugins/boom.py: ZeroDivisionError: division by zero"
    bell, = result.installed
    assert bell.name == "fixture.bell" and bell.program is not None and bell.trial.cost < 3.0
    # the child's traces reach this process's log
    assert any("ZeroDivisionError" in r.getMessage() for r in caplog.records)


def test_a_plugin_that_never_returns_is_refused_after_the_time_allowed(tmp_path):
    folder = write_plugins(tmp_path / "plugins", names={"bell.py"})
    (folder / "hang.py").write_text(HANG)
    result = scan_isolated(folder, set(registry.BUILTIN), trial_render=False, timeout_s=10.0)
    assert [f.refused for f in result.refused] == ["plugins/hang.py: took over 10 s in its check"]
    assert [f.name for f in result.installed] == ["fixture.bell"]
