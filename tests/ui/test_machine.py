"""The UI machine on scripted events: routing, global keys, transport, track select, undo
and redo, SHIFT help, notices, bad input and live recording."""
from __future__ import annotations

import math

import pytest
from scenes import MINIMAL, PAGES, groove, hit, playing, press, turn, ui

from reverie.base.events import KEYS, Device, Key, Knob, Note, Pad, Turn
from reverie.project import edit
from reverie.ui import effects as fx
from reverie.ui.context import Caps
from reverie.ui.machine import NOTICE_S, UI
from reverie.ui.pages import help as helps
from reverie.ui.pages.pattern import PatternPage
from reverie.ui.status import Status
from reverie.ui.view import Screen


def test_starts_on_the_pattern_page_with_the_project():
    u = ui()
    assert u.page_name == "PATTERN"
    assert u.project == groove()
    assert u.context.track == 0
    assert isinstance(u.view(), Screen)
    assert u.view() == u.view()


def test_page_keys_open_their_pages():
    u = ui()
    keys = [name for name in PAGES if name not in ("LISTEN", "STEP")]     # no key of their own
    for name in keys:
        u.handle(Key("PATTERN", "press"))
        u.handle(Key(name, "press"))
        assert u.page_name == name and u.context.message == ""


def test_a_page_key_without_its_page_gives_a_notice(monkeypatch):
    import reverie.ui.machine as machine

    every = machine.all_pages()
    monkeypatch.setattr(machine, "all_pages", lambda: {k: v for k, v in every.items() if k != "SYSTEM"})
    u = ui()
    u.handle(Key("SYSTEM", "press"))
    assert u.page_name == "PATTERN" and u.context.message == "no system page on this box yet"


def test_play_toggles_the_transport_and_func_play_continues():
    u = ui()
    assert u.handle(Key("PLAY", "press")) == [fx.Transport("play")]
    playing(u)
    assert u.handle(Key("PLAY", "press")) == [fx.Transport("stop")]
    u.handle(Key("FUNC", "press"))
    assert u.handle(Key("PLAY", "press")) == [fx.Transport("continue")]


def test_stop_when_stopped_releases_the_notes_pads_and_keys_hold():
    u = ui()
    press(u, "SOUND")
    assert u.handle(Pad(3, 90, 1.0)) == [fx.PlayNote(3, 60, 90, 1.0)]
    assert u.handle(Note(64, 80, 1.1)) == [fx.PlayNote(0, 64, 80, 1.1)]
    out = u.handle(Key("STOP", "press", 2.0))
    assert out[0] == fx.Transport("stop")
    assert set(out[1:]) == {fx.PlayNote(3, 60, 0, 2.0), fx.PlayNote(0, 64, 0, 2.0)}
    assert u.handle(Pad(3, 0, 2.1)) == []          # already released


def test_func_pad_selects_the_track_and_refuses_a_track_the_project_lacks():
    u = ui()
    u.handle(Key("FUNC", "press"))
    assert hit(u, 5) == []
    assert u.context.track == 5
    assert u.view().header.track == 5
    before = u.project
    hit(u, 12)
    assert u.context.track == 5 and "8 tracks" in u.context.message
    assert u.project is before


def test_func_left_right_undo_and_redo_with_their_effects():
    u = ui()
    before = u.project
    out = hit(u, 1)                                  # an empty step: a trig
    assert out == [fx.PatternEdited("A01")]
    after = u.project
    u.handle(Key("FUNC", "press"))
    assert u.handle(Key("LEFT", "press")) == [fx.PatternEdited("A01")]
    assert u.project == before
    assert u.handle(Key("RIGHT", "press")) == [fx.PatternEdited("A01")]
    assert u.project == after
    assert u.handle(Key("RIGHT", "press")) == []
    assert u.context.message == "nothing to redo"


def test_shift_shows_help_and_does_not_act():
    u = ui()
    before = u.project
    u.handle(Key("SHIFT", "press"))
    assert u.view().header.shift
    for ev in (Key("PLAY", "press"), Turn(0, 3), Pad(2, 100), Key("SOUND", "press"), Key("REC", "press")):
        assert u.handle(ev) == []
        card = u.view().overlay
        assert card is not None and card.lines and card.lines[0]
    assert u.page_name == "PATTERN" and not u.recording
    assert u.project is before
    assert u.handle(Pad(2, 0)) == []                 # the release of the help hit does nothing
    u.handle(Key("ENC1", "press"))
    u.handle(Key("SHIFT", "release"))
    assert u.view().overlay is None and not u.view().header.shift
    assert u.handle(Key("ENC1", "release")) == [] and not u.menu_open and u.context.focus == 0


def test_help_card_names_the_control_and_says_what_it_does_on_this_page():
    u = ui()
    u.handle(Key("SHIFT", "press"))
    u.handle(Key("PLAY", "press"))
    card = u.view().overlay
    assert card.title == "PLAY" and " ".join(card.lines) == helps.GLOBAL["PLAY"]
    u.handle(Turn(1, 1))
    card = u.view().overlay
    assert card.title == "ENC2 TURN" and " ".join(card.lines) == PatternPage.help["ENC2 TURN"]
    u.handle(Key("FUNC", "press"))
    u.handle(Pad(0, 100))
    assert u.view().overlay.title == "FUNC+PADS"


def test_a_notice_goes_away_two_seconds_later_by_event_or_update_time():
    u = ui()
    u.handle(Key("FUNC", "press", 10.0))
    u.handle(Key("LEFT", "press", 10.0))
    assert u.context.message == "nothing to undo"
    assert u.view().overlay is not None
    u.update(Status(), now=10.0 + NOTICE_S / 2)
    assert u.context.message
    u.update(Status(), now=10.0 + NOTICE_S)
    assert u.context.message == "" and u.view().overlay is None
    u.handle(Key("LEFT", "press", 20.0))
    u.handle(Key("FUNC", "release", 20.5 + NOTICE_S))
    assert u.context.message == ""


def test_status_message_from_the_box_shows_as_a_notice():
    u = ui()
    u.update(Status(message="saved Groove"))
    assert u.view().overlay.lines == ("saved Groove",)


def test_bad_input_never_raises_and_changes_nothing():
    u = ui()
    before = u.project
    bad = [Key("NOPE", "press"), Turn(9, 1), Turn(0, 1.5), Pad(16, 100), Pad(0, 300), Pad(-1, 0),
           Note(200, 100), Note(60, -1), Knob(0, math.nan), Knob(-1, 0.5, key="no_such_param"),
           Knob(-1, 0.5, key="bus.nope"), Knob(-1, 0.5, key="master.nope"), Knob(-1, 0.5, key="x.y.z"),
           Knob(-1, 0.5, key=5), Knob("0", 0.5), Knob(-1, 0.5, key="cutoff_hz", track=40),
           Key("PLAY", "smash"), object()]
    for ev in bad:
        assert u.handle(ev) == []
    assert u.project is before
    assert u.context.message


def test_keyboard_notes_play_the_focused_track():
    u = ui()
    u.handle(Key("FUNC", "press"))
    hit(u, 5)
    u.handle(Key("FUNC", "release"))
    assert u.handle(Note(48, 100, 3.0)) == [fx.PlayNote(5, 48, 100, 3.0)]
    assert u.handle(Note(48, 0, 3.5)) == [fx.PlayNote(5, 48, 0, 3.5)]


def test_pads_off_the_pattern_page_play_their_track():
    u = ui()
    press(u, "MIXER")
    press(u, "SOUND")
    assert u.handle(Pad(7, 64, 1.0)) == [fx.PlayNote(7, 60, 64, 1.0)]
    assert u.handle(Pad(7, 0, 1.2)) == [fx.PlayNote(7, 60, 0, 1.2)]


def test_learned_knob_sets_its_parameter_with_one_undo_entry():
    u = ui()
    out = u.handle(Knob(-1, 0.0, key="cutoff_hz", track=2))
    assert out == [fx.SetParam("track", 2, "cutoff_hz", 20.0)]
    u.handle(Knob(-1, 1.0, key="bus.volume_db"))
    assert u.project.tracks[0].bus["volume_db"] == 6
    u.handle(Knob(-1, 3, relative=True, key="master.tempo_bpm"))
    u.handle(Knob(-1, 2, relative=True, key="master.tempo_bpm"))
    assert u.project.tempo == 125
    assert u.context.history.labels()[0].startswith("set master param")
    u.context.undo()
    assert u.project.tempo == 120


def test_device_events_post_a_notice():
    u = ui()
    assert u.handle(Device("nanoPAD2", "generic-pads", True)) == []
    assert "nanoPAD2 connected" == u.context.message
    u.handle(Device("nanoPAD2", "generic-pads", False))
    assert "went away" in u.context.message


def test_live_recording_writes_pads_and_notes_at_the_playhead_as_one_undo_entry():
    u = ui()
    before = u.project
    press(u, "REC")
    assert u.recording and u.view().header.recording
    press(u, "SOUND")
    playing(u, {2: 6, 0: 3})
    out = u.handle(Pad(2, 110, 5.0))
    assert fx.PlayNote(2, 60, 110, 5.0) in out and fx.PatternEdited("A01") in out
    u.handle(Pad(2, 0, 5.25))                       # half a beat at 120 BPM: 2 steps
    step = edit.get_step(u.project, "A01", 2, 6)
    assert step.notes == (60,) and step.velocity == 110 and step.length == 2
    u.handle(Note(67, 90, 6.0))                     # the focused track (0), at its step 3
    u.handle(Note(67, 0, 6.5))
    kick = edit.get_step(u.project, "A01", 0, 3)
    assert kick.notes == (67,) and kick.length == 4
    press(u, "REC")
    assert not u.recording
    assert len(u.context.history.labels()) == 1
    u.context.undo()
    assert u.project == before


def test_recording_when_stopped_only_plays():
    u = ui()
    press(u, "REC")
    press(u, "SOUND")
    before = u.project
    assert u.handle(Pad(2, 100)) == [fx.PlayNote(2, 60, 100, 0.0)]
    assert u.project is before


@pytest.mark.parametrize("caps", [Caps(), MINIMAL], ids=["reference", "minimal"])
def test_every_key_action_on_every_page_never_raises(caps):
    u = UI(groove(), caps)
    for page in PAGES:
        u.open_page(page)
        assert u.page_name == page
        for name in KEYS:
            for action in ("press", "long", "double", "release"):
                u.handle(Key(name, action))
                u.view()
            u.close_menu()
            u.open_page(page)
        u.handle(Key("SHIFT", "release"))
        u.handle(Key("FUNC", "release"))


def test_turning_on_the_minimal_box_edits_the_focused_field():
    u = ui(MINIMAL)
    turn(u, 0, 5)
    assert u.project.tempo == 125
    press(u, "ENC1")                                  # the cursor to the second field: swing
    assert u.context.focus == 1
    turn(u, 0, 3)
    assert u.project.pattern_at("A01").swing == 53
    assert u.project.tempo == 125


def open_by_menu(u: UI, page: str) -> None:
    """With the minimal box's controls only: hold ENC1, let go, turn to the page, click."""
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "long"))
    u.handle(Key("ENC1", "release"))
    assert u.menu_open
    turn(u, 0, -99)
    turn(u, 0, u.menu.items.index(page))
    press(u, "ENC1")


def test_every_page_is_reached_through_the_menu_on_the_minimal_box():
    u = ui(MINIMAL)
    assert u.menu.pages == PAGES
    for page in reversed(u.menu.pages):
        open_by_menu(u, page)
        assert u.page_name == page and not u.menu_open


def test_the_menu_chooses_the_track_and_undoes_redoes_and_records():
    u = ui(MINIMAL)
    hit(u, 1)
    changed = u.project
    open_by_menu(u, "TRACK")
    assert u.menu_open and u.menu.choosing
    turn(u, 0, 3)
    press(u, "ENC1")
    assert u.context.track == 3 and not u.menu_open
    open_by_menu(u, "UNDO")
    assert u.project == groove() and u.menu_open
    turn(u, 0, 1)
    press(u, "ENC1")
    assert u.project == changed
    turn(u, 0, 1)
    press(u, "ENC1")
    assert u.recording
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "long"))                        # a hold closes the menu
    assert not u.menu_open
    assert u.handle(Key("ENC1", "release")) == [] and u.context.focus == 0


def test_the_reference_box_opens_the_menu_with_func_and_enc1():
    u = ui()
    u.handle(Key("FUNC", "press"))
    u.handle(Key("ENC1", "press"))
    u.handle(Key("FUNC", "release"))
    u.handle(Key("ENC1", "release"))                     # the release of the opening push
    assert u.menu_open
    press(u, "RIGHT")
    press(u, "ENC1")
    assert u.page_name == "SOUND" and not u.menu_open
    u.open_menu()
    press(u, "MIXER")                                    # a page key closes it and opens its page
    assert u.page_name == "MIXER" and not u.menu_open


def test_one_encoder_hold_and_turn_is_left_right_and_a_double_click_pushes():
    u = ui(MINIMAL)
    press(u, "SOUND")
    u.open_page("SOUND")
    u.handle(Key("ENC1", "press"))
    turn(u, 0, 2)
    u.handle(Key("ENC1", "release"))
    assert u.view().header.title == "SAMP 3/3" and u.context.focus == 0
    u.open_page("STEP")
    turn(u, 0, 1)                                        # line: N1
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "release"))                     # focus: the value
    assert u.context.focus == 1
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "release"))                     # the first click moves on...
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "double"))                      # ...the double click comes back and
    u.handle(Key("ENC1", "release"))                     # pushes the value: remove note 1
    assert u.context.focus == 1
    assert u.context.message == "a trig plays at least one note"


def test_turns_a_second_apart_are_separate_undo_entries():
    u = ui()
    turn(u, 0, 1, t=1.0)
    turn(u, 0, 1, t=1.5)
    turn(u, 0, 1, t=2.4)
    assert u.context.history.labels() == ["tempo"]
    turn(u, 0, 1, t=3.5)
    assert u.context.history.labels() == ["tempo", "tempo"]
    press(u, "MIXER", t=3.6)
    press(u, "PATTERN", t=3.7)
    turn(u, 0, 1, t=3.8)                                 # another page in between: a new entry
    assert len(u.context.history.labels()) == 3


@pytest.mark.parametrize("caps", [Caps(), MINIMAL], ids=["reference", "minimal"])
def test_random_playing_never_raises_and_always_leaves_a_project_that_loads(caps):
    import random

    from reverie.project.model import Project
    rng = random.Random(7)
    u = UI(groove(), caps)
    for i in range(3000):
        t = i * 0.05
        r = rng.random()
        if r < 0.3:
            ev = Key(rng.choice(KEYS), rng.choice(("press", "release", "long", "double")), t)
        elif r < 0.55:
            ev = Turn(rng.randrange(4), rng.randint(-6, 6), t)
        elif r < 0.8:
            ev = Pad(rng.randrange(16), rng.choice((0, 100)), t)
        elif r < 0.9:
            ev = Note(rng.randrange(128), rng.choice((0, 90)), t)
        else:
            ev = Knob(rng.randrange(8), rng.random(), t=t)
        out = u.handle(ev)
        assert isinstance(out, list)
        if i % 7 == 0:
            playing(u, {k: i % 16 for k in range(16)})
        if i % 11 == 0:
            u.update(Status(), now=t)
        if i % 300 == 0:
            assert Project.from_dict(u.project.to_dict()) == u.project
        u.view()
    assert Project.from_dict(u.project.to_dict()) == u.project
    assert len(u.context.history.labels()) > 10


def test_a_grid_controller_is_a_step_grid_of_the_focused_track():
    from reverie.base.events import Grid
    u = ui()
    u.handle(Key("FUNC", "press"))
    hit(u, 1)                                            # the snare: 32 steps
    u.handle(Key("FUNC", "release"))
    cells = u.grid_cells()
    assert len(cells) == 8 and all(len(row) == 8 for row in cells)
    assert cells[0][4] == "step" and cells[0][0] == "off" and cells[3][7] == "off"
    assert u.handle(Grid(1, 0, True)) == [fx.PatternEdited("A01")]
    assert u.handle(Grid(1, 0, False)) == []
    assert u.grid_cells()[0][1] == "step"
    assert edit.get_step(u.project, "A01", 1, 1) is not None
    playing(u, {1: 4})
    assert u.grid_cells()[0][4] == "step_playing"
    before = u.project
    assert u.handle(Grid(0, 5, True)) == []              # step 41 of 32
    assert u.project is before and "32 steps" in u.context.message
    assert u.handle(Grid(9, 0, True)) == [] and u.project is before


@pytest.mark.parametrize("caps", [Caps(), MINIMAL], ids=["reference", "minimal"])
def test_holding_power_on_any_page_or_the_menu_asks_for_the_stop_and_nothing_else(caps):
    u = ui(caps)
    for page in PAGES:
        u.open_page(page)
        before = u.project
        for action in ("press", "double", "release"):
            assert u.handle(Key("POWER", action)) == []
        assert u.handle(Key("POWER", "long")) == [fx.Shutdown()]
        assert u.context.message == "saving, then stopping" and u.project is before
        assert u.page_name == page
    u.open_menu()
    assert u.handle(Key("POWER", "long")) == [fx.Shutdown()] and u.menu_open


def test_shift_power_explains_the_power_key_and_does_not_stop():
    u = ui()
    u.handle(Key("SHIFT", "press"))
    assert u.handle(Key("POWER", "press")) == [] and u.handle(Key("POWER", "long")) == []
    card = u.view().overlay
    assert card.title == "POWER"
    assert " ".join(card.lines) == "Hold: save the project and stop the box; then switch it off."
