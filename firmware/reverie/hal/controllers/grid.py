"""The LEDs of a grid controller (a Launchpad in programmer mode) showing the step grid.

The UI supplies the view: `cells[y][x]`, 8 rows of 8 cell states, y = 0 the top row. Two
views fit the grid:

- tracks: row y is track y, column x is step x of the page of 8 steps in view;
- steps: the 64 steps of the focused track, step = 8 * y + x.

The states are `CELL_STATES`: "off" (no trig), "step" (a trig), "step_playing" (the playhead
on a trig), "playhead" (the playhead on an empty step), "focus" (the step or track being
edited), "muted" (a trig on a muted track). The profile's palette gives each its colour: a
note-on on the grid's channel with the colour as velocity, the LED message of programmer mode.
Only cells that changed since the last `show()` are sent.
"""
from __future__ import annotations

from collections.abc import Callable

from reverie.hal.controllers.profiles import CELL_STATES, GRID_SIZE, Profile

OFF_CELLS: tuple[tuple[str, ...], ...] = (("off",) * GRID_SIZE,) * GRID_SIZE


def check_cells(cells) -> tuple[tuple[str, ...], ...]:
    """`cells` as a tuple of rows; ValueError when it is not 8 rows of 8 known states."""
    rows = tuple(tuple(row) for row in cells)
    if len(rows) != GRID_SIZE or any(len(row) != GRID_SIZE for row in rows):
        raise ValueError(f"grid cells must be {GRID_SIZE} rows of {GRID_SIZE}")
    for row in rows:
        for state in row:
            if state not in CELL_STATES:
                raise ValueError(f"unknown grid cell state {state!r} (states: {', '.join(CELL_STATES)})")
    return rows


class GridLeds:
    """Sends a grid profile's LED messages through `send(bytes)`, one connection's worth:
    `connect()` enters programmer mode and lights every cell, `disconnect()` darkens them and
    leaves programmer mode."""

    def __init__(self, send: Callable[[bytes], None], profile: Profile):
        if profile.grid is None:
            raise ValueError(f"the controller profile '{profile.name}' has no grid")
        self._send = send
        self._grid = profile.grid
        self._shown: tuple[tuple[str, ...], ...] | None = None      # None: unknown, send all
        self.sent = 0

    @property
    def shown(self) -> tuple[tuple[str, ...], ...] | None:
        """What the device shows now, as far as we told it."""
        return self._shown

    def connect(self, cells=OFF_CELLS) -> int:
        """After (re)connecting: programmer mode, then every cell of `cells`."""
        if self._grid.enter:
            self._send(self._grid.enter)
        self._shown = None
        return self.show(cells)

    def show(self, cells) -> int:
        """Lights the cells that differ from what is shown; returns how many were sent."""
        rows = check_cells(cells)
        status = 0x90 | self._grid.channel
        count = 0
        for y, row in enumerate(rows):
            for x, state in enumerate(row):
                if self._shown is None or self._shown[y][x] != state:
                    self._send(bytes((status, self._grid.notes[y][x], self._grid.palette[state])))
                    count += 1
        self._shown = rows
        self.sent += count
        return count

    def refresh(self) -> int:
        """Sends every cell again (the device may have lost them)."""
        rows, self._shown = self._shown or OFF_CELLS, None
        return self.show(rows)

    def clear(self) -> int:
        return self.show(OFF_CELLS)

    def disconnect(self) -> None:
        self.clear()
        if self._grid.leave:
            self._send(self._grid.leave)
        self._shown = None
