"""Instruments from outside at start-up (docs/instrument-api.md): found and checked before
the project is opened, so a track may name one; each refusal becomes a notice. Safe mode
(`reverie run --safe`) leaves them out: the box then starts with its own instruments only."""
from __future__ import annotations

import logging

from reverie.sound.plugins import Scan

log = logging.getLogger(__name__)


def find_instruments(data, safe: bool = False) -> Scan:
    from reverie.sound.instruments import add_plugins

    if safe:
        log.info("safe mode: instruments from outside are left out")
        return Scan()
    result = add_plugins(data.plugins)
    for f in result.installed:
        log.info("instrument %s from %s: %.1fx the synth's CPU a voice", f.name, f.origin, f.trial.cost)
    return result
