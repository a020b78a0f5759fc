"""What the practice layer asks of the box, carried out on the control thread
(app/practice.py wires them): journal writes go to the worker, the tone to the engine."""
from __future__ import annotations

from dataclasses import dataclass

from reverie.ui.practice.record import SessionRecord


@dataclass(frozen=True, slots=True)
class JournalWrite:
    """Write this state of a session into the journal (an upsert by id, on the worker). A
    later write of the same session supersedes a failed or waiting one. `final`: the box is
    stopping; the worker finishes it before the process ends."""
    record: SessionRecord
    final: bool = False


@dataclass(frozen=True, slots=True)
class ReadJournal:
    """Read the journal on the worker into Context.journal (a summary.JournalSummary)."""


@dataclass(frozen=True, slots=True)
class EndSession:
    """The "done" action: end the session now (the check-out follows when check-ins are on).
    The practice layer answers it itself; it never reaches the applier."""


@dataclass(frozen=True, slots=True)
class BreathTone:
    """The pacer's soft tone: "in" swells over `seconds`, "out" fades over `seconds`, "off"
    stops it and gives the spare track back."""
    phase: str
    seconds: float = 0.0
