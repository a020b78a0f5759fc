"""Box definitions: the shipped boxes load, and every kind of mistake in a box's TOML is one
line naming the file and the setting."""
from pathlib import Path

import pytest

from reverie.base import events
from reverie.base.errors import UserError
from reverie.hal.box import BOXES_DIR, load_box
from reverie.hal.hat import HATS_DIR, load_hat
from reverie.hal.header import HAT_ID_PINS, I2C_PINS

# A small valid box that each case below breaks in one place.
BASE = """
name = "test"
gpio = "mock"
pads = "matrix"
audio = "hifiberry-dacplus"
[keys]
PLAY = 22
[matrix]
rows = [12, 13]
columns = [4, 5]
cells = [["pad 0", "pad 1"], ["SHIFT", "ENC1"]]
[[encoders]]
a = 17
b = 27
push = "ENC1"
[display]
driver = "ssd1306"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "box.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(UserError) as caught:
        load_box(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message[len(f"{path}: "):]


def test_the_base_case_is_valid(tmp_path):
    box = load_box(write(tmp_path, BASE))
    assert box.name == "test" and box.keys == {"PLAY": 22}
    assert box.key_names() == ("PLAY", "SHIFT", "ENC1")


def test_reference_box_has_every_key_16_pads_4_encoders_on_the_free_pins():
    box = load_box("reference")
    assert box.source == str(BOXES_DIR / "reference.toml")
    assert box.key_names() == events.KEYS
    pads = sorted(int(n[4:]) for _, _, n in box.matrix.named_cells() if n.startswith("pad "))
    assert pads == list(range(events.PADS))
    assert len(box.encoders) == 4
    assert [e.push for e in box.encoders] == ["ENC1", "ENC2", "ENC3", "ENC4"]
    assert (box.display.driver, box.display.bus, box.display.address) == ("ssd1306", "i2c", 0x3C)
    assert box.audio == load_hat("hifiberry-dacplus")
    assert box.pads == "matrix" and box.gpio == "auto"
    used = list(box.matrix.rows) + list(box.matrix.columns)
    used += [p for e in box.encoders for p in (e.a, e.b)]
    free = set(range(28)) - set(HAT_ID_PINS) - set(I2C_PINS) - set(box.audio.pins())
    assert free - set(used) == {20}             # I2S DIN: the output-only DAC+ leaves it spare
    assert sorted(used) == sorted(free - {20})  # the other 20 free pins, each once


def test_minimal_box_has_one_encoder_shift_play_and_midi_pads():
    box = load_box("minimal")
    assert box.key_names() == ("PLAY", "SHIFT", "ENC1")
    assert box.matrix is None and box.pads == "midi"
    assert len(box.encoders) == 1 and box.encoders[0].push == "ENC1"
    assert box.display.driver in ("sh1106", "ssd1306") and box.display.bus == "i2c"
    assert box.audio.key == "hifiberry-dacplus"


def test_simulator_box_has_no_gpio_a_terminal_and_keyboard_pads():
    box = load_box("simulator")
    assert (box.gpio, box.display.driver, box.pads) == ("none", "terminal", "keyboard")
    assert box.key_names() == () and box.encoders == ()


def test_a_box_is_found_by_name_or_by_path(tmp_path):
    assert load_box(BOXES_DIR / "minimal.toml") == load_box("minimal")
    assert load_box(str(write(tmp_path, BASE))).name == "test"


def test_an_unknown_box_name_lists_the_shipped_ones():
    with pytest.raises(UserError, match='no box named "nope"; shipped: minimal, reference, simulator'):
        load_box("nope")


def test_a_missing_box_file_is_named(tmp_path):
    with pytest.raises(UserError, match="missing.toml: no such box file"):
        load_box(tmp_path / "missing.toml")


def test_a_box_that_is_not_toml(tmp_path):
    assert error_of(tmp_path, "name = ").startswith("not valid TOML")


def test_an_spi_display_reserves_spi0_and_its_dc_and_reset_pins(tmp_path):
    box = load_box(write(tmp_path, BASE.replace('driver = "ssd1306"', 'driver = "sh1106"\nbus = "spi"\nreset = -1')))
    assert (box.display.bus, box.display.port, box.display.dc, box.display.reset) == ("spi", 0, 24, -1)
    box = load_box(write(tmp_path, BASE.replace("PLAY = 22", "PLAY = 2")
                         .replace('audio = "hifiberry-dacplus"', 'audio = "generic-i2s"')
                         .replace('driver = "ssd1306"', 'driver = "ssd1306"\nbus = "spi"')))
    assert box.keys["PLAY"] == 2                # I2C's pins are free: display on SPI, no HAT on I2C


def test_without_a_hat_its_pins_are_free(tmp_path):
    box = load_box(write(tmp_path, BASE.replace('audio = "hifiberry-dacplus"\n', "").replace("PLAY = 22", "PLAY = 18")))
    assert box.keys["PLAY"] == 18 and box.audio is None


def test_a_pin_the_hat_does_not_wire_is_free(tmp_path):
    box = load_box(write(tmp_path, BASE.replace("PLAY = 22", "PLAY = 20")))   # I2S DIN
    assert box.keys["PLAY"] == 20


def test_an_older_box_file_with_i2s_keeps_loading(tmp_path):
    old = BASE.replace('audio = "hifiberry-dacplus"', "i2s = true")
    assert load_box(write(tmp_path, old)).audio == load_hat("generic-i2s")
    assert error_of(tmp_path, old.replace("PLAY = 22", "PLAY = 20")) == \
        "keys.PLAY = 20: BCM 20 is taken by the audio HAT (I2S audio HAT: I2S DIN)"
    assert load_box(write(tmp_path, old.replace("i2s = true", "i2s = false"))).audio is None


def test_every_shipped_preset_loads_and_keeps_each_of_its_pins_free(tmp_path):
    presets = sorted(p.stem for p in HATS_DIR.glob("*.toml"))
    assert presets == ["generic-i2s", "hifiberry-dacplus", "iqaudio-codec-zero", "pisound",
                       "usb", "waveshare-wm8960"]
    for name in presets:
        hat = load_hat(name)
        assert hat.key == name and hat.name and set(hat.pins()) <= set(range(2, 28))
        for pin, use in hat.pins().items():
            box = f'gpio = "mock"\npads = "midi"\naudio = "{name}"\n[keys]\nPLAY = {pin}\n'
            assert error_of(tmp_path, box) == \
                f"keys.PLAY = {pin}: BCM {pin} is taken by the audio HAT ({hat.name}: {use})"


def test_a_hats_chips_and_buses_are_kept_from_the_display(tmp_path):
    assert error_of(tmp_path, BASE.replace('driver = "ssd1306"', 'driver = "ssd1306"\naddress = 0x4D')) == \
        "display.address = 0x4d: the audio HAT (HiFiBerry DAC+) answers there on the same I2C bus"
    spi = BASE.replace('driver = "ssd1306"', 'driver = "ssd1306"\nbus = "spi"')
    assert load_box(write(tmp_path, spi)).display.bus == "spi"   # the DAC+ leaves SPI0 alone
    assert error_of(tmp_path, spi.replace('"hifiberry-dacplus"', '"pisound"')) == \
        'display.bus = "spi": SPI0 is taken by the audio HAT (pisound)'


def test_a_hat_preset_may_be_a_file_of_ones_own(tmp_path):
    preset = tmp_path / "mine.toml"
    preset.write_text('name = "My DAC"\ni2s_pins = [18, 19, 21]\ngpio_pins = [22]\n')
    assert error_of(tmp_path, BASE.replace('"hifiberry-dacplus"', f'"{preset}"')) == \
        "keys.PLAY = 22: BCM 22 is taken by the audio HAT (My DAC: its own GPIO)"


QUOTED_KEYS = ", ".join(f'"{k}"' for k in events.KEYS)
ERRORS = [
    # (what, the change to BASE, the message after "path: ")
    ("pin used twice", ("PLAY = 22", "PLAY = 17"),
     "BCM 17 is used twice: keys.PLAY and encoders[0].a"),
    ("pin used twice in the matrix", ("columns = [4, 5]", "columns = [4, 12]"),
     "BCM 12 is used twice: matrix.rows[0] and matrix.columns[1]"),
    ("I2S pin", ("PLAY = 22", "PLAY = 19"),
     "keys.PLAY = 19: BCM 19 is taken by the audio HAT (HiFiBerry DAC+: I2S LRCLK)"),
    ("the HAT's own pin", ('"hifiberry-dacplus"', '"iqaudio-codec-zero"'),
     "encoders[0].b = 27: BCM 27 is taken by the audio HAT (Raspberry Pi Codec Zero: its own GPIO)"),
    ("unknown HAT", ('"hifiberry-dacplus"', '"hifiberry"'),
     'audio = "hifiberry": no HAT preset named "hifiberry"; shipped: generic-i2s, '
     "hifiberry-dacplus, iqaudio-codec-zero, pisound, usb, waveshare-wm8960"),
    ("audio and the older i2s", ('audio = "hifiberry-dacplus"', 'audio = "hifiberry-dacplus"\ni2s = true'),
     'audio = "hifiberry-dacplus" and i2s = true: keep audio only (i2s is its older form)'),
    ("I2C pin", ("rows = [12, 13]", "rows = [12, 3]"),
     "matrix.rows[1] = 3: BCM 3 is taken by the display's I2C bus"),
    ("HAT ID pin", ("b = 27", "b = 0"),
     "encoders[0].b = 0: BCM 0 is reserved for the HAT ID EEPROM"),
    ("pin outside the header", ("PLAY = 22", "PLAY = 28"),
     "keys.PLAY = 28 is outside 0..27 (BCM GPIO on the header)"),
    ("negative pin", ("a = 17", "a = -1"),
     "encoders[0].a = -1 is outside 0..27 (BCM GPIO on the header)"),
    ("pin that is not a number", ("PLAY = 22", 'PLAY = "22"'),
     'keys.PLAY must be a whole number from 0 to 27 (BCM GPIO on the header), not "22"'),
    ("unknown key in [keys]", ("PLAY = 22", "PLAYY = 22"),
     f"unknown key keys.PLAYY; known: {', '.join(events.KEYS)}"),
    ("unknown name in a cell", ('"SHIFT"', '"SHFT"'),
     'matrix.cells[1][0] = "SHFT" is not a key or a pad; keys: '),
    ("unknown encoder push", ('push = "ENC1"', 'push = "ENC9"'),
     f'encoders[0].push must be one of {QUOTED_KEYS}, not "ENC9"'),
    ("unknown setting", ('audio = "hifiberry-dacplus"', 'audio = "hifiberry-dacplus"\ncolour = 1'),
     "unknown key colour; known: name, description, gpio, pads, pad_velocity, audio, i2s, keys, "
     "matrix, encoders, display"),
    ("unknown display setting", ('driver = "ssd1306"', 'driver = "ssd1306"\nwidth = 128'),
     "unknown key display.width; known: driver, bus, port, address, device, dc, reset, "
     "speed_hz, rotate, contrast"),
    ("unknown encoder setting", ("b = 27", "b = 27\nsteps = 4"),
     "unknown key encoders[0].steps; known: a, b, push, transitions_per_detent, reversed, accelerate"),
    ("unknown matrix setting", ("columns = [4, 5]", "columns = [4, 5]\ndiodes = true"),
     "unknown key matrix.diodes; known: rows, columns, cells"),
    ("unknown section", ('audio = "hifiberry-dacplus"', 'audio = "hifiberry-dacplus"\n[leds]\nred = 5'),
     "unknown key leds; known: name, description, gpio, pads, pad_velocity, audio, i2s, keys, "
     "matrix, encoders, display"),
    ("more than 4 encoders", ("[display]", "[[encoders]]\na = 5\nb = 6\n" * 4 + "[display]"),
     "encoders must be a list of at most 4 [[encoders]] tables, not a list of 5 items"),
    ("more than 16 pads", ('"pad 1"', '"pad 16"'),
     'matrix.cells[0][1] = "pad 16": a box has at most 16 pads ("pad 0" .. "pad 15")'),
    ("badly written pad", ('"pad 1"', '"pad 01"'),
     'matrix.cells[0][1] = "pad 01": a pad is "pad 0" .. "pad 15"'),
    ("a cell row outside the matrix", ('["SHIFT", "ENC1"]]', '["SHIFT", "ENC1"], ["REC"]]'),
     "matrix.cells[2] is outside the matrix (2 rows)"),
    ("a cell column outside the matrix", ('["SHIFT", "ENC1"]', '["SHIFT", "ENC1", "REC"]'),
     "matrix.cells[1][2] is outside the matrix (2 columns)"),
    ("key defined twice", ('"SHIFT"', '"PLAY"'),
     "PLAY is defined twice: keys.PLAY and matrix.cells[1][0]"),
    ("pad defined twice", ('"pad 1"', '"pad 0"'),
     "pad 0 is defined twice: matrix.cells[0][0] and matrix.cells[0][1]"),
    ("encoder push not wired", ('"ENC1"]]', '""]]'),
     'encoders[0].push = "ENC1" is not wired: add it to [keys] or to matrix.cells'),
    ("encoder push used twice", ("[display]", '[[encoders]]\na = 5\nb = 6\npush = "ENC1"\n[display]'),
     'encoders[1].push = "ENC1" is already encoders[0].push'),
    ("encoder pin missing", ("b = 27\n", ""), "encoders[0].b is missing"),
    ("transitions per detent", ("b = 27", "b = 27\ntransitions_per_detent = 3"),
     "encoders[0].transitions_per_detent must be one of 4, 2, 1, not 3"),
    ("wrong type", ('audio = "hifiberry-dacplus"', "audio = true"), "audio must be text in quotes, not true"),
    ("older setting of the wrong type", ('audio = "hifiberry-dacplus"', 'i2s = "yes"'),
     'i2s must be true or false, not "yes"'),
    ("unknown gpio backend", ('gpio = "mock"', 'gpio = "wiringpi"'),
     'gpio must be one of "auto", "rpigpio", "lgpio", "mock", "none", not "wiringpi"'),
    ("unknown pad source", ('pads = "matrix"', 'pads = "usb"'),
     'pads must be one of "matrix", "midi", "keyboard", not "usb"'),
    ("pad velocity", ('pads = "matrix"', 'pads = "matrix"\npad_velocity = 0'),
     "pad_velocity = 0 is outside 1..127"),
    ("unknown display driver", ('driver = "ssd1306"', 'driver = "st7735"'),
     'display.driver must be one of "ssd1306", "sh1106", "terminal", "none", not "st7735"'),
    ("I2C address", ('driver = "ssd1306"', 'driver = "ssd1306"\naddress = 0x80'),
     "display.address = 0x80 is outside 0x08..0x77"),
    ("I2C bus", ('driver = "ssd1306"', 'driver = "ssd1306"\nport = 0'),
     "display.port = 0: the header's I2C bus is port 1 (BCM 2 and 3)"),
    ("SPI bus", ('driver = "ssd1306"', 'driver = "ssd1306"\nbus = "spi"\nport = 1'),
     "display.port = 1: the display's SPI bus is SPI0 (port 0, BCM 7-11)"),
    ("SPI chip select", ('driver = "ssd1306"', 'driver = "ssd1306"\nbus = "spi"\ndevice = 2'),
     "display.device must be one of 0, 1, not 2"),
    ("SPI bus speed", ('driver = "ssd1306"', 'driver = "ssd1306"\nbus = "spi"\nspeed_hz = 3000000'),
     "display.speed_hz must be one of 500000, 1000000, 2000000, 4000000, "
     "8000000, 16000000, 20000000, 24000000, 28000000, 32000000 Hz, not 3000000"),
    ("rotation", ('driver = "ssd1306"', 'driver = "ssd1306"\nrotate = 4'), "display.rotate = 4 is outside 0..3 quarter turns"),
    ("matrix pads but no pad cells", ('"pad 0", "pad 1"', '"REC", "STOP"'),
     'pads = "matrix" but matrix.cells has no "pad N" cell'),
    ("pad cells but pads from MIDI", ('pads = "matrix"', 'pads = "midi"'),
     'matrix.cells[0][0] = "pad 0" but pads = "midi"; set pads = "matrix" or empty the cell'),
    ("gpio none with keys", ('gpio = "mock"', 'gpio = "none"'),
     'gpio = "none" but the box has keys, a matrix or encoders; set gpio = "auto"'),
]


@pytest.mark.parametrize("change, expected", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_every_mistake_is_one_line_naming_the_setting(tmp_path, change, expected):
    old, new = change
    assert old in BASE
    message = error_of(tmp_path, BASE.replace(old, new, 1))
    assert message.startswith(expected), message


def test_an_spi_display_takes_the_spi0_pins_and_its_dc_pin(tmp_path):
    spi = BASE.replace('driver = "ssd1306"', 'driver = "ssd1306"\nbus = "spi"')
    assert error_of(tmp_path, spi.replace("columns = [4, 5]", "columns = [4, 9]")) == \
        "matrix.columns[1] = 9: BCM 9 is taken by the display's SPI0 bus"
    assert error_of(tmp_path, spi.replace("PLAY = 22", "PLAY = 24")) == \
        "BCM 24 is used twice: keys.PLAY and display.dc"


@pytest.mark.parametrize("text, expected", [
    ('keys = 5', "keys must be a table, not 5"),
    ('display = "ssd1306"', 'display must be a table, not "ssd1306"'),
    ('matrix = [1]', "matrix must be a table, not [1]"),
    ('[encoders]\na = 1', "encoders must be a list of at most 4 [[encoders]] tables, not a table"),
    ('encoders = [1]', "encoders[0] must be a table, not 1"),
    ('[matrix]\nrows = [4, "5"]\ncolumns = [6]\ncells = []',
     'matrix.rows[1] must be a whole number from 0 to 27 (BCM GPIO on the header), not "5"'),
    ('[matrix]\nrows = []\ncolumns = [6]\ncells = []', "matrix.rows must be a list of 1 or more BCM pins, not []"),
    ('[matrix]\nrows = [4]\ncolumns = [6]\ncells = ["PLAY"]',
     'matrix.cells[0] must be a list of names ("PLAY", "pad 0", ""), not "PLAY"'),
    ('[matrix]\nrows = [4]\ncolumns = [6]\ncells = [[6]]', "matrix.cells[0][0] must be text in quotes, not 6"),
    ('[matrix]\nrows = [4]\ncolumns = [6]', "matrix.cells is missing"),
])
def test_a_section_of_the_wrong_shape(tmp_path, text, expected):
    assert error_of(tmp_path, 'gpio = "mock"\npads = "midi"\n' + text) == expected


def test_pads_come_from_the_matrix_when_it_has_pad_cells_else_from_midi(tmp_path):
    assert load_box(write(tmp_path, BASE.replace('pads = "matrix"\n', ""))).pads == "matrix"
    no_pads = BASE.replace('pads = "matrix"\n', "").replace('"pad 0", "pad 1"', '"REC", "STOP"')
    assert load_box(write(tmp_path, no_pads)).pads == "midi"


def test_the_reference_boot_configuration_has_the_lines_of_its_hat():
    lines = (Path(__file__).resolve().parents[2] / "hw" / "reference-config.txt").read_text().splitlines()
    hat = load_box("reference").audio
    assert hat.boot_config and set(hat.boot_config) <= set(lines)
