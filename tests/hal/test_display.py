"""Display devices: luma's real SSD1306 and SH1106 drivers over a fake serial interface that
keeps the controller's display RAM the way the chip does, so what the panel would show is
checked, not just what was sent."""
import errno
import random
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw

from reverie.base.errors import UserError
from reverie.hal.display.devices import DisplaySpec, open_display, open_oled
from reverie.hal.display.terminal import TerminalScreen

# argument bytes after each command byte (SSD1306 and SH1106 datasheets, command tables)
SSD1306_ARGS = {0x81: 1, 0x20: 1, 0x21: 2, 0x22: 2, 0xA8: 1, 0xD3: 1, 0xD5: 1, 0xD9: 1, 0xDA: 1, 0xDB: 1, 0x8D: 1}
SH1106_ARGS = {0x81: 1, 0xA8: 1, 0xAD: 1, 0xD3: 1, 0xD5: 1, 0xD9: 1, 0xDA: 1, 0xDB: 1}


class FakeSerial:
    """command/data/cleanup like luma's i2c(); interprets the addressing commands into RAM."""

    def __init__(self, chip):
        self.chip = chip
        self.args = SSD1306_ARGS if chip == "ssd1306" else SH1106_ARGS
        self.ram = np.zeros((8, 132 if chip == "sh1106" else 128), dtype=np.uint8)
        self.commands, self.writes, self.cleaned = [], [], 0
        self.col, self.page = 0, 0
        self.cols, self.pages = (0, 127), (0, 7)
        self.log = []                 # ("cmd", op, args) and ("data", n) in order

    def command(self, *cmd):
        i = 0
        while i < len(cmd):
            op, n = cmd[i], self.args.get(cmd[i], 0)
            args = tuple(cmd[i + 1:i + 1 + n])
            self.commands.append((op, *args))
            self.log.append(("cmd", op, args))
            self._apply(op, args)
            i += 1 + n

    def _apply(self, op, args):
        if self.chip == "ssd1306" and op == 0x21:
            self.cols, self.col = args, args[0]
        elif self.chip == "ssd1306" and op == 0x22:
            self.pages, self.page = args, args[0]
        elif self.chip == "sh1106" and 0xB0 <= op <= 0xB7:
            self.page = op & 0x07
        elif self.chip == "sh1106" and op <= 0x0F:
            self.col = (self.col & 0xF0) | op
        elif self.chip == "sh1106" and 0x10 <= op <= 0x1F:
            self.col = (self.col & 0x0F) | (op & 0x0F) << 4

    def data(self, data):
        data = bytes(data)
        self.writes.append(data)
        self.log.append(("data", len(data)))
        for byte in data:
            self.ram[self.page, self.col] = byte
            if self.chip == "sh1106":
                self.col += 1
            elif self.col < self.cols[1]:
                self.col += 1
            else:       # horizontal addressing: wrap to the window's first column, next page
                self.col = self.cols[0]
                self.page = self.pages[0] if self.page == self.pages[1] else self.page + 1

    def cleanup(self):
        self.cleaned += 1

    def shown(self):
        """The 128x64 picture the panel shows from RAM (SH1106: columns 2..129)."""
        ram = self.ram[:, 2:130] if self.chip == "sh1106" else self.ram
        bits = np.unpackbits(ram[:, :, None], axis=2, bitorder="little")   # page, column, row
        return bits.transpose(0, 2, 1).reshape(64, 128).astype(bool)

    def data_bytes(self):
        return sum(len(w) for w in self.writes)


def oled(chip, **spec):
    serial = FakeSerial(chip)
    return open_oled(DisplaySpec(driver=chip, **spec), serial), serial


def text_image(text="A01 120.0", xy=(4, 4)):
    image = Image.new("1", (128, 64))
    ImageDraw.Draw(image).text(xy, text, fill=1)
    return image


def ops(serial):
    return [c[0] for c in serial.commands]


def test_ssd1306_init_sequence_is_the_datasheets():
    _, serial = oled("ssd1306", contrast=0x8F)
    first_data = serial.log.index(("data", 1024))
    init = [(op, *args) for kind, op, *rest in serial.log[:first_data] if kind == "cmd" for args in rest]
    assert init[:16] == [
        (0xAE,),            # display off
        (0xD5, 0x80),       # clock divide ratio / oscillator
        (0xA8, 63),         # multiplex: 64 rows
        (0xD3, 0x00),       # display offset 0
        (0x40,),            # start line 0
        (0x8D, 0x14),       # charge pump on (no external VCC)
        (0x20, 0x00),       # horizontal addressing
        (0xA1,),            # segment remap: column 127 is SEG0
        (0xC8,),            # COM scan from COM63 down
        (0xDA, 0x12),       # COM pins: alternative configuration for 64 rows
        (0xD9, 0xF1),       # pre-charge
        (0xDB, 0x40),       # VCOMH deselect level
        (0xA4,),            # follow RAM
        (0xA6,),            # not inverted
        (0x81, 0xCF),       # luma's default contrast...
        (0x21, 0, 127),     # ...then the blank frame's window
    ]
    # the panel is switched on only after the RAM was cleared, then our contrast is applied
    assert serial.log.index(("cmd", 0xAF, ())) > first_data
    assert serial.commands[-1] == (0x81, 0x8F)
    assert not serial.shown().any()


def test_sh1106_init_sequence_is_the_datasheets():
    _, serial = oled("sh1106", contrast=0x10)
    first_data = serial.log.index(("data", 128))
    init = [(op, *args) for kind, op, *rest in serial.log[:first_data] if kind == "cmd" for args in rest]
    assert init[0] == (0xAE,)                           # display off first
    for command in [(0xD5, 0xF0),                       # clock divide ratio / oscillator
                    (0xA8, 63),                         # multiplex: 64 rows
                    (0xD3, 0x00), (0x40,),              # offset 0, start line 0
                    (0xA1,), (0xC8,),                   # segment remap, COM scan from COM63 down
                    (0xDA, 0x12),                       # COM pins: alternative configuration
                    (0xD9, 0x22), (0xDB, 0x20),         # pre-charge, VCOM deselect
                    (0xA4,), (0xA6,), (0x81, 0x7F)]:    # follow RAM, not inverted, luma's contrast
        assert command in init, command
    assert serial.log.index(("cmd", 0xAF, ())) > first_data
    assert serial.commands[-1] == (0x81, 0x10)
    assert not serial.shown().any()


@pytest.mark.filterwarnings("ignore:Image.Image.getdata:DeprecationWarning")    # luma's stock driver
def test_a_full_frame_is_1024_bytes_and_matches_lumas_own_driver():
    from luma.oled.device import ssd1306
    image = text_image()
    device, serial = oled("ssd1306")
    before = len(serial.writes)
    device.display(Image.new("1", (128, 64), 1))     # every pixel changes
    assert [len(w) for w in serial.writes[before:]] == [1024]
    stock_serial = FakeSerial("ssd1306")
    stock = ssd1306(stock_serial)
    stock.display(image)
    device.display(image)
    assert serial.shown().tolist() == np.asarray(image).tolist() == stock_serial.shown().tolist()


def test_sh1106_full_frame_is_eight_pages_of_128_at_column_2():
    device, serial = oled("sh1106")
    n, c = len(serial.writes), len(serial.commands)
    device.display(Image.new("1", (128, 64), 1))
    assert [len(w) for w in serial.writes[n:]] == [128] * 8
    assert serial.commands[c:] == [cmd for page in range(8) for cmd in ((0xB0 | page,), (0x02,), (0x10,))]
    assert serial.shown().all() and not serial.ram[:, :2].any() and not serial.ram[:, 130:].any()


@pytest.mark.parametrize("chip", ["ssd1306", "sh1106"])
def test_a_few_changed_pixels_send_a_few_bytes(chip):
    device, serial = oled(chip)
    image = text_image()
    device.display(image)
    n = serial.data_bytes()
    image.putpixel((70, 40), 1)
    image.putpixel((72, 41), 1)
    device.display(image)
    assert serial.data_bytes() - n == 3            # columns 70..72 of one page
    n = serial.data_bytes()
    device.display(image.copy())
    assert serial.data_bytes() == n                # nothing changed, nothing sent
    assert serial.shown().tolist() == np.asarray(image).tolist()


@pytest.mark.parametrize("chip,rotate", [("ssd1306", 0), ("ssd1306", 2), ("sh1106", 0), ("sh1106", 2)])
def test_partial_updates_leave_the_panel_showing_the_last_image(chip, rotate):
    rng = random.Random(7)
    device, serial = oled(chip, rotate=rotate)
    image = Image.new("1", (128, 64))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(128), rng.randrange(64)
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + rng.randrange(40), y + rng.randrange(20)), fill=rng.randrange(2))
        else:
            draw.text((x, y), str(rng.randrange(1000)), fill=1)
        device.display(image)
        assert serial.shown().tolist() == np.asarray(image.rotate(-90 * rotate)).tolist()
    assert serial.data_bytes() < 60 * 1024 / 2


def test_contrast_applies_and_cleanup_turns_the_panel_off_once():
    device, serial = oled("ssd1306", contrast=0)
    assert serial.commands[-1] == (0x81, 0)
    device.contrast(200)
    assert serial.commands[-1] == (0x81, 200)
    device.display(text_image())
    count = len(serial.commands)
    device.cleanup()
    assert (0xAE,) in serial.commands[count:] and serial.cleaned == 1 and not serial.shown().any()
    count = len(serial.commands)
    device.cleanup()
    assert len(serial.commands) == count and serial.cleaned == 1


def test_a_wrong_image_is_refused():
    device, _ = oled("ssd1306")
    with pytest.raises(ValueError, match="mode"):
        device.display(Image.new("L", (128, 64)))


def test_no_i2c_bus_says_what_to_check():
    with pytest.raises(UserError) as error:
        open_display({"driver": "ssd1306", "bus": "i2c", "port": 97})
    message = str(error.value)
    assert "/dev/i2c-97" in message and "raspi-config" in message and "i2cdetect -y 97" in message
    assert "0x3C" in message and "\n" not in message


def test_nobody_at_the_address_says_what_to_check():
    from luma.core.interface.serial import i2c

    class SilentBus:
        def write_i2c_block_data(self, address, mode, data):
            raise OSError(errno.EREMOTEIO, "Remote I/O error")

    with pytest.raises(UserError, match=r"ssd1306 display does not answer .*0x3D.*i2cdetect -y 1 shows the display at 0x3D"):
        open_oled(DisplaySpec(driver="ssd1306", address=0x3D), i2c(bus=SilentBus(), address=0x3D))


def test_spi_without_its_modules_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "RPi", None)          # what a laptop without rpi-lgpio has
    with pytest.raises(UserError, match=r"needs the Python module RPi.*pip install rpi-lgpio.*\"terminal\"$"):
        open_display({"driver": "ssd1306", "bus": "spi"})


def test_spi_off_a_pi_says_so(monkeypatch):
    class NotAPi:           # what importing RPi.GPIO does on any other machine
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "RPi":
                raise RuntimeError("This module can only be run on a Raspberry Pi!")

    monkeypatch.setattr(sys, "meta_path", [NotAPi()] + sys.meta_path)
    monkeypatch.delitem(sys.modules, "RPi", raising=False)
    monkeypatch.delitem(sys.modules, "RPi.GPIO", raising=False)
    with pytest.raises(UserError, match=r"GPIO access not available; check that SPI is enabled .*GPIO24"):
        open_display({"driver": "sh1106", "bus": "spi"})


QUOTED_DRIVERS = '"ssd1306", "sh1106", "terminal", "dummy", "none"'
SPEEDS = ("500000, 1000000, 2000000, 4000000, 8000000, 16000000, 20000000, 24000000, 28000000, 32000000, "
          "36000000, 40000000, 44000000, 48000000, 50000000, 52000000")


@pytest.mark.parametrize("spec,words", [
    ({"driver": "ssd1309"}, f'display.driver must be one of {QUOTED_DRIVERS}, not "ssd1309"'),
    ({"driver": "ssd1306", "bus": "usb"}, 'display.bus must be one of "i2c", "spi", not "usb"'),
    ({"rotate": 4}, "display.rotate = 4 is outside 0..3 quarter turns"),
    ({"contrast": 256}, "display.contrast = 256 is outside 0..255"),
    ({"address": 0x100}, "display.address = 0x100 is outside 0x08..0x77, such as 0x3C"),
    ({"speed_hz": 1234}, f"display.speed_hz must be one of {SPEEDS} Hz, not 1234"),
    ({"address": 0x03}, "display.address = 0x03 is outside 0x08..0x77, such as 0x3C"),
    ({"colour": "white"}, "unknown key display.colour; known: driver, bus, port, address, device, dc, reset, "
                          "speed_hz, rotate, contrast"),
    ({"rotate": "2"}, 'display.rotate must be a whole number, not "2"'),
    ({"rotate": True}, "display.rotate must be a whole number, not true"),
    ({"driver": 1306}, "display.driver must be text in quotes, not 1306"),
])
def test_bad_settings_are_one_line_errors(spec, words):
    with pytest.raises(UserError) as info:
        open_display(spec)
    assert str(info.value) == words


def test_a_boxs_display_table_is_a_spec():
    from reverie.hal.box import Display
    assert open_display(Display(driver="none")) is None
    with pytest.raises(UserError, match="/dev/i2c-97"):
        open_display(Display(driver="sh1106", port=97))
    assert DisplaySpec.of(Display(driver="ssd1306", bus="spi", port=0, reset=-1)) == \
        DisplaySpec(driver="ssd1306", bus="spi", port=0, reset=-1, contrast=255)
    assert DisplaySpec(bus="spi").port == 0 and DisplaySpec(bus="i2c").port == 1


def test_dummy_terminal_and_none(tmp_path):
    dummy = open_display({"driver": "dummy"})
    dummy.display(text_image())
    assert dummy.image.tobytes() == text_image().tobytes() and dummy.mode == "1"
    with open(tmp_path / "screen.txt", "w", encoding="utf-8") as stream:
        screen = open_display(DisplaySpec(driver="terminal"), stream=stream)
        assert isinstance(screen, TerminalScreen)
        screen.display(text_image())
        screen.cleanup()
    assert "█" in (tmp_path / "screen.txt").read_text(encoding="utf-8")
    assert open_display({"driver": "none"}) is None
