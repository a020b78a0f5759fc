"""The UI's disk work as worker jobs (jobs.py): saving and loading projects, loading a sample
onto a track, and the lists the project and sample pages offer. Reading and decoding run
on the worker; the engine and the UI change only in `finish`, on the control thread.

Projects live in the library folder, one folder each (project.json plus samples/, and the
last saves in .history/). Saving the shipped demo, which is read-only, saves a copy into
the library under its name; an autosave of the demo (or of a new project) takes a folder
name no project has yet, so it never replaces another project. A project that does not
load opens its newest good save, else stays unloaded (project/fallback.py; at start the box
opens an empty project instead). A save kept
in .history/ is restored as one edit, which undo takes back."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from reverie.base.errors import UserError
from reverie.project.model import FACTORY_PREFIX
from reverie.project.store import PROJECT_FILE, SAMPLES_DIR
from reverie.ui import effects as fx

log = logging.getLogger("reverie")

SAMPLE_SUFFIXES = (".wav", ".aif", ".aiff", ".flac", ".ogg")


def folder_name(name: str) -> str:
    """A project's name as a folder name: letters, digits, - and _ kept, the rest as -."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name.strip()).strip("-")
    return slug or "untitled"


@dataclass
class Disk:
    rig: object                  # app.Rig: engine, sequencer, ui, folder, rate
    library: Path
    factory_dir: Path
    sample_limits: object = None  # sound.samples.SampleLimits from [samples]; None: the loader's defaults

    def handlers(self) -> dict:
        return {fx.SaveProject: self.save, fx.LoadProject: self.load, fx.LoadSample: self.sample,
                fx.LoadOverview: self.overview, fx.NewProject: self.new, fx.ListSaves: self.saves,
                fx.RestoreSave: self.restore}

    def _target(self, path: str) -> Path:
        from reverie.project.demo import demo_project_path

        rig = self.rig
        if path:
            return Path(path) if Path(path).is_absolute() else self.library / folder_name(path)
        if rig.folder is None or Path(rig.folder).resolve() == demo_project_path().resolve():
            return self.library / folder_name(rig.ui.project.name)
        return Path(rig.folder)

    def save(self, e: fx.SaveProject):
        return (*self.save_job(self._target(e.path)), True)     # kept: a save is never dropped

    def save_job(self, folder: Path, quiet: bool = False, after=None):
        """(label, work, finish) saving the project as it is now into `folder`; `quiet`: no
        notice when it worked (autosave); `after(folder)` runs on the worker once saved."""
        from reverie.project.store import save_project

        project, revision = self.rig.ui.project, self.rig.ui.context.history.revision
        source = None if self.rig.folder is None else Path(self.rig.folder)

        def work():
            if source is not None and source.resolve() != folder.resolve():
                copy_samples(project, source, folder)
            saved = save_project(project, folder)
            if after is not None:
                after(folder)
            return saved

        def finish(_):
            self.rig.folder = folder
            self.rig.saved_revision = revision
            if self.on_saved is not None:
                self.on_saved(folder)
            if not quiet:
                notify(self.rig, f"saved {project.name} to {folder}")
        return f"saving {project.name}", work, finish

    def autosave_target(self) -> Path:
        """Where an autosave goes: the project's own folder, or for the demo and a new
        project a library folder named after it that no project has yet."""
        from reverie.project.demo import demo_project_path

        folder = self.rig.folder
        if folder is not None and Path(folder).resolve() != demo_project_path().resolve():
            return Path(folder)
        base = folder_name(self.rig.ui.project.name)
        target, n = self.library / base, 1
        while not _free(target):
            n += 1
            target = self.library / f"{base}-{n}"
        return target

    def load(self, e: fx.LoadProject):
        from reverie.project.fallback import open_project

        folder = self._target(e.path)

        def work():
            return open_project(folder, self.rig.rate, self.factory_dir, self.sample_limits, empty=False)

        def finish(opened):
            self.rig.replace_project(opened.project, opened.sounds, opened.folder)
            if opened.reason:
                log.warning("%s; %s", opened.reason, opened.notice)
            sets = getattr(opened.sounds, "notices", ())      # a multisample set that did not load
            notify(self.rig, opened.notice or (sets[0] if sets else f"loaded {opened.project.name}"))
        return f"loading {folder.name}", work, finish

    def saves(self, e: fx.ListSaves):
        """The saves kept for the loaded project, the newest first, into Context.saves."""
        from reverie.project.saves import kept

        folder = self.rig.folder

        def work():
            if folder is None:                  # a new project: never saved
                return ()
            return tuple((s.path.name, s.label) for s in kept(Path(folder)))

        def finish(saves):
            if self.rig.folder == folder:
                self.rig.ui.context.saves = saves
        return "reading the saves", work, finish

    def restore(self, e: fx.RestoreSave):
        """A kept save becomes the project, as one edit: undo gives back what was there."""
        from reverie.project.saves import HISTORY_DIR, Save, saved_at, load_save
        from reverie.project.sounds import load_sounds

        folder = self.rig.folder
        if folder is None or saved_at(e.name) is None:
            raise UserError(f"no save {e.name!r} to restore")
        save = Save(Path(folder) / HISTORY_DIR / e.name, saved_at(e.name))

        def work():
            project = load_save(Path(folder), save)
            return project, load_sounds(project, Path(folder), self.rig.rate, factory_dir=self.factory_dir,
                                        limits=self.sample_limits)

        def finish(result):
            if self.rig.folder != folder:
                return                   # another project was loaded meanwhile
            restore_project(self.rig, *result, f"restore {save.label}")
            notify(self.rig, f"restored the save of {save.label}; undo takes it back")
        return f"restoring {save.label}", work, finish

    def _load_sample(self, path: Path):
        from reverie.sound.samples import SampleLimits, load_sample

        return load_sample(path, engine_rate=self.rig.rate, limits=self.sample_limits or SampleLimits())

    def sample(self, e: fx.LoadSample):
        """The sound of `e.path` into the track's slot (slot k is track k's: project.sounds), or
        silence for no sample: a load, its undo and its redo all come here (context.changes).
        It lands only if the project still names that sound on that track when the decoding
        is done, so a later change (an undo, another project) is never overwritten."""
        import numpy as np

        path = None if e.path is None else self.sample_path(e.path)

        def work():
            if path is None:
                return None
            return self._load_sample(path)

        def finish(sound):
            rig = self.rig
            tracks = rig.ui.project.tracks
            if e.track >= len(tracks) or tracks[e.track].sample != e.path:
                return                   # the project moved on: its own LoadSample follows
            engine = rig.engine
            data, start, end = (np.zeros((1, 2), np.float32), -1, -1) if sound is None else \
                (sound.data, -1 if sound.loop_start is None else sound.loop_start,
                 -1 if sound.loop_end is None else sound.loop_end)
            backlog = rig.sequencer.backlog
            if backlog.state(("sample", e.track), lambda: engine.set_sample(e.track, data, start, end)):
                notify(rig, f"T{e.track + 1}: {e.path or 'no sample'}")
            else:
                notify(rig, f"audio busy: T{e.track + 1} gets {e.path or 'no sample'} when it can")
        return f"loading {e.path or 'silence'}", work, finish

    def overview(self, e: fx.LoadOverview):
        from reverie.ui.waveform import Overview, overview

        def work():
            try:
                sound = self._load_sample(self.sample_path(e.sample))
            except UserError as exc:
                return Overview.failed(str(exc))
            return overview(sound.data, sound.rate)

        def finish(result):
            self.rig.ui.context.overviews[e.sample] = result
        return f"reading {e.sample}", work, finish

    on_saved = None                  # callable(folder) after a save finished (the session)

    def new(self, e: fx.NewProject):
        from reverie.project.demo import demo_project_path
        from reverie.project.sounds import load_sounds
        from reverie.project.store import load_project

        def work():
            project = load_project(demo_project_path())
            return project, load_sounds(project, demo_project_path(), self.rig.rate,
                                        factory_dir=self.factory_dir, limits=self.sample_limits)

        def finish(result):
            self.rig.replace_project(*result, None)
            notify(self.rig, "a new project: SAVE gives it a name")
        return "starting a new project", work, finish

    def saved_as(self) -> str:
        """The loaded project's folder name in the library, "" when it has none there."""
        folder = self.rig.folder
        if folder is None or Path(folder).resolve().parent != self.library.resolve():
            return ""
        return Path(folder).name

    def sample_path(self, ref: str) -> Path:
        if ref.startswith(FACTORY_PREFIX):
            from reverie.sound.kit import build_factory_kit

            name = ref[len(FACTORY_PREFIX):]
            kit = build_factory_kit(self.factory_dir)
            if name not in kit:
                raise UserError(f"{ref} is not a factory sound; known: {', '.join(kit)}")
            return kit[name]
        if self.rig.folder is None:
            raise UserError(f"{ref}: this project has no samples folder; save it first")
        return Path(self.rig.folder) / SAMPLES_DIR / ref

    def listing(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(project names in the library, sample references offered): worker thread."""
        from reverie.sound.kit import FACTORY_KIT_NAMES

        projects = ()
        if self.library.is_dir():
            projects = tuple(sorted(p.name for p in self.library.iterdir() if (p / PROJECT_FILE).is_file()))
        samples = [FACTORY_PREFIX + n for n in FACTORY_KIT_NAMES]
        if self.rig.folder is not None and (Path(self.rig.folder) / SAMPLES_DIR).is_dir():
            base = Path(self.rig.folder) / SAMPLES_DIR
            samples += sorted(str(p.relative_to(base)) for p in base.rglob("*")
                              if p.suffix.lower() in SAMPLE_SUFFIXES and p.is_file())
        return projects, tuple(samples)


def copy_samples(project, source: Path, target: Path) -> None:
    """The project's own sample files, from the folder it came from into the one it is saved
    to, so that the saved copy loads on its own. Files already there are kept; each copy is
    written atomically, so a power cut never leaves half a sample."""
    from reverie.base.files import atomic_copy

    for _, ref in project.sample_refs():
        if ref.startswith(FACTORY_PREFIX):
            continue
        src, dst = source / SAMPLES_DIR / ref, target / SAMPLES_DIR / ref
        if src.is_file() and not dst.exists():
            try:
                dst.parent.mkdir(parents=True, exist_ok=True)
                atomic_copy(src, dst)
            except OSError as exc:
                raise UserError(f"cannot copy {ref} into {target} ({exc.strerror or exc}); "
                                "nothing was saved") from None


def _free(folder: Path) -> bool:
    """No project is there: no folder, or only the empty samples/ a first save cut short left."""
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return all(e.name == SAMPLES_DIR and e.is_dir() and not any(e.iterdir()) for e in entries)


def restore_project(rig, project, sounds: list, label: str) -> None:
    """Makes `project` current through the undo history (one edit, `label`) and puts its
    sounds, parameters and patterns into the engine."""
    from reverie.project.sounds import sound_slots
    from reverie.seq.load import apply_project

    rig.sequencer.stop()
    apply_project(rig.engine, project, sounds)
    rig.ui.context.history.apply(lambda _: project, label=label)
    rig.sequencer.project = project
    rig.sequencer.slots = sound_slots(project)
    rig.sequencer.load()


def notify(rig, text: str) -> None:
    rig.applier.notice = text
