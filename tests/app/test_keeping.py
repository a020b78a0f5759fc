"""Where the box starts: the last project (session.json) with its pattern and page, unless
`--project` or `[project] path` names one; a missing folder gives the demo and a notice; a
project that does not load its newest good save; safe mode (SHIFT held at power-on, or
--safe) the demo with factory settings, writing nothing until the musician saves."""
import json

import pytest
from gpiozero.pins.mock import MockFactory

from reverie.app.boot import RunOptions
from reverie.app.config import config_from_dict
from reverie.app.keeping import SAFE_NOTICE, Keeping
from reverie.app.paths import DataDir
from reverie.app.rig import build_rig
from reverie.control.session import Session, read_session, write_session
from reverie.control.settings import SettingsApplier, defaults
from reverie.hal.box import box_from_dict, load_box
from reverie.hal.gpio.held import Held, scan_for
from reverie.hal.gpio.scan import GpioInput
from reverie.project.demo import demo_project_path
from reverie.project.model import Project
from reverie.project.saves import kept
from reverie.project.store import load_project, save_project
from reverie.sound.buses import make_engine

RATE = 48000
SIMULATOR = load_box("simulator")


@pytest.fixture
def data(tmp_path):
    return DataDir(tmp_path / "data")


def keeping(data, project_path=None, config=None, safe=False, box=SIMULATOR):
    config = config or config_from_dict({})
    return Keeping(config, RunOptions(data=data, project_path=project_path, safe=safe), data, box)


def a_song(data, name="Song", tempo=97.0):
    folder = data.projects / name
    demo = load_project(demo_project_path())
    save_project(Project(name=name, tempo=tempo, tracks=demo.tracks, patterns=demo.patterns), folder)
    return folder


def attach(k, project, folder):
    rig = build_rig(make_engine(RATE), project, folder, rate=RATE, period=128, library=k.data.projects,
                    factory_dir=k.data.factory)
    notices = []
    rig.applier.on_setting = SettingsApplier(k.data.settings, rig.ui.context.settings, rig.engine, rig.jobs)
    k.attach(rig, notices.append)
    return rig, notices


def test_the_box_reopens_the_last_project_its_pattern_and_its_page(data):
    folder = a_song(data)
    write_session(data.session, Session(str(folder), "A02", "SOUND"))
    k = keeping(data)
    project, sounds, opened = k.open(RATE)
    assert opened == folder and project.tempo == 97 and project.pattern == "A02"
    assert len(sounds) == len(project.tracks)
    rig, notices = attach(k, project, opened)
    try:
        assert rig.ui.page_name == "SOUND" and rig.ui.pattern_name() == "A02"
        assert notices == [] and not k.safe
        assert rig.saved_revision == rig.ui.context.history.revision     # reopening is no edit
    finally:
        rig.jobs.close()


def test_a_data_directory_moved_elsewhere_still_reopens_its_last_project(data, tmp_path):
    folder = a_song(data)
    write_session(data.session, Session("projects/Song", "A02", "SOUND"))
    moved = DataDir(tmp_path / "restored-backup")
    data.root.rename(moved.root)
    project, _, opened = keeping(moved).open(RATE)
    assert opened == moved.projects / "Song" and project.pattern == "A02"


def test_project_on_the_command_line_or_in_the_configuration_wins_over_the_session(data, tmp_path):
    last, other = a_song(data, "Last", 97), a_song(data, "Other", 133)
    write_session(data.session, Session(str(last), "A02", "SOUND"))
    assert keeping(data, project_path=str(other)).open(RATE)[0].tempo == 133
    config = config_from_dict({"project": {"path": str(other)}})
    project, _, folder = keeping(data, config=config).open(RATE)
    assert folder == other and project.pattern == "A01"        # the session's pattern is the last one's


def test_no_session_opens_the_demo(data):
    project, _, folder = keeping(data).open(RATE)
    assert folder == demo_project_path() and project == load_project(demo_project_path())


def test_a_missing_folder_opens_the_demo_with_a_notice(data):
    write_session(data.session, Session(str(data.projects / "Gone"), "A02", "SOUND"))
    k = keeping(data)
    project, _, folder = k.open(RATE)
    assert folder == demo_project_path() and k.notices == ["Gone is not there: the demo instead"]
    assert k.page == ""


def test_a_bad_session_file_is_no_session(data):
    data.root.mkdir(parents=True)
    for text in ("{", '{"version": 7, "project": "/x"}', '["x"]', '{"version": 1, "project": 5}'):
        data.session.write_text(text)
        assert read_session(data.session) is None
        assert keeping(data).open(RATE)[2] == demo_project_path()


def test_a_last_project_that_does_not_load_opens_its_newest_good_save_with_a_notice(data):
    folder = a_song(data, tempo=97)
    save_project(Project(name="Song", tempo=98, tracks=load_project(folder).tracks), folder)
    (folder / "project.json").write_text("{")
    write_session(data.session, Session(str(folder), "A01", "PATTERN"))
    k = keeping(data)
    project, _, opened = k.open(RATE)
    assert project.tempo == 97 and opened == folder
    assert k.notices == [f"Song did not load (not valid JSON (Expecting property name enclosed in double "
                         f"quotes at line 1 column 2); fix it in a text editor): opened its save of "
                         f"{kept(folder)[0].label}"]


def test_safe_mode_opens_the_demo_with_factory_settings_and_writes_nothing(data):
    folder = a_song(data)
    write_session(data.session, Session(str(folder), "A02", "SOUND"))
    data.settings.write_text(json.dumps({"pads.scale": "minor", "pads.root": 3}))
    before = {p: p.read_bytes() for p in (data.session, data.settings)}
    k = keeping(data, safe=True)
    project, _, opened = k.open(RATE)
    assert opened == demo_project_path() and k.notices == [SAFE_NOTICE]
    assert k.settings() == defaults(k.config)
    rig, notices = attach(k, project, opened)
    try:
        assert notices == [SAFE_NOTICE] and rig.ui.page_name == "PATTERN"
        rig.applier.on_setting("pads.root", 5)
        k.autosave.tick(10_000)
        k.stop()
        rig.jobs.wait()
        assert {p: p.read_bytes() for p in before} == before
        assert sorted(p.name for p in data.projects.iterdir()) == ["Song"]
    finally:
        rig.jobs.close()


def test_shift_held_at_power_on_is_safe_mode(data, monkeypatch):
    monkeypatch.setattr("reverie.hal.gpio.held.keys_held", lambda box: frozenset({"SHIFT"}))
    k = keeping(data)
    k.open(RATE)
    assert k.safe and k.notices == [SAFE_NOTICE]
    monkeypatch.setattr("reverie.hal.gpio.held.keys_held", lambda box: frozenset({"PLAY"}))
    k = keeping(data)
    k.open(RATE)
    assert not k.safe


def test_the_keys_held_are_read_through_the_pins_with_debounce():
    box = box_from_dict({"name": "t", "gpio": "mock", "pads": "midi", "keys": {"SHIFT": 23, "PLAY": 24}})
    factory = MockFactory()
    held = Held()
    gpio = GpioInput(box, factory, held)
    try:
        scan_for(gpio)
        assert held.keys == frozenset()
        factory.pin(23).drive_low()             # SHIFT closes its switch to ground
        scan_for(gpio)
        assert held.keys == {"SHIFT"}
        factory.pin(23).drive_high()
        scan_for(gpio)
        assert held.keys == frozenset()
    finally:
        gpio.close()
