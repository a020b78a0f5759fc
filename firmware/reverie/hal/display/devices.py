"""Display devices: the OLED over I2C or SPI through luma.oled, the terminal screen, luma's dummy
device, or none. Every device is luma-like (`width`, `height`, `mode`, `display(image)`,
`cleanup()`), so the display thread drives any of them.

The SSD1306 and SH1106 drivers are luma's own (init sequence, contrast, power) with `display`
replaced by a partial update: luma's `diff_to_previous` finds the regions that changed and only
their pages and columns go over the bus. A value changing on one line costs a few dozen bytes
instead of the whole 1024-byte frame, which matters at 400 kHz I2C (~25 ms per full frame).
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from reverie.base.errors import UserError
from reverie.base.validate import Check

DRIVERS = ("ssd1306", "sh1106", "terminal", "dummy", "none")
BUSES = ("i2c", "spi")
SPI_SPEEDS_HZ = tuple(int(mhz * 1_000_000) for mhz in
                      (0.5, 1, 2, 4, 8, 16, 20, 24, 28, 32, 36, 40, 44, 48, 50, 52))
DIFF_SEGMENTS = 16      # 4 x 4 blocks of 32 x 16 pixels: page-aligned, so regions never overlap
REGION_COST_BYTES = 10  # what one more region costs on the bus: address commands, transaction framing


@dataclass(frozen=True)
class DisplaySpec:
    """The [display] table of a box (the same names as reverie.hal.box.Display)."""
    driver: str = "terminal"
    bus: str = "i2c"
    port: int | None = None   # I2C bus 1 or SPI0 when not given
    address: int = 0x3C       # I2C address (0x3C or 0x3D)
    device: int = 0           # SPI chip select
    dc: int = 24              # SPI data/command pin (BCM)
    reset: int = 25           # SPI reset pin (BCM), -1 when the module has none
    speed_hz: int = 8_000_000
    rotate: int = 0           # quarter turns clockwise, 0..3
    contrast: int = 255       # 0..255

    def __post_init__(self):
        check = Check()
        check.choice(self.driver, "display.driver", DRIVERS)
        check.choice(self.bus, "display.bus", BUSES)
        check.number(self.rotate, "display.rotate", 0, 3, "quarter turns", whole=True)
        check.number(self.contrast, "display.contrast", 0, 255, whole=True)
        if not 0x08 <= self.address <= 0x77:     # said in hex, as the datasheets write it
            raise check.error(f"display.address = {self.address:#04x} is outside 0x08..0x77, such as 0x3C")
        check.choice(self.speed_hz, "display.speed_hz", SPI_SPEEDS_HZ, "Hz")
        if self.port is None:
            object.__setattr__(self, "port", 1 if self.bus == "i2c" else 0)

    @classmethod
    def from_dict(cls, data: dict) -> DisplaySpec:
        spec = {f.name: (str if f.name in ("driver", "bus") else int, f.default) for f in fields(cls)}
        given = {k: v for k, v in data.items() if not (k == "port" and v is None)}   # None: the default bus
        return cls(**Check().settings(given, "display", spec))

    @classmethod
    def of(cls, spec) -> DisplaySpec:
        """A DisplaySpec from itself, a dict, or any object with these attributes (a box's Display)."""
        if isinstance(spec, cls):
            return spec
        if isinstance(spec, dict):
            return cls.from_dict(spec)
        return cls.from_dict({f.name: getattr(spec, f.name) for f in fields(cls) if hasattr(spec, f.name)})


def open_display(spec, stream=None):
    """The device for `spec` (a DisplaySpec, a dict, or a box's Display); None for driver
    "none" (run no display thread then). `stream` is where the "terminal" driver draws
    (default: standard output)."""
    spec = DisplaySpec.of(spec)
    if spec.driver == "none":
        return None
    if spec.driver == "dummy":
        from luma.core.device import dummy
        return dummy(width=128, height=64, rotate=spec.rotate, mode="1")
    if spec.driver == "terminal":
        import sys

        from reverie.hal.display.terminal import TerminalScreen
        screen = TerminalScreen(stream or sys.stdout)
        screen.open()
        return screen
    return open_oled(spec, serial_interface(spec))


def open_oled(spec: DisplaySpec, serial):
    """luma's SSD1306 or SH1106 driver over `serial` (anything with command/data/cleanup)."""
    import luma.core.error
    try:
        device = oled_class(spec.driver)(serial, width=128, height=64, rotate=spec.rotate)
        device.contrast(spec.contrast)
    except (luma.core.error.Error, OSError) as exc:
        raise UserError(f"{spec.driver} display does not answer ({exc}); {what_to_check(spec)}") from None
    return device


def serial_interface(spec: DisplaySpec):
    import luma.core.error
    from luma.core.interface.serial import i2c, spi
    try:
        if spec.bus == "i2c":
            return i2c(port=spec.port, address=spec.address)
        return spi(port=spec.port, device=spec.device, gpio_DC=spec.dc,
                   gpio_RST=None if spec.reset == -1 else spec.reset, bus_speed_hz=spec.speed_hz)
    except ImportError as exc:
        module = (exc.name or "RPi").split(".")[0]
        package = {"RPi": "rpi-lgpio"}.get(module, module)
        raise UserError(f"display on {spec.bus.upper()} needs the Python module {module}, which works only "
                        f"on a Raspberry Pi (pip install {package}); on a laptop use display driver "
                        f"\"terminal\"") from None
    except luma.core.error.DevicePermissionError as exc:
        raise UserError(f"display: {exc}; add this user to the {spec.bus} group "
                        f"(sudo adduser $USER {spec.bus}) and log in again") from None
    except (luma.core.error.Error, OSError) as exc:
        raise UserError(f"display: {exc}; {what_to_check(spec)}") from None


def what_to_check(spec: DisplaySpec) -> str:
    if spec.bus == "i2c":
        return (f"check that I2C is enabled (sudo raspi-config, Interface Options), that "
                f"i2cdetect -y {spec.port} shows the display at 0x{spec.address:02X}, and the wiring "
                f"(SDA to GPIO2, SCL to GPIO3, 3.3 V, GND)")
    reset = "" if spec.reset == -1 else f", RST on GPIO{spec.reset}"
    return (f"check that SPI is enabled (sudo raspi-config, Interface Options), that "
            f"/dev/spidev{spec.port}.{spec.device} exists, and the wiring (DC on GPIO{spec.dc}{reset})")


def page_bytes(image) -> np.ndarray:
    """A 1-bit image as controller RAM: pages of 8 rows, one byte per column, LSB on top.
    Shape (height / 8, width), uint8."""
    pixels = np.asarray(image, dtype=bool)
    h, w = pixels.shape
    by_page = pixels.reshape(h // 8, 8, w).transpose(0, 2, 1)
    return np.packbits(by_page, axis=2, bitorder="little")[:, :, 0]


def changed_regions(diff, image) -> list[tuple[int, int, int, int]]:
    """(x0, x1, page0, page1) column and page ranges (end exclusive) that differ from the
    previous image; the whole screen the first time. Scattered changes stay apart; when one
    box around them all costs fewer bytes, that box is sent instead."""
    regions = [(x0, x1, y0 // 8, (y1 + 7) // 8) for _, (x0, y0, x1, y1) in diff.redraw(image)]
    if len(regions) < 2:
        return regions
    box = (min(r[0] for r in regions), max(r[1] for r in regions),
           min(r[2] for r in regions), max(r[3] for r in regions))
    cost = lambda r: (r[1] - r[0]) * (r[3] - r[2]) + REGION_COST_BYTES  # noqa: E731
    return [box] if cost(box) <= sum(cost(r) for r in regions) else regions


def oled_class(driver: str):
    """luma's driver class for `driver` with a partial-update `display`. Built on first use, so
    luma.oled is imported only when an OLED is configured."""
    from luma.core.framebuffer import diff_to_previous
    from luma.oled.device import sh1106, ssd1306

    class PartialUpdate:
        def __init__(self, serial_interface, **kwargs):
            self._diff = diff_to_previous(num_segments=DIFF_SEGMENTS)
            self._closed = False
            super().__init__(serial_interface, **kwargs)

        def display(self, image):
            if image.mode != self.mode or image.size != self.size:
                raise ValueError(f"display wants a {self.size} image in mode {self.mode!r}, "
                                 f"not {image.size} {image.mode!r}")
            image = self.preprocess(image)
            regions = changed_regions(self._diff, image)
            if regions:
                ram = page_bytes(image)
                for x0, x1, p0, p1 in regions:
                    self._write(ram, x0, x1, p0, p1)

        def cleanup(self):
            if not self._closed:
                self._closed = True
                super().cleanup()

    class PartialSSD1306(PartialUpdate, ssd1306):
        def _write(self, ram, x0, x1, p0, p1):
            # horizontal addressing (set at init): the column window wraps onto the next page
            self.command(self._const.COLUMNADDR, self._colstart + x0, self._colstart + x1 - 1,
                         self._const.PAGEADDR, p0, p1 - 1)
            self.data(list(ram[p0:p1, x0:x1].tobytes()))

    class PartialSH1106(PartialUpdate, sh1106):
        def _write(self, ram, x0, x1, p0, p1):
            # page addressing only: one page address and column start per page
            column = self._page_address_offset + x0
            for page in range(p0, p1):
                self.command(0xB0 | page, column & 0x0F, 0x10 | column >> 4)
                self.data(list(ram[page, x0:x1].tobytes()))

    return {"ssd1306": PartialSSD1306, "sh1106": PartialSH1106}[driver]
