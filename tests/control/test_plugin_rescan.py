"""RescanInstruments as a worker job: found and checked off the control thread, registered
when it finishes, the result as a notice; refused in safe mode."""
from types import SimpleNamespace

import pytest

from plugin_fixtures import write_plugins
from reverie.base.errors import UserError
from reverie.control.plugins import PluginRescan
from reverie.sound import instruments as registry
from reverie.ui.instruments import RescanInstruments


@pytest.fixture
def registry_kept():
    instruments, programs = dict(registry.INSTRUMENTS), dict(registry._PROGRAMS)
    yield
    registry.INSTRUMENTS.clear()
    registry.INSTRUMENTS.update(instruments)
    registry._PROGRAMS.clear()
    registry._PROGRAMS.update(programs)


def rig():
    return SimpleNamespace(applier=SimpleNamespace(notice=""))


def test_a_rescan_registers_what_passes_and_says_how_many(tmp_path, registry_kept):
    folder = write_plugins(tmp_path / "plugins", names={"bell.py", "pad", "loud.py", "cycle.py"})
    r = rig()
    label, work, finish = PluginRescan(r, folder).handlers()[RescanInstruments](RescanInstruments())
    assert label == "looking for instruments"
    result = work()
    assert "fixture.bell" not in registry.INSTRUMENTS          # nothing registered on the worker
    finish(result)
    assert {"fixture.bell", "fixture.pad"} <= set(registry.INSTRUMENTS)
    assert r.applier.notice == "instruments of your own: 2, 2 refused (see reverie instruments)"


def test_one_refusal_is_its_own_line(tmp_path, registry_kept):
    folder = write_plugins(tmp_path / "plugins", names={"nodot.py"})
    r = rig()
    _, work, finish = PluginRescan(r, folder).job(RescanInstruments())
    finish(work())
    assert r.applier.notice.startswith("plugins/nodot.py: the name 'bell' must be lower-case words")


def test_safe_mode_looks_for_nothing(tmp_path):
    _, work, _ = PluginRescan(rig(), write_plugins(tmp_path / "plugins"), enabled=False).job(RescanInstruments())
    with pytest.raises(UserError, match="^safe mode: instruments of your own stay out$"):
        work()
