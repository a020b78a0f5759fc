"""What the UI asks of the instruments from outside (docs/instrument-api.md)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RescanInstruments:
    """Look for instruments from outside again and check them (a worker job: the control
    side's control/plugins.py); the result is a notice."""
