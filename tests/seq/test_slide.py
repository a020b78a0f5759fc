"""Slide and accent per step, in exact frames, on MIDI tracks (every note on and off is a
frame-stamped message): a slid note ends on the frame the next note starts, after it; a plain
one at its gate; a slide into a rest ends after its step; a slide into the same note ties; a
late next step (swing, micro-timing) is waited for; accent and slide travel in the compiled
step and the project format."""
import pytest

from seqkit import (START, STEP, PatternBuffer, ideal_frame, midi_engine, note_offs, note_ons,
                    play, run)
from reverie.base.errors import UserError
from reverie.project.pattern import Step
from reverie.seq.buffer import LAYOUT

BPM = 120


def events(pb, frames=START + 60000):
    eng = midi_engine()
    play(eng, pb, BPM)
    ev = run(eng, frames)
    ons = [(f, n) for f, c, n, _ in note_ons(ev, 0)]
    offs = [(f, n) for f, c, n in note_offs(ev, 0)]
    order = [("on" if b[0] & 0xF0 == 0x90 else "off", b[1]) for f, _, b in ev
             if len(b) == 3 and b[0] & 0x0F == 0 and b[0] & 0xE0 == 0x80]
    return ons, offs, order


def frame(steps):
    return ideal_frame(round(steps * STEP), BPM)


def test_a_plain_step_ends_at_its_gate():
    pb = PatternBuffer(16)
    pb.step(0, 0, notes=(45,), length=0.5)
    pb.step(0, 1, notes=(48,), length=0.5)
    ons, offs, _ = events(pb, START + 2 * 6000 + 10)
    assert ons[:2] == [(frame(0), 45), (frame(1), 48)]
    assert offs[:2] == [(frame(0.5), 45), (frame(1.5), 48)]


def test_a_slid_step_ends_on_the_next_notes_frame_after_it_starts():
    pb = PatternBuffer(16)
    pb.step(0, 0, notes=(45,), length=0.5, slide=True)
    pb.step(0, 1, notes=(48,), length=0.5)
    ons, offs, order = events(pb, START + 2 * 6000 + 10)
    assert ons[:2] == [(frame(0), 45), (frame(1), 48)]
    assert offs[:2] == [(frame(1), 45), (frame(1.5), 48)]
    assert order[:3] == [("on", 45), ("on", 48), ("off", 45)]       # legato: overlapping


def test_a_slide_into_a_rest_ends_after_its_step():
    pb = PatternBuffer(16)
    pb.step(0, 0, notes=(45,), length=0.25, slide=True)
    pb.step(0, 2, notes=(48,), length=0.5)
    ons, offs, _ = events(pb, START + 3 * 6000)
    assert offs[0] == (frame(1), 45)
    assert ons[1] == (frame(2), 48)


def test_a_slide_into_a_step_that_does_not_play_ends_after_its_step():
    pb = PatternBuffer(16)
    pb.step(0, 0, notes=(45,), length=0.25, slide=True)
    pb.step(0, 1, notes=(48,), prob=0)
    ons, offs, _ = events(pb, START + 3 * 6000)
    assert ons[:1] == [(frame(0), 45)] and offs[0] == (frame(1), 45)
    assert all(n != 48 for _, n in ons)


def test_a_slide_into_the_same_note_ties():
    pb = PatternBuffer(16)
    pb.step(0, 0, notes=(45,), length=0.5, slide=True)
    pb.step(0, 1, notes=(45,), length=0.5)
    ons, offs, _ = events(pb, START + 2 * 6000 + 10)
    assert ons == [(frame(0), 45)]
    assert offs == [(frame(1.5), 45)]


@pytest.mark.parametrize("swing, micro", [(50, 0), (75, 48), (60, -20)])
def test_a_slide_waits_for_a_late_next_step(swing, micro):
    """Step 1 late by swing ((swing - 50) / 50 step) and micro (1/96 step): the slid note of
    step 0 ends on the frame step 1 starts, however late."""
    pb = PatternBuffer(16, swing=swing)
    pb.step(0, 0, notes=(45,), length=0.25, slide=True)
    pb.step(0, 1, notes=(48,), length=0.25, micro=micro)
    ons, offs, order = events(pb, START + 3 * 6000)
    late = 1 + (swing - 50) / 50 + micro / 96
    assert ons[1] == (frame(late), 48)
    assert offs[0] == (frame(late), 45)
    assert order[:3] == [("on", 45), ("on", 48), ("off", 45)]


def test_a_slid_chord_hands_over_to_the_next_chord():
    pb = PatternBuffer(16)
    pb.step(0, 0, notes=(45, 52), length=0.5, slide=True)
    pb.step(0, 1, notes=(47,), length=0.5)
    ons, offs, _ = events(pb, START + 2 * 6000 + 10)
    assert sorted(offs[:2]) == [(frame(1), 45), (frame(1), 52)]


def test_accent_and_slide_are_bits_of_the_compiled_step():
    pb = PatternBuffer(16)
    pb.step(0, 0, accent=True)
    pb.step(0, 1, slide=True)
    pb.step(0, 2, accent=True, slide=True)
    pb.step(0, 3)
    flags = pb.head["tracks"]["steps"][0]["flags"][:4].tolist()
    assert flags == [1, 2, 3, 0]
    assert "flags" in LAYOUT["step"].names


def test_the_project_format_reads_and_writes_accent_and_slide():
    s = Step.from_dict({"notes": [45], "accent": True, "slide": True}, "patterns.A01.tracks[0].steps[3]")
    assert (s.accent, s.slide) == (True, True)
    assert s.to_dict() == {"notes": [45], "accent": True, "slide": True}
    old = Step.from_dict({"notes": [45]}, "x")
    assert (old.accent, old.slide) == (False, False) and old.to_dict() == {"notes": [45]}
    with pytest.raises(UserError) as e:
        Step.from_dict({"slide": "yes"}, "patterns.A01.tracks[0].steps[3]")
    msg = str(e.value)
    assert "\n" not in msg and "patterns.A01.tracks[0].steps[3].slide" in msg


def test_an_accent_on_a_midi_track_sends_the_full_velocity():
    pb = PatternBuffer(16)
    pb.step(0, 0, notes=(45,), velocity=80, accent=True)
    pb.step(0, 1, notes=(47,), velocity=80)
    eng = midi_engine()
    play(eng, pb, BPM)
    ons = note_ons(run(eng, START + 2 * 6000 + 10), 0)
    assert [(f, n, v) for f, _, n, v in ons[:2]] == [(frame(0), 45, 127), (frame(1), 47, 80)]
