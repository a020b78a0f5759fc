"""Grid LEDs: programmer mode on connect, every cell then only the changed ones, the
palette's colours on the grid's channel, clear and leave on disconnect."""
import pytest

from reverie.hal.controllers.grid import OFF_CELLS, GridLeds, check_cells
from reverie.hal.midi.ports import FakeOutput
from reverie.hal.controllers.profiles import load_profiles, parse_profile


@pytest.fixture(scope="module")
def launchpad():
    return load_profiles().get("launchpad-mini")


@pytest.fixture
def leds(launchpad):
    port = FakeOutput("launchpad")
    return GridLeds(port.send, launchpad), port


def cells(**lit):
    """All off but the named cells: cells(c3_1="step") lights x=3, y=1."""
    rows = [["off"] * 8 for _ in range(8)]
    for name, state in lit.items():
        x, y = map(int, name[1:].split("_"))
        rows[y][x] = state
    return rows


def test_connect_enters_programmer_mode_then_lights_every_cell(leds, launchpad):
    grid, port = leds
    assert grid.connect(cells(c0_0="step", c7_7="playhead")) == 64
    assert port.sent[0] == bytes.fromhex("F0 00 20 29 02 0D 0E 01 F7")
    notes = {m[1]: m[2] for m in port.sent[1:]}
    assert len(notes) == 64 and all(m[0] == 0x90 for m in port.sent[1:])
    palette = launchpad.grid.palette
    assert notes[81] == palette["step"] and notes[18] == palette["playhead"]
    assert notes[11] == palette["off"] == 0


def test_show_sends_only_the_cells_that_changed(leds, launchpad):
    grid, port = leds
    grid.connect(cells(c0_0="step"))
    port.messages.clear()
    assert grid.show(cells(c0_0="step", c1_0="step_playing", c2_3="muted")) == 2
    palette = launchpad.grid.palette
    assert port.sent == [bytes([0x90, 82, palette["step_playing"]]),
                         bytes([0x90, 53, palette["muted"]])]
    port.messages.clear()
    assert grid.show(cells(c0_0="step", c1_0="step_playing", c2_3="muted")) == 0
    assert grid.show(cells(c0_0="focus", c1_0="step_playing", c2_3="muted")) == 1
    assert port.sent == [bytes([0x90, 81, palette["focus"]])]
    assert grid.sent == 64 + 2 + 1


def test_refresh_resends_everything_and_clear_darkens(leds):
    grid, port = leds
    grid.connect(cells(c4_4="step"))
    port.messages.clear()
    assert grid.refresh() == 64
    assert grid.shown[4][4] == "step"
    port.messages.clear()
    assert grid.clear() == 1 and port.sent == [bytes([0x90, 45, 0])]
    assert grid.shown == OFF_CELLS


def test_disconnect_darkens_and_leaves_programmer_mode(leds):
    grid, port = leds
    grid.connect(cells(c1_1="step"))
    port.messages.clear()
    grid.disconnect()
    assert port.sent == [bytes([0x90, 72, 0]), bytes.fromhex("F0 00 20 29 02 0D 0E 00 F7")]
    assert grid.shown is None


def test_the_leds_use_the_grids_channel_and_notes():
    rows = [[y * 8 + x for x in range(8)] for y in range(8)]
    profile = parse_profile({"name": "g", "match": ["g"], "grid": {
        "channel": 3, "notes": rows,
        "palette": {"off": 0, "step": 10, "step_playing": 11, "playhead": 12, "focus": 13,
                    "muted": 14}}}, "g.toml")
    port = FakeOutput("g")
    grid = GridLeds(port.send, profile)
    assert grid.connect(cells(c2_1="focus")) == 64       # no SysEx: none in the profile
    assert bytes([0x92, 10, 13]) in port.sent and port.sent[0] == bytes([0x92, 0, 0])


@pytest.mark.parametrize("bad", [[["off"] * 8] * 7, [["off"] * 7] * 8,
                                 [["off"] * 7 + ["lit"]] + [["off"] * 8] * 7])
def test_bad_cells_are_refused_and_nothing_is_sent(leds, bad):
    grid, port = leds
    grid.connect()
    port.messages.clear()
    with pytest.raises(ValueError):
        grid.show(bad)
    assert port.sent == [] and grid.shown == OFF_CELLS
    assert check_cells(cells()) == OFF_CELLS


def test_a_profile_without_a_grid_has_no_leds():
    with pytest.raises(ValueError, match="no grid"):
        GridLeds(print, load_profiles().get("generic-pads"))
