"""Multisample sets on the running box: LoadMultisample loads a track's set on the worker
(sound/multisample/play.py) and gives the track its program and parameters on the control
thread; a set that cannot be loaded is a one-line notice and a silent track, nothing else
changes. ListMultisamples reads which sets there are into Context.multisets."""
from __future__ import annotations

from pathlib import Path

from reverie.base.errors import UserError
from reverie.project.store import SAMPLES_DIR
from reverie.ui.imports import ListMultisamples, LoadMultisample


class MultisampleSets:
    def __init__(self, rig, library: Path | None, sample_limits=None):
        """`library`: the data directory's instruments/multisamples/."""
        self.rig = rig
        self.library = library
        self.sample_limits = sample_limits

    def handlers(self) -> dict:
        return {LoadMultisample: self.load, ListMultisamples: self.list}

    def _project_samples(self) -> Path | None:
        return None if self.rig.folder is None else Path(self.rig.folder) / SAMPLES_DIR

    def list(self, e: ListMultisamples):
        from reverie.sound.multisample.play import PROJECT_FOLDER, factory_sets, imported_sets

        samples = self._project_samples()

        def work():
            return tuple(factory_sets()) + tuple(imported_sets(samples and samples / PROJECT_FOLDER, self.library))

        def finish(sets):
            self.rig.ui.context.multisets = sets
        return "listing the sets", work, finish

    def load(self, e: LoadMultisample):
        from reverie.sound.instruments import INSTRUMENTS, program_for
        from reverie.sound.multisample.play import load_set

        samples = self._project_samples()

        def work():
            if e.ref is None:
                return None
            try:
                return load_set(e.ref, samples, self.library, self.sample_limits).program
            except (UserError, OSError) as exc:
                return f"T{e.track + 1} plays nothing: {exc}"

        def finish(program):
            rig = self.rig
            tracks = rig.ui.project.tracks
            if e.track >= len(tracks) or (tracks[e.track].instrument, tracks[e.track].multisample) != \
                    ("multisample", e.ref):
                return                   # the project moved on: its own LoadMultisample follows
            notice = program if isinstance(program, str) else None
            if program is None or notice:
                program = program_for("multisample")          # no set: silent
            elif getattr(rig, "track_sounds", None) is not None:
                rig.track_sounds.set_loaded(e.ref, program)
            track, engine, state = tracks[e.track], rig.engine, rig.sequencer.backlog.state
            state(("program", e.track), lambda: engine.set_program(e.track, program))
            for s in INSTRUMENTS["multisample"]:     # after the program: it says how they are kept
                value = s.check(track.params.get(s.key, s.default))
                state(("param", e.track, s.id), lambda s=s, value=value: engine.set_param(e.track, s.id, value))
            rig.applier.notice = notice or f"T{e.track + 1}: {e.ref or 'no set'}"
        return f"loading {e.ref or 'no set'}", work, finish
