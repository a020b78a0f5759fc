"""Keys mode: the pads as an in-scale keyboard, chords, latch, octaves, and its screen."""
from __future__ import annotations

from golden import assert_golden
from hypothesis import given, strategies as st
from scenes import MINIMAL, groove, image, press, turn

from reverie.base.events import PADS, Key, Pad
from reverie.project import scales
from reverie.project.scales import SCALES
from reverie.ui import effects as fx
from reverie.ui.context import Caps
from reverie.ui.keys import COLUMNS, LAYOUTS, ROWS, Layout, pad_degree, row_step
from reverie.ui.machine import UI
from reverie.ui.pages.keys import KeysPage
from reverie.ui.status import Status

ANY_SCALE = st.sampled_from(SCALES)
ROOT = st.integers(0, 11)
LAYOUT = st.sampled_from(LAYOUTS)


def layouts(scale, root, layout):
    """The layout at every octave it can take."""
    low = Layout(scale, root, 0, layout)
    return [Layout(scale, root, o, layout) for o in range(0, low.highest_octave() + 1)]


def notes_on(effects):
    return [(e.track, e.note) for e in effects if isinstance(e, fx.PlayNote) and e.velocity]


def notes_off(effects):
    return [(e.track, e.note) for e in effects if isinstance(e, fx.PlayNote) and not e.velocity]


def keys(settings=None, caps=None):
    u = UI(groove(), caps or Caps(), settings=dict(settings or {"pads.scale": "minor", "pads.root": 9}))
    u.open_page("KEYS")
    return u


# --- the layout, every scale and every root ---------------------------------------------------

@given(ANY_SCALE, ROOT, LAYOUT)
def test_every_pad_plays_a_note_of_the_scale_at_every_octave(scale, root, layout):
    for lay in layouts(scale, root, layout):
        for pad in range(PADS):
            note = lay.note(pad)
            assert 0 <= note <= 127
            assert scales.contains(scale, root, note), (scale.name, root, lay.octave, pad)
            assert lay.is_root(pad) == (note % 12 == root)


@given(ANY_SCALE, ROOT, LAYOUT)
def test_a_row_climbs_the_scale_and_rows_are_a_fixed_number_of_degrees_apart(scale, root, layout):
    lay = Layout(scale, root, 3, layout)
    step = row_step(scale, layout)
    for row in range(ROWS):
        pads = range(row * COLUMNS, (row + 1) * COLUMNS)
        notes = [lay.note(p) for p in pads]
        assert all(a < b for a, b in zip(notes, notes[1:]))        # no two neighbours equal
        degrees = [scales.degree_of(scale, root, n, lay.base) for n in notes]
        assert degrees == [degrees[0] + i for i in range(COLUMNS)]  # one degree a pad
    firsts = [lay.degree(row * COLUMNS) for row in range(ROWS)]
    assert [a - b for a, b in zip(firsts, firsts[1:])] == [step] * (ROWS - 1)
    assert lay.degree(PADS - COLUMNS) == 0 and lay.is_root(PADS - COLUMNS)   # bottom left: the root


@given(ANY_SCALE, ROOT, LAYOUT, st.integers(-12, 12))
def test_an_octave_shift_moves_every_pad_twelve_semitones_and_stays_in_the_scale(scale, root, layout, by):
    lay = Layout(scale, root, 3, layout).shifted(0)
    moved = lay.shifted(by)
    assert 0 <= moved.octave <= lay.highest_octave()
    assert moved.octave == min(max(lay.octave + by, 0), lay.highest_octave())
    for pad in range(PADS):
        assert moved.note(pad) == lay.note(pad) + 12 * (moved.octave - lay.octave)
        assert scales.contains(scale, root, moved.note(pad))


@given(ANY_SCALE, ROOT, LAYOUT, st.sampled_from((3, 4)), st.integers(0, 8))
def test_chords_are_diatonic_stacked_thirds_on_the_pad(scale, root, layout, size, octave):
    lay = Layout(scale, root, octave, layout).shifted(0)
    for pad in range(PADS):
        chord = lay.notes(pad, size)
        assert chord[0] == lay.note(pad)
        assert list(chord) == sorted(set(chord)) and all(n <= 127 for n in chord)
        assert all(scales.contains(scale, root, n) for n in chord)
        if scale.size < 12:
            want = [scales.note_of(scale, root, lay.degree(pad) + 2 * i, lay.base) for i in range(size)]
            assert list(chord) == [n for n in want if n <= 127]    # every other degree: thirds


def test_a_minor_from_a3_and_its_chords():
    lay = Layout(scales.BY_NAME["minor"], 9, 3)
    assert [lay.note(p) for p in range(12, 16)] == [57, 59, 60, 62]     # A3 B3 C4 D4
    assert [lay.note(p) for p in range(8, 12)] == [62, 64, 65, 67]      # a 4th up: D4 E4 F4 G4
    assert lay.notes(12, 3) == (57, 60, 64)                             # A minor
    assert lay.notes(14, 4) == (60, 64, 67, 71)                         # C major 7
    assert pad_degree(0, 3) == 9


# --- playing through the UI ------------------------------------------------------------------

def test_pads_play_the_focused_track_in_the_scale_and_let_go():
    u = keys()
    u.handle(Key("FUNC", "press"))
    u.handle(Pad(5, 100, 0.5))                    # FUNC + pad: focus track 6
    u.handle(Pad(5, 0, 0.55))
    u.handle(Key("FUNC", "release"))
    on = u.handle(Pad(12, 90, 1.0))
    assert on == [fx.PlayNote(5, 57, 90, 1.0)]
    assert u.handle(Pad(12, 0, 1.2)) == [fx.PlayNote(5, 57, 0, 1.2)]


def test_octave_keys_move_the_layout_and_a_held_note_ends_on_its_own_note():
    u = keys()
    assert notes_on(u.handle(Pad(12, 100, 1.0))) == [(0, 57)]
    press(u, "RIGHT")
    assert notes_off(u.handle(Pad(12, 0, 1.1))) == [(0, 57)]           # the note it started
    assert notes_on(u.handle(Pad(12, 100, 1.2))) == [(0, 69)]
    u.handle(Pad(12, 0, 1.3))
    for _ in range(20):
        press(u, "LEFT")
    assert notes_on(u.handle(Pad(12, 100, 1.4))) == [(0, 21)]          # octave 0 (A0) at most down


def test_chord_mode_plays_the_triad_and_lets_go_of_all_of_it():
    u = keys()
    turn(u, 2, 1)                                                       # ENC3: triads
    assert notes_on(u.handle(Pad(13, 100, 1.0))) == [(0, 59), (0, 62), (0, 65)]   # B dim
    assert sorted(notes_off(u.handle(Pad(13, 0, 1.1)))) == [(0, 59), (0, 62), (0, 65)]
    turn(u, 2, 1)                                                       # 7ths
    assert notes_on(u.handle(Pad(12, 100, 1.2))) == [(0, 57), (0, 60), (0, 64), (0, 67)]


def test_latch_holds_a_chord_until_it_is_hit_again_and_latch_off_lets_go():
    u = keys()
    turn(u, 2, 1)
    press(u, "ENC3")                                                    # latch on
    assert u.context.message.startswith("latch on")
    assert notes_on(u.handle(Pad(12, 100, 1.0))) == [(0, 57), (0, 60), (0, 64)]
    assert u.handle(Pad(12, 0, 1.1)) == []                              # let go: still held
    u.handle(Pad(15, 100, 1.2))
    u.handle(Pad(15, 0, 1.3))
    assert [p.sounding for p in u.page.view(u.context).pads].count(True) == 2
    assert sorted(notes_off(u.handle(Pad(12, 100, 1.4)))) == [(0, 57), (0, 60), (0, 64)]
    u.handle(Pad(12, 0, 1.5))
    assert sorted(notes_off(press(u, "ENC3"))) == [(0, 62), (0, 65), (0, 69)]   # latch off
    assert not any(p.sounding for p in u.page.view(u.context).pads)


def test_stop_lets_go_of_latched_notes_and_the_next_hit_plays_again():
    u = keys()
    press(u, "ENC3")
    u.handle(Pad(0, 100, 1.0))
    u.handle(Pad(0, 0, 1.1))
    assert notes_off(press(u, "STOP")) == [(0, 72)]
    assert notes_on(u.handle(Pad(0, 100, 1.2))) == [(0, 72)]


def test_the_scale_and_root_are_the_settings_pages_and_lock_keyboards_too():
    from reverie.base.events import Note

    u = keys({"pads.scale": "major", "pads.root": 0})
    assert turn(u, 0, 1) == [fx.Setting("pads.scale", "minor")]
    assert turn(u, 1, 2) == [fx.Setting("pads.root", 2)]
    assert notes_on(u.handle(Pad(12, 100, 1.0))) == [(0, 50)]          # D3: D minor's root
    assert notes_on(u.handle(Note(66, 100, 1.1))) == [(0, 65)]         # F# -> F in D minor


def test_fixed_velocity_applies_to_keys_mode():
    u = keys({"pads.scale": "major", "pads.velocity": "fixed"})
    assert u.handle(Pad(12, 17, 1.0))[0].velocity == 100


def test_recording_writes_keys_notes_into_the_focused_track():
    u = keys()
    u.update(Status(playing=True, steps=(2,) * 16))
    press(u, "REC")
    turn(u, 2, 1)
    u.handle(Pad(12, 100, 1.0))
    u.handle(Pad(12, 0, 1.1))
    step = u.project.pattern_at("A01").tracks[0].steps[2]
    assert step is not None and step.notes == (57, 60, 64)


def test_a_scale_change_keeps_the_octave_inside_midi():
    u = keys({"pads.scale": "off", "pads.root": 11})
    for _ in range(12):
        press(u, "RIGHT")
    top = u.page.view(u.context).octave
    turn(u, 0, 1)                                    # major: more span per pad than chromatic
    lay = u.page.current(u.context)
    assert lay.octave <= top and all(lay.note(p) <= 127 for p in range(PADS))


def test_one_encoder_moves_over_the_four_fields():
    u = keys(caps=MINIMAL)
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "release"))
    assert u.page.view(u.context).focus == 1
    turn(u, 0, 1)                                   # the root
    assert u.context.settings["pads.root"] == 10


# --- the screen ------------------------------------------------------------------------------

def test_screen():
    u = keys({"pads.scale": "minor", "pads.root": 9})
    turn(u, 2, 1)
    press(u, "ENC3")
    u.update(Status(), 5.0)                          # the "latch on" notice has gone
    u.handle(Pad(13, 100, 5.0))
    u.handle(Pad(13, 0, 5.1))
    assert_golden(image(u), "keys-latch-chord")


def test_screen_raga_one_encoder():
    u = keys({"pads.scale": "bhairav", "pads.root": 4}, caps=MINIMAL)
    u.handle(Pad(6, 100, 1.0))
    assert_golden(image(u), "keys-bhairav-one-encoder")


def test_the_page_is_found_and_named():
    assert KeysPage.name in UI(groove()).page_names
