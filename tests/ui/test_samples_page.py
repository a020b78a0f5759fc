import numpy as np
import pytest

from reverie.base.events import Key, Pad, Turn
from reverie.project.history import History
from reverie.project.model import Project, Track
from reverie.ui import effects as fx
from reverie.ui.context import Caps, Context
from reverie.ui.draw.canvas import render
from reverie.ui.pages.samples import COARSE, SamplesPage
from reverie.ui.status import Status
from reverie.ui.view import Header, Screen
from reverie.ui.waveform import Overview, overview

from golden import assert_golden
from scenes import page_click as click, page_press as press

REFS = ("factory:kick", "factory:snare", "drums/kick 2.wav", "loops/amen break 170bpm.wav")


def decaying_sine() -> Overview:
    t = np.arange(24000) / 48000
    x = (np.sin(2 * np.pi * 110 * t) * np.exp(-t * 6)).astype(np.float32)
    return overview(np.stack([x, 0.8 * x], axis=1))


def page_with(tracks=None, encoders=4, samples=REFS, overviews=None):
    tracks = tracks or [Track("Kick", sample="factory:kick"), Track("Keys", kind="midi")]
    ctx = Context(History(Project(tracks=tracks)), caps=Caps(encoders=encoders),
                  status=Status(samples=samples))
    ctx.overviews.update(overviews or {})
    page = SamplesPage()
    return page, ctx, page.enter(ctx)


def params(ctx, track=0):
    return ctx.project.tracks[track].params


# --- the list and the waveforms ------------------------------------------------------------

def test_enter_focuses_the_tracks_sample_and_asks_for_its_waveform():
    page, ctx, out = page_with(tracks=[Track("Hit", sample="drums/kick 2.wav")])
    assert page.view(ctx).sample == "drums/kick 2.wav" and page.view(ctx).loaded
    assert out == [fx.LoadOverview("drums/kick 2.wav")]


def test_scrolling_asks_for_a_missing_waveform_once():
    page, ctx, out = page_with(overviews={"factory:kick": decaying_sine()})
    assert out == []                                  # the app already made it
    assert page.turn(ctx, Turn(0, 1)) == [fx.LoadOverview("factory:snare")]
    page.turn(ctx, Turn(0, -1))
    assert page.turn(ctx, Turn(0, 1)) == []           # asked already, not here yet
    assert page.view(ctx).overview is None
    ctx.overviews["factory:snare"] = Overview.failed("cannot read")
    assert page.view(ctx).overview.error == "cannot read"
    assert page.turn(ctx, Turn(0, 50)) == [fx.LoadOverview(REFS[-1])]
    assert page.view(ctx).index == len(REFS) - 1      # stops at the end
    assert not page.view(ctx).loaded


def test_a_waveform_dropped_by_the_app_is_asked_for_again():
    page, ctx, _ = page_with(overviews={"factory:kick": decaying_sine()})
    page.turn(ctx, Turn(0, 1))
    ctx.overviews["factory:snare"] = decaying_sine()
    page.turn(ctx, Turn(0, -1))
    del ctx.overviews["factory:snare"]
    assert page.turn(ctx, Turn(0, 1)) == [fx.LoadOverview("factory:snare")]


# --- markers --------------------------------------------------------------------------------

def test_a_marker_turned_is_one_undo_entry_and_sets_the_parameter_live():
    page, ctx, _ = page_with()
    out = page.turn(ctx, Turn(2, 1))                  # ENC3: the start, a column
    assert params(ctx)["start"] == pytest.approx(COARSE, abs=1e-4)
    assert out == [fx.SetParam("track", 0, "start", params(ctx)["start"])]
    page.turn(ctx, Turn(2, 9))
    page.turn(ctx, Turn(3, 3))                        # ENC4: finely
    assert params(ctx)["start"] == pytest.approx(10 / 128 + 3 / 2048, abs=2e-4)
    ctx.undo()
    assert "start" not in params(ctx)
    assert not ctx.history.can_undo


def test_enc2_chooses_the_marker_and_end_stops_at_1():
    page, ctx, _ = page_with()
    page.turn(ctx, Turn(1, 1))
    assert page.view(ctx).marker == "end"
    page.turn(ctx, Turn(2, -3))
    assert params(ctx)["end"] == pytest.approx(1 - 3 / 128, abs=2e-4)
    page.turn(ctx, Turn(2, 40))
    assert params(ctx)["end"] == 1.0


def test_a_loop_marker_starts_at_the_start_or_end_and_turns_off_below_zero():
    page, ctx, _ = page_with(tracks=[Track("Pad", sample="factory:pad", params={"start": 0.25, "end": 0.75})])
    page.turn(ctx, Turn(1, 2))                        # loop start
    assert page.turn(ctx, Turn(2, -1)) == []          # off stays off turning down
    page.turn(ctx, Turn(2, 1))
    assert params(ctx)["loop_start"] == 0.25
    page.turn(ctx, Turn(1, 1))                        # loop end
    page.turn(ctx, Turn(3, 1))
    assert params(ctx)["loop_end"] == 0.75
    page.turn(ctx, Turn(1, -1))
    page.turn(ctx, Turn(2, -100))
    assert params(ctx)["loop_start"] == -1.0          # the file's own loop point, or none
    assert page.view(ctx).markers == (0.25, 0.75, -1.0, 0.75)


def test_markers_on_a_track_the_project_does_not_have_are_refused():
    page, ctx, _ = page_with()
    ctx.track = 5
    before = ctx.project
    assert page.turn(ctx, Turn(2, 1)) == [] and ctx.project is before
    assert "2 tracks" in ctx.message


# --- loading and auditioning ---------------------------------------------------------------

def test_enc1_push_loads_the_focused_sample_on_the_focused_track():
    page, ctx, _ = page_with()
    page.turn(ctx, Turn(0, 2))
    out = press(page, ctx, "ENC1")
    assert fx.LoadSample(0, "drums/kick 2.wav") in out and fx.ProjectEdited() in out
    assert ctx.project.tracks[0].sample == "drums/kick 2.wav" and page.view(ctx).loaded
    ctx.undo()
    assert ctx.project.tracks[0].sample == "factory:kick"


def test_loading_on_a_midi_track_is_refused():
    page, ctx, _ = page_with()
    ctx.track = 1
    before = ctx.project
    assert press(page, ctx, "ENC1") == [] and ctx.project is before
    assert "MIDI" in ctx.message


def test_with_no_samples_loading_says_what_to_do():
    page, ctx, out = page_with(samples=())
    assert out == [] and page.view(ctx).sample == ""
    assert press(page, ctx, "ENC1") == [] and "copy" in ctx.message
    assert page.turn(ctx, Turn(0, 3)) == []


def test_pads_audition_the_focused_track_from_its_root_note():
    page, ctx, _ = page_with(tracks=[Track("Bass", sample="factory:bass", params={"root_note": 36})])
    assert page.pad(ctx, Pad(0, 100, t=1.5)) == [fx.PlayNote(0, 36, 100, 1.5)]
    assert page.pad(ctx, Pad(7, 90, t=1.6)) == [fx.PlayNote(0, 43, 90, 1.6)]
    assert page.pad(ctx, Pad(7, 0, t=2.0)) == [fx.PlayNote(0, 43, 0, 2.0)]
    assert page.pad(ctx, Pad(7, 0, t=2.1)) == []      # released already
    ctx.func = True
    assert page.pad(ctx, Pad(7, 100)) is None


def test_a_pad_releases_the_note_it_played_after_the_track_changed():
    page, ctx, _ = page_with(tracks=[Track("A", sample="factory:kick"),
                                     Track("B", sample="factory:bass", params={"root_note": 36})])
    page.pad(ctx, Pad(2, 100))
    ctx.track = 1
    assert page.pad(ctx, Pad(2, 0)) == [fx.PlayNote(0, 62, 0, 0.0)]


# --- one encoder -----------------------------------------------------------------------------

def test_one_encoder_picks_loads_and_moves_every_marker():
    page, ctx, _ = page_with(encoders=1)
    page.turn(ctx, Turn(0, 1))                        # the list
    assert page.view(ctx).sample == "factory:snare"
    assert click(page, ctx) == [] and page.view(ctx).focus == "load"
    out = click(page, ctx)                            # the LOAD field: a click loads
    assert fx.LoadSample(0, "factory:snare") in out
    assert page.view(ctx).focus == "start"
    for key in ("start", "end", "loop_start", "loop_end"):
        assert page.view(ctx).focus == key
        page.turn(ctx, Turn(0, 1))
        click(page, ctx)
    assert params(ctx)["start"] == pytest.approx(COARSE, abs=1e-4)
    assert params(ctx)["end"] == 1.0 and params(ctx)["loop_end"] == 1.0
    assert params(ctx)["loop_start"] == pytest.approx(COARSE, abs=1e-4)
    assert page.view(ctx).focus == "list"


def test_one_encoder_double_click_on_the_list_loads():
    page, ctx, _ = page_with(encoders=1)
    page.turn(ctx, Turn(0, 2))
    click(page, ctx)                                  # the first click moves to LOAD...
    page.key(ctx, Key("ENC1", "press"))
    out = page.key(ctx, Key("ENC1", "double"))        # ...the double click goes back and loads
    assert page.key(ctx, Key("ENC1", "release")) == []
    assert fx.LoadSample(0, "drums/kick 2.wav") in out and page.view(ctx).focus == "list"


def test_one_encoder_leaves_the_long_push_to_the_machine():
    page, ctx, _ = page_with(encoders=1)
    page.key(ctx, Key("ENC1", "press"))
    assert page.key(ctx, Key("ENC1", "long")) is None
    assert page.key(ctx, Key("ENC1", "release")) == [] and page.view(ctx).focus == "list"


# --- screens ---------------------------------------------------------------------------------

def shot(page, ctx, name):
    screen = Screen(Header("SAMPLES", "A01", ctx.track, 120.0, False), page.view(ctx))
    assert_golden(render(screen), name)


def test_samples_waveform_screen():
    page, ctx, _ = page_with(tracks=[Track("Kick", sample="factory:kick", params={
        "start": 0.05, "end": 0.8, "loop_start": 0.3, "loop_end": 0.6})],
        overviews={"factory:kick": decaying_sine()})
    page.turn(ctx, Turn(1, 2))
    shot(page, ctx, "samples-waveform")


def test_samples_screen_with_one_encoder_on_load():
    page, ctx, _ = page_with(encoders=1, overviews={"factory:kick": decaying_sine()})
    page.turn(ctx, Turn(0, 3))
    click(page, ctx)
    shot(page, ctx, "samples-one-encoder")


def test_samples_screen_without_samples():
    page, ctx, _ = page_with(samples=())
    shot(page, ctx, "samples-empty")


# --- through the machine ------------------------------------------------------------------------

def machine(caps=Caps()):
    from reverie.ui.machine import UI
    u = UI(Project(tracks=[Track("Kick", sample="factory:kick")]), caps)
    u.update(Status(samples=REFS))
    return u


def test_through_the_machine_on_the_reference_box():
    u = machine()
    out = u.handle(Key("SAMPLE", "press"))
    assert u.page_name == "SAMPLE" and out == [fx.LoadOverview("factory:kick")]
    u.context.overviews["factory:kick"] = decaying_sine()
    assert u.view().body.overview == decaying_sine()
    assert u.handle(Turn(2, 4)) == [fx.SetParam("track", 0, "start", 0.0312)]
    assert u.handle(Turn(0, 1)) == [fx.LoadOverview("factory:snare")]
    out = u.handle(Key("ENC1", "press"))
    assert fx.LoadSample(0, "factory:snare") in out
    u.handle(Key("ENC1", "release"))
    assert u.project.tracks[0].sample == "factory:snare"
    assert u.handle(Pad(12, 100, 3.0)) == [fx.PlayNote(0, 72, 100, 3.0)]


def test_through_the_machine_with_one_encoder():
    from scenes import MINIMAL
    u = machine(MINIMAL)
    u.open_page("SAMPLE")
    u.handle(Turn(0, 3))
    for _ in range(2):                               # to LOAD, and LOAD
        u.handle(Key("ENC1", "press"))
        out = u.handle(Key("ENC1", "release"))
    assert fx.LoadSample(0, REFS[3]) in out and u.view().body.focus == "start"
    u.handle(Turn(0, 2))
    assert u.project.tracks[0].params["start"] == 0.0156


def test_every_help_text_fits_the_help_card():
    from reverie.ui.pages import help as helps
    from reverie.ui.pages.samples import SamplesPage
    assert {"ENC1", "ENC1 TURN"} & set(SamplesPage.help)       # every box has ENC1
    for control in SamplesPage.help:
        for gesture in ((" TURN", " PUSH") if control in ("ENC1", "ENC2", "ENC3", "ENC4") else ("",)):
            text = helps.lookup(SamplesPage.help, control + gesture)
            assert text != "Nothing here." and not helps.wrap(text)[-1].endswith("~"), control + gesture
