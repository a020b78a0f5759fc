"""A compiled pattern: the exact bytes the engine's sequencer reads (seq_state.pxd).

`PatternBuffer` is the low-level builder, in engine units (MIDI notes, 1/96 step, engine
parameter ids). `reverie.seq.compile` turns a project Pattern into one. The numpy dtypes
come from the C structs' own offsets (`reverie.core.engine.seq_layout`), so the layout is
defined once.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from reverie.core.defs import SIZES, SPEED_NAMES, Cond, Speed, StepFlag
from reverie.core.engine import seq_layout
from reverie.project.pattern import RETRIG_RATES

LAYOUT = seq_layout()
MICRO_DIV = SIZES["MICRO_DIV"]
MICRO_MAX = SIZES["MICRO_MAX"]
MAX_STEPS = SIZES["MAX_STEPS"]
MAX_TRACKS = SIZES["MAX_TRACKS"]
STEP_LOCKS = SIZES["STEP_LOCKS"]

SPEEDS = {name: speed for speed, name in SPEED_NAMES.items()}     # "3/4": Speed.SPEED_3_4


def parse_cond(text: str | None) -> tuple[int, int, int]:
    """("1:2" | "!1:2" | "fill" | "!fill" | "1st" | "!1st" | "pre" | "!pre" | "nei" | "!nei"
    | None) -> (Cond, a, b). ValueError for anything else."""
    if text is None:
        return Cond.COND_NONE, 0, 0
    neg = text.startswith("!")
    body = text[1:] if neg else text
    named = {"fill": Cond.COND_FILL, "1st": Cond.COND_FIRST, "pre": Cond.COND_PRE, "nei": Cond.COND_NEI}
    if body in named:
        return named[body] + (1 if neg else 0), 0, 0
    a, sep, b = body.partition(":")
    if sep and a.isdigit() and b.isdigit() and 1 <= int(a) <= int(b) <= 8:
        return (Cond.COND_NOT_AB if neg else Cond.COND_AB), int(a), int(b)
    raise ValueError(f"condition {text!r} is not A:B, !A:B, fill, 1st, pre, nei or their ! forms")


def to_96ths(steps, what: str, lo: int, hi: int) -> int:
    """A length in steps as a whole number of 1/96 steps within lo..hi."""
    if isinstance(steps, (int, float)) and not isinstance(steps, bool):
        # the common case, fast: a project keeps lengths on the grid (1/3 as 0.333…)
        whole = round(steps * MICRO_DIV)
        if abs(steps * MICRO_DIV - whole) < 1e-6 and lo <= whole <= hi:
            return int(whole)
    n = Fraction(steps).limit_denominator(1 << 20) * MICRO_DIV
    if n.denominator != 1 or not lo <= n <= hi:
        raise ValueError(f"{what} = {steps} is not a multiple of 1/96 step within "
                         f"{lo}/96..{hi}/96")
    return int(n)


class PatternBuffer:
    """Builds one compiled pattern. Every track starts 16 steps long at speed 1."""

    def __init__(self, length: int = 16, swing: int = 50):
        if not 1 <= length <= SIZES["MAX_PATTERN_LENGTH"]:
            raise ValueError(f"pattern length {length} is outside 1..{SIZES['MAX_PATTERN_LENGTH']}")
        if not 50 <= swing <= 75:
            raise ValueError(f"swing {swing} is outside 50..75 %")
        self.head = np.zeros((), dtype=LAYOUT["pattern"])
        self.head["length"] = length
        self.head["swing"] = swing
        self.head["tracks"]["length"] = 16
        self.head["tracks"]["speed"] = Speed.SPEED_1
        self.locks: list[tuple[int, float]] = []
        self._steps = self.head["tracks"]["steps"]      # a view: [track, step] records

    def track(self, k: int, length: int = 16, speed: str = "1") -> PatternBuffer:
        if not 1 <= length <= MAX_STEPS:
            raise ValueError(f"track length {length} is outside 1..{MAX_STEPS}")
        if speed not in SPEEDS:
            raise ValueError(f"speed {speed!r} is not one of {', '.join(SPEEDS)}")
        self.head["tracks"][k]["length"] = length
        self.head["tracks"][k]["speed"] = SPEEDS[speed]
        return self

    def step(self, k: int, i: int, notes=(60,), velocity: int = 100, length=1, micro: int = 0,
             prob: int = 100, cond: str | None = None, retrig=None, locks=(), trig: bool = True,
             accent: bool = False, slide: bool = False):
        """retrig: None or (rate per step, length in steps, velocity ramp -1..1);
        locks: (target, value) pairs (a track param id, LOCK_BUS + bus id, LOCK_CC + cc);
        accent: the notes start with the source `accent` at 1; slide: the gate holds at least
        the whole step and on into the next trig with notes, which then plays legato."""
        notes = tuple(notes)
        if not 1 <= len(notes) <= SIZES["STEP_NOTES"] or not all(0 <= n <= 127 for n in notes):
            raise ValueError(f"a step has 1..{SIZES['STEP_NOTES']} notes in 0..127, not {notes}")
        if not -MICRO_MAX <= micro <= MICRO_MAX:
            raise ValueError(f"micro {micro} is outside -{MICRO_MAX}..{MICRO_MAX}")
        locks = list(locks)
        if len(locks) > STEP_LOCKS:
            raise ValueError(f"a step has at most {STEP_LOCKS} parameter locks")
        rate = rlen = rvel = 0
        if retrig is not None:
            rate, rlen, ramp = retrig
            if rate not in RETRIG_RATES:
                raise ValueError(f"retrig rate {rate} is not one of {RETRIG_RATES}")
            rlen = to_96ths(rlen, "retrig length", 1, 16 * MICRO_DIV)
            rvel = int(round(max(-1.0, min(1.0, ramp)) * 1000))
        cond, cond_a, cond_b = parse_cond(cond)
        # one record, in the field order of seq_layout()'s step dtype: a single assignment
        # instead of one numpy call per field (compiling a pattern is on the edit path)
        self._steps[k, i] = (
            1 if trig else 0, len(notes), notes + (0,) * (SIZES["STEP_NOTES"] - len(notes)),
            max(1, min(127, int(velocity))), max(0, min(100, int(prob))), cond, cond_a, cond_b,
            rate, micro, to_96ths(length, "length", 1, MAX_STEPS * MICRO_DIV), rlen, rvel,
            len(self.locks), len(locks),
            (StepFlag.STEP_ACCENT if accent else 0) | (StepFlag.STEP_SLIDE if slide else 0))
        self.locks += [(int(t), float(v)) for t, v in locks]
        return self

    def build(self) -> np.ndarray:
        """The bytes for Engine.seq_set_pattern."""
        if len(self.locks) > 65535:
            raise ValueError("a pattern has at most 65535 parameter locks")
        self.head["n_locks"] = len(self.locks)
        locks = np.array(self.locks, dtype=LAYOUT["lock"]) if self.locks else np.zeros(0, LAYOUT["lock"])
        return np.concatenate([np.frombuffer(self.head.tobytes(), np.uint8),
                               np.frombuffer(locks.tobytes(), np.uint8)])
