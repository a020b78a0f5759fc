"""The notes ring and the audio log's folders: what one press has to work from."""
import numpy as np
import soundfile as sf

from reverie.control.audio_log import AudioLog, JournalLink, clock_label, session_label
from reverie.control.notes_ring import NotesRing

RATE = 48000


def test_the_ring_keeps_each_note_with_its_length_track_and_ticks():
    ring = NotesRing(RATE)
    ring.on(2, 60, 100, 1000, tick=5000)
    ring.on(2, 64, 90, 1100)
    ring.off(2, 60, 5000, tick=9000)
    ring.off(3, 60, 5100)                       # never played: nothing happens
    a, b = ring.notes(6000)
    assert (a.track, a.note, a.velocity, a.on_frame, a.off_frame, a.on_tick, a.off_tick) == \
        (2, 60, 100, 1000, 5000, 5000, 9000)
    assert (b.note, b.off_frame, b.on_tick) == (64, None, None)          # still held


def test_a_repeat_without_a_release_ends_the_first_and_old_notes_go():
    ring = NotesRing(RATE)
    ring.on(0, 60, 100, 0)
    ring.on(0, 60, 100, 500)
    first, second = ring.notes(1000)
    assert first.off_frame == 500 and second.off_frame is None
    assert ring.notes(ring.keep_frames + 1) == [second]       # 16 bars at 20 BPM later
    small = NotesRing(RATE, max_notes=3)
    for k in range(5):
        small.on(0, k, 100, k)
    assert [n.note for n in small.notes(10)] == [2, 3, 4]


def test_the_log_names_sessions_and_captures_by_their_time_and_lists_them_newest_first(tmp_path):
    clock = [1_733_348_400.0]                   # a fixed moment, read in the box's local time
    log = AudioLog(tmp_path, JournalLink(session_id=lambda: "s1"), clock=lambda: clock[0])
    sid, first = log.file_for()
    first.parent.mkdir(parents=True)
    sf.write(first, np.zeros((4800, 2), np.float32), RATE)
    clock[0] += 61
    _, second = log.file_for()
    sf.write(second, np.zeros((9600, 2), np.float32), RATE)
    (first.parent / "broken.flac").write_bytes(b"not audio")
    (first.parent / "half.flac.part").write_bytes(b"")
    listed = log.listing()
    assert [c.path for c in listed] == [str(second), str(first)]
    assert [c.seconds for c in listed] == [0.2, 0.1]
    assert listed[0].session == session_label(first.parent.name) == log.shown()
    assert listed[0].when == clock_label(second.stem) and len(listed[0].when) == 8
    assert sid == "s1"


def test_labels():
    assert session_label("2025-12-04_2140") == "12-04 21:40"
    assert session_label("mine") == "mine"
    assert clock_label("2152-03") == "21:52:03"
    assert clock_label("session-2140-12") == "21:40:12"
    assert clock_label("x") == "x"
