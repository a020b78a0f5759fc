"""The box's side of "nothing lost", called from BoxApp at three places:

  open()    on the worker, at start: which project to open and with which pattern: the one
            `--project` or `[project] path` names, else the last one (session.json), else the
            demo; a missing folder opens the demo, a project that does not load its newest
            good save, else an empty project (project/fallback.py), each with a notice
  attach()  once the rig runs: the page left off on, autosave and the session file as a
            control hook (control/autosave.py), the notices
  stop()    first thing at stop: the last save and the session, which the worker finishes

Safe mode (SHIFT held at power-on, or `reverie run --safe`) opens the demo with factory
settings, says so, and writes neither the session, the settings nor any save until the
musician saves by hand."""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from reverie.base.errors import UserError

log = logging.getLogger("reverie")

SAFE_KEY = "SHIFT"
SAFE_NOTICE = "safe mode: the demo and factory settings; nothing is kept until you save"


class Keeping:
    def __init__(self, config, options, data, box):
        self.config, self.options, self.data, self.box = config, options, data, box
        self.safe = bool(getattr(options, "safe", False))
        self.notices: list[str] = []
        self.page = ""
        self.autosave = None

    # --- at start, on the worker --------------------------------------------------------

    def open(self, rate: int):
        """(project, sounds, folder) to start with; reads the keys, the session, the disk."""
        from reverie.control.session import read_session, resolved
        from reverie.project.fallback import open_empty, open_project
        from reverie.project.store import DEMO_NAME, project_folder

        if not self.safe and self._safe_key_held():
            self.safe = True
        if self.safe:
            log.warning("%s", SAFE_NOTICE)
            self.notices.append(SAFE_NOTICE)
        chosen = self.options.project_path or self.config.project.path
        session = None if self.safe or chosen else read_session(self.data.session)
        last = resolved(session.project, self.data.root) if session is not None else None
        path = chosen or last or DEMO_NAME
        if self.safe:
            path = DEMO_NAME
        limits, factory = self.config.samples.limits(), self.data.factory
        try:
            folder = project_folder(path if path == DEMO_NAME else Path(path).expanduser())
            opened = open_project(folder, rate, factory, limits)
        except UserError as exc:
            log.warning("%s; opening the demo", exc)
            try:
                opened = open_project(project_folder(DEMO_NAME), rate, factory, limits)
                opened.notice = f"{Path(path).name} is not there: the demo instead"
            except UserError as demo_exc:       # the installation itself is damaged
                opened = open_empty(f"the demo does not load ({demo_exc}): an empty project", rate,
                                    factory, limits)
        if opened.reason:
            log.warning("%s; %s", opened.reason, opened.notice)
        if opened.notice:
            self.notices.append(opened.notice)
        project = opened.project
        if last is not None and opened.folder is not None and last.resolve() == Path(opened.folder).resolve():
            project = _with_pattern(project, session.pattern)
            self.page = session.page
        return project, opened.sounds, opened.folder

    def _safe_key_held(self) -> bool:
        from reverie.hal.gpio.held import keys_held

        try:
            return SAFE_KEY in keys_held(self.box)
        except Exception as exc:     # the keys cannot be read: start as usual, say why in the log
            log.warning("the keys could not be read for safe mode: %s", exc)
            return False

    def settings(self) -> dict:
        """The settings page's choices: the state file's, or the factory's in safe mode."""
        from reverie.control.settings import defaults, load_settings

        return defaults(self.config) if self.safe else load_settings(self.data.settings, self.config)

    # --- once the rig runs, on the control thread ---------------------------------------

    def attach(self, rig, notice) -> None:
        from reverie.control.autosave import Autosave

        if self.page in rig.ui.page_names:
            rig.applier.apply(rig.ui.open_page(self.page))
        settings = rig.applier.on_setting
        self.autosave = Autosave(rig, self.config.project.autosave_s, self.data.session, held=self.safe)
        if self.safe and hasattr(settings, "held"):
            settings.held = True

        def saved(folder) -> None:
            self.autosave.release()
            if hasattr(settings, "release"):
                settings.release()
        rig.disk.on_saved = saved
        rig.control.hooks.append(self.autosave)
        if self.notices:
            notice("; ".join(self.notices))

    # --- at stop ------------------------------------------------------------------------

    def stop(self) -> None:
        """Queues the last save and the session (BoxApp.stop closes the jobs: they finish)."""
        if self.autosave is not None:
            self.autosave.final()


def _with_pattern(project, pattern: str):
    from reverie.project.pattern import pattern_slot

    if not pattern or pattern == project.pattern:
        return project
    try:
        pattern_slot(pattern)
    except (UserError, ValueError):
        return project
    return replace(project, pattern=pattern)
