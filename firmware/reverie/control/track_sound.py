"""A track's whole sound on the engine, and presets of one's own on disk (docs/presets.md).

`TrackSound` (a preset or an instrument chosen on the sound page, or taken back): the
track's program and every parameter are posted at once on the control thread, so the
audition note that follows plays the new sound. The defaults a sample brings (its root note,
its loop) are remembered per sample; a sample not seen yet is read once on the worker and
its two defaults posted when they are known.

`SavePreset`: the preset is written atomically on the worker into the data directory's
presets/<instrument>/; the sound page's library gets it when the write is done.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from reverie.project.model import FACTORY_PREFIX, Project, installed
from reverie.sound.presets import Preset, load_library, save_user_preset
from reverie.ui import effects as fx
from reverie.ui.imports import LoadMultisample

log = logging.getLogger("reverie")
KEPT_SETS = 4        # loaded multisample programs kept for the sound page's auditions


@dataclass(frozen=True)
class SampleFacts:
    """What seq.load.track_values needs of a sample: the defaults it brings."""
    root_note: int | None = None
    loop_start: int | None = None
    loop_end: int | None = None


def missing_notice(project: Project) -> str:
    """One line for the tracks whose instrument is not installed ("" when there is none)."""
    missing = [(i, t.instrument) for i, t in enumerate(project.tracks) if not installed(t.instrument)]
    if not missing:
        return ""
    tracks = ", ".join(f"T{i + 1}" for i, _ in missing)
    names = ", ".join(sorted({name for _, name in missing}))
    verb = "plays" if len(missing) == 1 else "play"
    return f"{tracks} {verb} silent: {names} {'is' if len(set(n for _, n in missing)) == 1 else 'are'} not installed"


class TrackSounds:
    def __init__(self, rig, presets_dir: Path | None):
        self.rig = rig
        self.presets_dir = presets_dir
        self.facts: dict[str, SampleFacts] = {}       # sample reference -> its defaults
        self.sets: dict[str, object] = {}              # multisample set -> its loaded program
        self.say = lambda text: setattr(rig.applier, "notice", text)     # a notice on the box

    def handlers(self) -> dict:
        """Worker jobs (Jobs.handlers)."""
        return {fx.SavePreset: self.save}

    def replaced(self, project: Project, sounds: list) -> None:
        """Another project is on the engine (app.Rig.replace_project): the defaults of its
        samples as they were loaded, and one notice for instruments it names but this box
        does not have."""
        for track, sound in zip(project.tracks, sounds):
            if track.sample and sound is not None:
                self.facts[track.sample] = SampleFacts(sound.root_note, sound.loop_start, sound.loop_end)
        self.sets.clear()
        for k, program in getattr(sounds, "multisets", {}).items():
            if k < len(project.tracks) and project.tracks[k].multisample:
                self.set_loaded(project.tracks[k].multisample, program)
        missing = missing_notice(project)
        if missing:
            self.say(missing)

    def set_loaded(self, ref: str, program) -> None:
        """A multisample set's program as loaded (a project load, control/multisample_sets.py):
        a preset tried on its track keeps playing it. The last few are kept."""
        self.sets.pop(ref, None)
        self.sets[ref] = program
        while len(self.sets) > KEPT_SETS:
            self.sets.pop(next(iter(self.sets)))

    def post(self, e: fx.TrackSound) -> None:
        """On the control thread: program and parameters of track e.track, as the project has it."""
        from reverie.seq.load import post_track_sound

        rig = self.rig
        tracks = rig.ui.project.tracks
        if not 0 <= e.track < len(tracks):
            return
        track = tracks[e.track]
        facts = self.facts.get(track.sample) if track.sample else None
        program = None
        if track.instrument == "multisample" and track.multisample:
            program = self.sets.get(track.multisample)
            if program is None and rig.jobs is not None:       # silent until it is loaded
                rig.jobs.submit(LoadMultisample(e.track, track.multisample))
        post_track_sound(rig.engine, e.track, track, facts, e.track, rig.sequencer.backlog.state,
                         program=program)
        if track.sample and facts is None and rig.jobs is not None:
            self._learn(e.track, track.sample)

    def _learn(self, k: int, ref: str) -> None:
        rig = self.rig

        def work():
            from reverie.sound.samples import load_sample
            if ref.startswith(FACTORY_PREFIX):
                from reverie.sound.kit import build_factory_kit
                path = build_factory_kit(rig.disk.factory_dir)[ref[len(FACTORY_PREFIX):]]
            else:
                path = rig.disk.sample_path(ref)
            sound = load_sample(path, engine_rate=rig.rate)
            return SampleFacts(sound.root_note, sound.loop_start, sound.loop_end)

        def finish(facts):
            self.facts[ref] = facts
            tracks = rig.ui.project.tracks
            if k < len(tracks) and tracks[k].sample == ref:
                self.post(fx.TrackSound(k))
        rig.jobs.run(f"reading {ref}", work, finish)

    def save(self, e: fx.SavePreset):
        preset = Preset(e.name, e.instrument, dict(e.params), user=True)
        root = self.presets_dir

        def work():
            if root is None:
                from reverie.base.errors import UserError
                raise UserError("this box has no data directory to keep presets in")
            return save_user_preset(root, preset)

        def finish(path):
            library = self.rig.ui.context.presets
            if library is not None:
                library.add(Preset(preset.name, preset.instrument, preset.params, slug=path.stem, user=True))
            self.rig.applier.notice = f"saved as {preset.name}"
        return f"saving preset {preset.name}", work, finish, True


def attach(rig, presets_dir: Path | None, sounds_loaded=(), notice=None) -> TrackSounds:
    """Wires track sounds and presets into a rig: the library (factory and one's own) for the
    sound page, its problems and the start project's missing instruments as notices."""
    sounds = TrackSounds(rig, presets_dir)
    rig.applier.on(fx.TrackSound, sounds.post)
    rig.jobs.handlers.update(sounds.handlers())
    if notice is not None:
        sounds.say = notice
    library = load_library(presets_dir)
    rig.ui.context.presets = library
    for problem in library.problems:
        log.warning("preset left out: %s", problem)
    if library.problems:
        sounds.say(library.problems[0] if len(library.problems) == 1 else
                   f"{len(library.problems)} preset files left out; the log says why")
    sounds.replaced(rig.ui.project, list(sounds_loaded))
    rig.track_sounds = sounds
    return sounds
