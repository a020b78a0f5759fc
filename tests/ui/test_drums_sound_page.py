"""The sound page on a drums track: one screen pair per drum (KICK, SNAR, CLAP, CH, OH, TOM)
and the kit, a turn retunes the kick, and a pad plays the kick (its note 60)."""
from __future__ import annotations

from golden import assert_golden
from scenes import image, press, turn, ui

from reverie.base.events import Pad
from reverie.project.model import Project
from reverie.sound.instruments.drums import DRUMS, drum_of_note
from reverie.ui import effects as fx
from reverie.ui import selection
from reverie.ui.global_input import PAD_NOTE
from reverie.ui.turning import turn as turned


def drums_ui():
    return ui(project=Project.from_dict({
        "format": "reverie-project", "version": 2,
        "tracks": [{"name": "Kit", "instrument": "drums"}]}))


def on_screen(u, name):
    press(u, "SOUND")
    for _ in range(16):
        if u.page.heading(u.context) == name:
            return u
        press(u, "RIGHT")
    raise AssertionError(f"no screen {name}")


def test_one_screen_pair_per_drum_then_the_kit():
    names = [n for n, _ in selection.screens("drums")]
    assert names == ["KICK 1/2", "KICK 2/2", "SNAR 1/2", "SNAR 2/2", "CLAP 1/2", "CLAP 2/2", "CH 1/2",
                     "CH 2/2", "OH 1/2", "OH 2/2", "TOM 1/2", "TOM 2/2", "KIT 1/1"]
    assert [s.key for _, run in selection.screens("drums") for s in run] == [s.key for s in DRUMS]


def test_a_turn_retunes_the_kick_and_the_screen_shows_it():
    u = on_screen(drums_ui(), "KICK 1/2")
    out = turn(u, 0, 5)
    want = turned(DRUMS["kick_tune_hz"], DRUMS["kick_tune_hz"].default, 5)
    assert out == [fx.SetParam("track", 0, "kick_tune_hz", want)]
    assert want > DRUMS["kick_tune_hz"].default
    assert_golden(image(u), "sound-drums-kick")


def test_a_pad_plays_the_kick():
    u = drums_ui()
    press(u, "SOUND")               # (on the pattern page a pad edits a step)
    out = u.handle(Pad(0, 100))
    assert fx.PlayNote(0, PAD_NOTE, 100, 0.0) in out
    assert drum_of_note(PAD_NOTE) == "kick"


def test_the_keys_page_reaches_every_drum_with_no_scale():
    """With the keys page's scale off (every semitone), the 16 pads climb by semitones or
    fourths from C: by the pitch-class map every drum of the kit is under some pad."""
    from reverie.ui.keys import LAYOUTS
    from reverie.ui.machine import UI
    for layout in LAYOUTS:
        u = UI(drums_ui().project, settings={"pads.scale": "off", "pads.root": 0})
        u.open_page("KEYS")
        u.page.layout = layout
        drums = set()
        for pad in range(16):
            out = u.handle(Pad(pad, 100)) + u.handle(Pad(pad, 0))
            drums |= {drum_of_note(e.note) for e in out if isinstance(e, fx.PlayNote) and e.velocity}
        assert drums == {"kick", "snare", "clap", "chat", "ohat", "tom"}, layout
