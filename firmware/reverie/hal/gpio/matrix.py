"""The key matrix: rows driven low one at a time, columns read through their pull-ups.

Every switch has a diode in series, anode to the column and cathode to the row, so current
flows only from a column into the row being driven. The rows not being scanned are driven
high: with the diodes that blocks them, so any set of keys held at once reads true (no
ghosting). Without diodes, three held keys on the corners of a rectangle make the fourth
corner read as held, and two held keys in one column would short a high row to the low one:
the diodes are required, not optional.

`FakeMatrix` ships with it: the same wiring on gpiozero's MockFactory pins, for tests,
benchmarks and a box without hardware.
"""
from __future__ import annotations

import threading
import time

from gpiozero.pins.mock import MockPin

SETTLE_S = 5e-6         # after a row goes low: a column's pull-up (~50 kΩ) and wiring (~50 pF)
                        # lift it past the logic threshold within ~3 µs of the previous row's release


class KeyMatrix:
    """Owns the row and column pins; read() scans every cell once."""

    def __init__(self, row_pins, column_pins, settle_s: float = SETTLE_S):
        self.rows = list(row_pins)
        self.columns = list(column_pins)
        self.settle_ns = int(settle_s * 1e9)
        for pin in self.rows:
            pin.output_with_state(1)
        for pin in self.columns:
            pin.input_with_pull("up")
        self._closed = [False] * (len(self.rows) * len(self.columns))

    def read(self) -> list[bool]:
        """Closed switches, row by row (index row * columns + column). The list is reused."""
        closed = self._closed
        i = 0
        for row in self.rows:
            row.state = 0
            until = time.perf_counter_ns() + self.settle_ns
            while time.perf_counter_ns() < until:
                pass
            for column in self.columns:
                closed[i] = not column.state
                i += 1
            row.state = 1
        return closed

    def close(self) -> None:
        for pin in self.rows + self.columns:
            pin.close()             # back to inputs: the rows stop driving


class _RowPin(MockPin):
    """A mock row pin that tells its matrix whenever it is driven or released."""

    matrix: "FakeMatrix | None" = None
    row = -1

    def _change_state(self, value):
        changed = super()._change_state(value)
        if self.matrix is not None:
            self.matrix.row_changed(self)
        return changed

    def _set_function(self, value):
        super()._set_function(value)
        if self.matrix is not None:
            self.matrix.row_changed(self)


class FakeMatrix:
    """Switches wired like the real matrix (diodes included) on a MockFactory: column c reads
    low exactly while row r is driven low (an output at 0) and switch (r, c) is held.
    Build it before the input that uses the pins, so the rows are this matrix's pins."""

    def __init__(self, factory, rows, columns):
        self._lock = threading.RLock()
        self._held: set[tuple[int, int]] = set()
        self._driven: set[int] = set()      # rows driven low now
        self._low: set[int] = set()         # columns this matrix holds low now
        self.rows = []
        for r, number in enumerate(rows):
            pin = factory.pin(number, pin_class=_RowPin)
            if not isinstance(pin, _RowPin):
                raise ValueError(f"BCM {number} was taken before the FakeMatrix was built")
            pin.matrix, pin.row = self, r
            self.rows.append(pin)
        self.columns = [factory.pin(number) for number in columns]
        self.settle()

    def press(self, row: int, column: int) -> None:
        with self._lock:
            self._held.add((row, column))
            self._apply({column})

    def release(self, row: int, column: int) -> None:
        with self._lock:
            self._held.discard((row, column))
            self._apply({column})

    @property
    def held(self) -> frozenset[tuple[int, int]]:
        return frozenset(self._held)

    def row_changed(self, pin: _RowPin) -> None:
        with self._lock:
            if pin.function == "output" and not pin.state:
                self._driven.add(pin.row)
            else:
                self._driven.discard(pin.row)
            self._apply(set())

    def settle(self) -> None:
        """Set every row's and column's level to what the wiring gives them now."""
        with self._lock:
            self._driven = {p.row for p in self.rows if p.function == "output" and not p.state}
            self._apply(set(range(len(self.columns))))

    def _apply(self, columns: set[int]) -> None:
        low = {c for r, c in self._held if r in self._driven}
        for c in columns | low | self._low:     # only columns whose level may have changed
            pin = self.columns[c]
            if pin.function != "input":
                continue
            if c in low:
                pin.drive_low()
            elif pin.pull == "up":
                pin.drive_high()
            else:
                pin.drive_low()     # floating or pulled down: nothing lifts it
        self._low = low
