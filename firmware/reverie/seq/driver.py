"""The control side of the engine's sequencer for one project: loads its patterns, tracks
and arrangement into the engine, and starts and stops it. Runs on the control thread. A full
command ring never raises: what it refuses goes through the Backlog (seq/backlog.py)."""
from __future__ import annotations

from reverie.core.defs import SIZES, TrackKind
from reverie.project.model import Project
from reverie.project.pattern import Pattern, pattern_slot
from reverie.seq.backlog import Backlog
from reverie.seq.compile import arrangement, compile_pattern

ALL_PORTS = SIZES["ALL_PORTS"]


class Sequencer:
    def __init__(self, engine, project: Project, slots: dict[str, int], ports: list[str] = (),
                 backlog: Backlog | None = None):
        """`slots`: sound reference -> engine sample slot (project.sounds.sound_slots);
        `ports`: names of the open MIDI output ports, in the order the MIDI scheduler numbers
        them (a MIDI track names its port by a part of its name); `backlog`: where refused
        posts wait (its own when None)."""
        self.engine = engine
        self.project = project
        self.slots = slots
        self.ports = list(ports)
        self.backlog = backlog if backlog is not None else Backlog()

    def load(self, once: bool = False, frame: int = -1) -> None:
        """Posts every pattern the project plays, its tracks, tempo, metronome and
        arrangement. `once`: the arrangement plays through one time and stops (a render)."""
        p, e, state = self.project, self.engine, self.backlog.state
        names = set(p.patterns) | {p.pattern} | set(p.chain) | {r.pattern for r in p.song.rows}
        for name in sorted(names, key=pattern_slot):
            self.update_pattern(name, frame)
        for k in range(SIZES["MAX_TRACKS"]):
            t = p.tracks[k] if k < len(p.tracks) else None
            midi = t is not None and t.kind == "midi"
            kind = TrackKind.KIND_MIDI if midi else TrackKind.KIND_AUDIO
            channel = (t.midi_channel - 1) if midi else 0
            port = self.port_index(t.midi_port) if midi else ALL_PORTS
            state(("seq_track", k), lambda k=k, kind=kind, channel=channel, port=port:
                  e.seq_track(k, kind, channel, port, frame))
        state(("tempo",), lambda tempo=p.tempo: e.seq_tempo(tempo, frame))
        state(("metronome",), lambda on=p.metronome: e.seq_metronome(on, frame=frame))
        rows, loop = arrangement(p, once)
        state(("rows",), lambda: e.seq_arrangement(rows, loop, frame))

    def update_pattern(self, name: str, frame: int = -1) -> None:
        """Compiles and posts one pattern; the engine swaps it in even while it plays."""
        pattern = self.project.patterns.get(name) or Pattern.empty()
        slot, buf = pattern_slot(name), compile_pattern(self.project, pattern, self.slots)
        self.backlog.state(("pattern", slot), lambda: self.engine.seq_set_pattern(slot, buf, frame))

    def port_index(self, name: str | None) -> int:
        if name is None:
            return ALL_PORTS
        for i, port in enumerate(self.ports):
            if name.lower() in port.lower():
                return i
        return ALL_PORTS

    def play(self, frame: int = -1) -> bool:
        return self.backlog.moment(self.engine.seq_play(-1, frame, self.project.count_in_bars))

    def stop(self, frame: int = -1) -> bool:
        return self.backlog.moment(self.engine.seq_stop(frame))
