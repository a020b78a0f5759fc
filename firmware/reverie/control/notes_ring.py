"""The notes ring: the notes played live lately (pads, keyboard and controller notes, with
their tracks, velocities, frames and lengths), kept on the control thread so that one press
turns them into a pattern (control/capture.py, project/phrase.py). The sequencer's own notes
are not in it. Nothing here touches the engine: the Applier hands every PlayNote on.
"""
from __future__ import annotations

from collections import deque
from dataclasses import replace

from reverie.project.phrase import MAX_BARS, PlayedNote

MAX_NOTES = 4096                # a long flurry keeps its newest notes
SLOWEST_BPM = 20                # the notes of 16 bars at the slowest tempo are kept
BEATS_PER_BAR = 4


class NotesRing:
    def __init__(self, rate: int, max_notes: int = MAX_NOTES):
        self.rate = rate
        self.keep_frames = int(MAX_BARS * BEATS_PER_BAR * 60 / SLOWEST_BPM * rate)
        self._notes: deque[PlayedNote] = deque(maxlen=max_notes)
        self._held: dict[tuple[int, int], PlayedNote] = {}

    def on(self, track: int, note: int, velocity: int, frame: int, tick: int | None = None) -> None:
        if (track, note) in self._held:
            self.off(track, note, frame, tick)          # a repeat without a release ends the first
        n = PlayedNote(track, note, velocity, frame, on_tick=tick)
        self._held[track, note] = n
        self._notes.append(n)

    def off(self, track: int, note: int, frame: int, tick: int | None = None) -> None:
        n = self._held.pop((track, note), None)
        if n is None:
            return
        ended = replace(n, off_frame=max(frame, n.on_frame + 1),
                        off_tick=None if tick is None or n.on_tick is None else max(tick, n.on_tick + 1))
        for i in range(len(self._notes) - 1, -1, -1):
            if self._notes[i] is n:
                self._notes[i] = ended
                break

    def notes(self, now_frame: int) -> list[PlayedNote]:
        """The notes started within the kept span before `now_frame`, oldest first."""
        oldest = now_frame - self.keep_frames
        return [n for n in self._notes if n.on_frame >= oldest]

    def clear(self) -> None:
        self._notes.clear()
        self._held.clear()

    def __len__(self) -> int:
        return len(self._notes)
