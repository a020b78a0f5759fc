"""The fields of a step as the pattern page (a held step) and the step page edit them: how
each is shown and where a turn takes it. `turned()` returns the step field and its new
value for edit.set_field, or raises UserError with what to do instead."""
from __future__ import annotations

from dataclasses import replace

from reverie.base.errors import UserError
from reverie.project.pattern import MAX_NOTES, RETRIG_RATES, SUBSTEPS, Retrig, Step
from reverie.ui.turning import note_name, signed, steps

LABELS = {"note": "NOTE", "velocity": "VEL", "length": "LEN", "micro": "MICR", "prob": "PROB",
          "cond": "COND", "rate": "RTRG", "rlen": "RLEN", "ramp": "RAMP", "trig": "TRIG",
          "accent": "ACNT", "slide": "SLID",
          **{f"note{k}": f"N{k}" for k in range(1, MAX_NOTES + 1)}}

# Gate and retrig lengths a turn steps through, in 1/96 of a step.
LENGTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 36, 48, 64, 72, 96, 144, 192, 288, 384, 576, 768,
           1152, 1536, 2304, 3072, 4608, 6144, 9216, 12288)
CONDS = ((None, "fill", "!fill", "pre", "!pre", "nei", "!nei", "1st", "!1st")
         + tuple(f"{a}:{b}" for b in range(2, 9) for a in range(1, b + 1))
         + tuple(f"!{a}:{b}" for b in range(2, 9) for a in range(1, b + 1)))
RATES = (None,) + RETRIG_RATES
RAMP_STEP, RAMP_FINE = 0.05, 0.01


def show(step: Step | None, field: str) -> str:
    if step is None:
        return "-"
    if field == "note":
        extra = len(step.notes) - 1
        return note_name(step.notes[0]) + (f"+{extra}" if extra else "")
    if field.startswith("note"):
        k = int(field[4:]) - 1
        return note_name(step.notes[k]) if k < len(step.notes) else "-"
    r = step.retrig
    shown = {
        "velocity": lambda: str(step.velocity),
        "length": lambda: steps(step.length),
        "micro": lambda: signed(step.micro),
        "prob": lambda: f"{step.prob}%",
        "cond": lambda: step.cond or "-",
        "rate": lambda: "off" if r is None else f"{r.rate}x",
        "rlen": lambda: "-" if r is None else steps(r.length),
        "ramp": lambda: "-" if r is None else f"{round(r.vel_ramp * 100):+d}%".replace("+0%", "0%"),
        "trig": lambda: "on" if step.trig else "off",
        "accent": lambda: "on" if step.accent else "off",
        "slide": lambda: "on" if step.slide else "off",
    }
    return shown[field]()


def turned(step: Step, field: str, detents: int, fine: bool = False) -> tuple[str, object]:
    """(step field, new value) after turning `field` by `detents`."""
    if field == "note":
        notes = tuple(n + detents for n in step.notes)
        if not all(0 <= n <= 127 for n in notes):
            raise UserError("the chord would leave the notes 0..127")
        return "notes", notes
    if field.startswith("note"):
        return "notes", _chord_note(step.notes, int(field[4:]) - 1, detents)
    if field == "velocity":
        return "velocity", _clamp(step.velocity + detents, 1, 127)
    if field == "length":
        return "length", _table(LENGTHS, round(step.length * SUBSTEPS), detents) / SUBSTEPS
    if field == "micro":
        return "micro", _clamp(step.micro + detents, -48, 48)
    if field == "prob":
        return "prob", _clamp(step.prob + detents, 0, 100)
    if field == "cond":
        return "cond", CONDS[_clamp(CONDS.index(step.cond) + detents, 0, len(CONDS) - 1)]
    if field in ("trig", "accent", "slide"):
        return field, detents > 0
    r = step.retrig
    if field == "rate":
        rate = RATES[_clamp(RATES.index(None if r is None else r.rate) + detents, 0, len(RATES) - 1)]
        return "retrig", None if rate is None else replace(r or Retrig(), rate=rate)
    if r is None:
        raise UserError("this step has no retrig: set its rate (RTRG) first")
    if field == "rlen":
        k = _table(tuple(x for x in LENGTHS if x <= 16 * SUBSTEPS), round(r.length * SUBSTEPS), detents)
        return "retrig", replace(r, length=k / SUBSTEPS)
    if field == "ramp":
        step_size = RAMP_FINE if fine else RAMP_STEP
        ramp = round(max(-1.0, min(1.0, r.vel_ramp + detents * step_size)), 2)
        return "retrig", replace(r, vel_ramp=ramp)
    raise UserError(f"a step has no field {field!r}")


def _chord_note(notes: tuple[int, ...], k: int, detents: int) -> tuple[int, ...]:
    """Chord note k moved by `detents`, stepping over the chord's other notes; turning the
    first unset note up adds one above the chord's highest (a push removes one)."""
    if k > len(notes):
        raise UserError(f"set note {len(notes) + 1} of the chord first")
    if k == len(notes):
        if detents <= 0:
            return notes
        n = max(notes) + detents
    else:
        n = notes[k] + detents
    others = notes[:k] + notes[k + 1:]
    direction = 1 if detents > 0 else -1
    while n in others:
        n += direction
    if not 0 <= n <= 127:
        raise UserError("a note is 0..127")
    return others[:k] + (n,) + others[k:]


def without_note(notes: tuple[int, ...], k: int) -> tuple[int, ...]:
    if len(notes) <= 1 or k >= len(notes):
        raise UserError("a trig plays at least one note")
    return notes[:k] + notes[k + 1:]


def _table(table: tuple[int, ...], now: int, detents: int) -> int:
    """The entry `detents` places from `now` (a value between entries counts as one)."""
    if detents == 0:
        return now
    if detents > 0:
        later = [x for x in table if x > now]
        return later[min(len(later), detents) - 1] if later else table[-1]
    earlier = [x for x in table if x < now]
    return earlier[max(-len(earlier), detents)] if earlier else table[0]


def _clamp(v: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, v))
