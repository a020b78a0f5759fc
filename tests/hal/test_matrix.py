"""The key matrix scan on the FakeMatrix: the fake is wired like the real thing, and a scan
reads exactly the switches held, however many and wherever they are."""
import itertools
import random

import pytest
from gpiozero.pins.mock import MockFactory

from reverie.hal.gpio.matrix import FakeMatrix, KeyMatrix

ROWS, COLUMNS = (12, 13, 16, 26), (4, 7, 8)


@pytest.fixture
def rig():
    factory = MockFactory()
    fake = FakeMatrix(factory, ROWS, COLUMNS)
    matrix = KeyMatrix([factory.pin(n) for n in ROWS], [factory.pin(n) for n in COLUMNS], settle_s=0)
    return fake, matrix


def held(matrix: KeyMatrix) -> set:
    closed = matrix.read()
    width = len(matrix.columns)
    return {divmod(i, width) for i, c in enumerate(closed) if c}


def test_a_column_reads_low_only_while_its_held_row_is_driven_low(rig):
    fake, matrix = rig
    fake.press(2, 1)
    column = matrix.columns[1]
    assert column.state                             # every row idles high: nothing flows
    matrix.rows[0].state = 0
    assert column.state                             # another row driven: the diode blocks
    matrix.rows[0].state = 1
    matrix.rows[2].state = 0
    assert not column.state and matrix.columns[0].state and matrix.columns[2].state
    matrix.rows[2].state = 1
    assert column.state
    matrix.rows[2].state = 0
    fake.release(2, 1)
    assert column.state                             # released while driven


def test_a_row_that_is_an_input_does_not_drive(rig):
    fake, matrix = rig
    fake.press(0, 0)
    matrix.rows[0].function = "input"               # high impedance
    assert matrix.columns[0].state
    matrix.rows[0].output_with_state(0)
    assert not matrix.columns[0].state


def test_every_row_is_left_high_after_a_scan(rig):
    fake, matrix = rig
    fake.press(1, 1)
    matrix.read()
    assert [p.state for p in matrix.rows] == [1, 1, 1, 1]
    assert all(p.function == "output" for p in matrix.rows)
    assert all(p.function == "input" and p.pull == "up" for p in matrix.columns)


def test_a_scan_reads_no_key_one_key_and_every_key(rig):
    fake, matrix = rig
    assert held(matrix) == set()
    fake.press(3, 2)
    assert held(matrix) == {(3, 2)}
    every = set(itertools.product(range(len(ROWS)), range(len(COLUMNS))))
    for cell in every:
        fake.press(*cell)
    assert held(matrix) == every


def test_three_corners_of_a_rectangle_do_not_make_a_ghost(rig):
    fake, matrix = rig
    for cell in ((0, 0), (0, 2), (3, 0)):
        fake.press(*cell)
    assert held(matrix) == {(0, 0), (0, 2), (3, 0)}  # (3, 2) stays open: the diodes


def test_any_set_of_held_keys_reads_true(rig):
    fake, matrix = rig
    rng = random.Random(6)
    cells = list(itertools.product(range(len(ROWS)), range(len(COLUMNS))))
    for _ in range(300):
        want = set(rng.sample(cells, rng.randint(0, len(cells))))
        for cell in cells:
            (fake.press if cell in want else fake.release)(*cell)
        assert fake.held == want
        assert held(matrix) == want


def test_the_fake_must_own_its_row_pins():
    factory = MockFactory()
    factory.pin(13)
    with pytest.raises(ValueError, match="BCM 13 was taken before the FakeMatrix was built"):
        FakeMatrix(factory, ROWS, COLUMNS)


def test_closing_the_matrix_stops_the_rows_driving(rig):
    fake, matrix = rig
    matrix.close()
    assert all(p.function == "input" for p in matrix.rows + matrix.columns)
