"""Euclidean rhythms: k pulses spread as evenly as they go over n steps, E(k, n).

Bjorklund's algorithm (E. Bjorklund, "The theory of rep-rate pattern generation in the SNS
timing system", 2003), as G. Toussaint showed it to make traditional rhythms ("The Euclidean
algorithm generates traditional musical rhythms", 2005): start with k groups [x] and n - k
groups [.]; while more than one group is left over, append one left-over group to each of
the first groups (as many as there are of the fewer kind) - Euclid's remainders on lists.
The first pass always runs, even when a single [.] is left over, so E(3,4) is x.xx as in
Toussaint's tables, not xxx.. The groups read in order are the rhythm.

Every rhythm here is exactly the one in Toussaint's table (rotation 0): E(2,5) x.x..,
E(3,4) x.xx, E(3,8) x..x..x., E(5,8) x.xx.xx., E(5,12) x..x.x..x.x., E(7,16)
x..x.x.x..x.x.x. and the rest in tests/project/test_euclid.py. `rotation` r moves the
rhythm r steps later (wrapping), so r = 1 turns x..x..x. into .x..x..x.

Bresenham's line (`bresenham`: step i is a pulse when (i * k) mod n < k) gives the same
rhythm up to a rotation - every maximally even rhythm of k in n is a rotation of every other
one (Clough and Douthett, 1991) - the tests check it for every k <= n <= 32.
"""
from __future__ import annotations

from reverie.core.defs import SIZES

MAX_STEPS = SIZES["MAX_STEPS"]      # a track's length


def _check(pulses: int, steps: int) -> None:
    for what, v in (("pulses", pulses), ("steps", steps)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"{what} is a whole number, not {v!r}")
    if not 1 <= steps <= MAX_STEPS or not 0 <= pulses <= steps:
        raise ValueError(f"E({pulses},{steps}): 1..{MAX_STEPS} steps and 0..steps pulses")


def bjorklund(pulses: int, steps: int) -> tuple[bool, ...]:
    """E(pulses, steps) as True for a pulse, the first step a pulse (unless there are none)."""
    _check(pulses, steps)
    if pulses in (0, steps):
        return (pulses == steps,) * steps
    groups = [[True] for _ in range(pulses)]
    rest = [[False] for _ in range(steps - pulses)]
    first = True
    while first or len(rest) > 1:
        first = False
        pairs = min(len(groups), len(rest))
        joined = [groups[i] + rest[i] for i in range(pairs)]
        rest = groups[pairs:] if len(groups) > pairs else rest[pairs:]
        groups = joined
    return tuple(x for group in groups + rest for x in group)


def bresenham(pulses: int, steps: int) -> tuple[bool, ...]:
    """The same rhythm up to a rotation, by the line-drawing rule."""
    _check(pulses, steps)
    return tuple((i * pulses) % steps < pulses for i in range(steps))


def rotate(rhythm: tuple[bool, ...], by: int) -> tuple[bool, ...]:
    """`by` steps later (negative: earlier), wrapping around."""
    if not rhythm:
        return rhythm
    by %= len(rhythm)
    return rhythm[-by:] + rhythm[:-by] if by else rhythm


def euclid(pulses: int, steps: int, rotation: int = 0) -> tuple[bool, ...]:
    return rotate(bjorklund(pulses, steps), rotation)


def shown(rhythm) -> str:
    """x..x..x. for a rhythm."""
    return "".join("x" if on else "." for on in rhythm)
