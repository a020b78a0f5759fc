"""RescanInstruments as a worker job: the instruments from outside are looked for and
checked again on the worker (a child process does the checking: sound/plugin_check.py); those
that pass are registered on the control thread when it is done, and the result is a notice.
What a previous scan registered stays (a track may be playing it)."""
from __future__ import annotations

from pathlib import Path

from reverie.base.errors import UserError
from reverie.ui.instruments import RescanInstruments


class PluginRescan:
    def __init__(self, rig, plugins_dir: Path | None, enabled: bool = True):
        """`enabled`: False in safe mode, where the box plays its own instruments only."""
        self.rig = rig
        self.plugins_dir = plugins_dir
        self.enabled = enabled
        self.last = None                 # the last Scan

    def handlers(self) -> dict:
        return {RescanInstruments: self.job}

    def job(self, e: RescanInstruments):
        from reverie.sound import instruments
        from reverie.sound.plugin_check import scan_isolated
        from reverie.sound.plugins import install

        def work():
            if not self.enabled:
                raise UserError("safe mode: instruments of your own stay out")
            return scan_isolated(self.plugins_dir, set(instruments.BUILTIN))

        def finish(result):
            self.last = result
            install(result, instruments.INSTRUMENTS, instruments._PROGRAMS)
            found, refused = len(result.installed), len(result.refused)
            if refused == 1:
                self.rig.applier.notice = result.refused[0].refused
            else:
                more = f", {refused} refused (see reverie instruments)" if refused else ""
                self.rig.applier.notice = f"instruments of your own: {found}{more}"
        return "looking for instruments", work, finish
