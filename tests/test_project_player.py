"""The pattern scheduler against a fake engine that records what is posted."""
import pytest

from reverie.project.model import Project
from reverie.project.player import PatternPlayer


class RecordingEngine:
    """Takes note commands like the engine; refuses them once `room` of them are waiting."""

    def __init__(self, room=None):
        self.room = room
        self.waiting = []
        self.applied = []

    def _post(self, event):
        if self.room is not None and len(self.waiting) >= self.room:
            return False
        self.waiting.append(event)
        return True

    def note_on(self, track, note, velocity, frame):
        return self._post((frame, "on", track, note, velocity))

    def note_off(self, track, note, frame):
        return self._post((frame, "off", track, note))

    def drain(self):
        self.applied += self.waiting
        self.waiting = []


def project(tempo=120, length=16, loops=1, tracks=None):
    def step(note=60, velocity=100, length=1):
        return {"note": note, "velocity": velocity, "length": length}
    tracks = tracks if tracks is not None else [{"sample": "factory:kick", "steps": [step()] + [None] * 3 + [step(62)]}]
    for t in tracks:
        t["steps"] = [None if s is None else step(**s) if isinstance(s, dict) else s for s in t["steps"]]
    return Project.from_dict({"format": "reverie-project", "version": 1, "tempo": tempo,
                              "pattern_length": length, "loops": loops, "tracks": tracks})


def play_all(player, engine, chunk):
    frame = player.start_frame
    while not player.done:
        frame += chunk
        player.pump(engine, frame)
        engine.drain()
    return engine.applied


@pytest.mark.parametrize("tempo, rate", [(120, 48000), (133.3, 48000), (120, 44100), (97.25, 96000)])
def test_step_frames_come_from_the_absolute_step(tempo, rate):
    player = PatternPlayer(project(tempo), rate, start_frame=1000)
    for step in (0, 1, 2, 3, 7, 15, 16, 1001, 10**6 + 1):
        assert player.step_frame(step) == 1000 + round(step * 60 / tempo / 4 * rate)


def test_ties_round_to_even_like_python():
    player = PatternPlayer(project(120), 44100)   # a step is 5512.5 frames
    assert [player.step_frame(s) for s in (1, 3)] == [5512, 16538]


def test_notes_on_at_their_step_and_off_after_their_length():
    p = project(120, tracks=[{"sample": "a.wav", "steps": [{"note": 36, "velocity": 99, "length": 2.5},
                                                           None, None, {"note": 38}]}])
    events = play_all(PatternPlayer(p, 48000), RecordingEngine(), 1000)
    assert events == [(0, "on", 0, 36, 99), (15000, "off", 0, 36),
                      (18000, "on", 0, 38, 100), (24000, "off", 0, 38)]


def test_a_repeated_note_ends_the_one_before_and_offs_come_first():
    p = project(120, length=4, loops=2, tracks=[{"sample": "a.wav", "steps": [{"note": 40, "length": 8},
                                                                               None, {"note": 40, "length": 2}]}])
    events = play_all(PatternPlayer(p, 48000), RecordingEngine(), 5000)
    assert events == [
        (0, "on", 0, 40, 100), (12000, "off", 0, 40),          # cut where the note comes again
        (12000, "on", 0, 40, 100), (24000, "off", 0, 40),
        (24000, "on", 0, 40, 100), (36000, "off", 0, 40),
        (36000, "on", 0, 40, 100), (48000, "off", 0, 40),      # the last one plays its length
    ]


def test_tracks_without_a_sound_play_nothing():
    p = project(tracks=[{"sample": None, "steps": [{}]}, {"sample": "b.wav", "steps": [None, {}]}])
    assert [e[2] for e in play_all(PatternPlayer(p, 48000), RecordingEngine(), 999)] == [1, 1]


def test_the_same_events_whatever_the_pump_size_or_ring_room():
    p = project(133.3, length=16, loops=3, tracks=[
        {"sample": "a.wav", "steps": [{}, {"note": 61}, None, {"length": 3}]},
        {"sample": "b.wav", "steps": [None, {"velocity": 3}, {}, None, {"length": 0.5}]}])
    reference = play_all(PatternPlayer(p, 48000), RecordingEngine(), 10**9)
    assert len(reference) == 2 * 3 * 6   # on and off, 3 passes, 6 notes
    assert reference == sorted(reference, key=lambda e: (e[0], e[1] == "on"))
    for chunk, room in ((1, None), (64, None), (8193, 2), (5401, 1), (10**9, 3)):
        assert play_all(PatternPlayer(p, 48000), RecordingEngine(room), chunk) == reference


def test_pump_posts_only_before_until_and_resumes_after_a_full_ring():
    player = PatternPlayer(project(120), 48000)    # on 0, off 6000, on 24000, off 30000
    engine = RecordingEngine(room=1)
    assert player.pump(engine, 24000) == 1 and player.next_frame == 6000
    engine.drain()
    assert player.pump(engine, 24000) == 1 and player.next_frame == 24000
    engine.drain()
    assert player.pump(engine, 24000) == 0
    assert [e[0] for e in engine.applied] == [0, 6000]
    assert not player.done
    assert player.pump(engine, 10**9) == 1
    engine.drain()
    assert player.pump(engine, 10**9) == 1 and player.done


def test_end_frame_and_forever():
    p = project(120, length=16, loops=3)
    assert PatternPlayer(p, 48000, start_frame=10).end_frame == 10 + 3 * 16 * 6000
    forever = PatternPlayer(p, 48000, forever=True)
    assert forever.end_frame is None
    engine = RecordingEngine()
    forever.pump(engine, 100 * 16 * 6000)
    assert len(engine.waiting) == 4 * 100 and not forever.done
