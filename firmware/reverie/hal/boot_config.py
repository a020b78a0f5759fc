"""The Raspberry Pi boot configuration a box needs: the lines for its display's bus and its
audio HAT (the preset's `boot_config`), kept in config.txt as one marked block.

`sudo make install` (tools/pi-setup) writes the block and `sudo make uninstall` takes it
out; nothing else in config.txt is touched, so taking it out gives the file back byte for
byte. The block sits at the end, after an `[all]` of its own: later lines win in config.txt
(the shipped `dtparam=audio=on` is turned off by the HAT's `dtparam=audio=off`), and a
filter such as `[cm4]` left open above does not narrow it. Standard library only: the
installer runs it with the system's python3.
"""
from __future__ import annotations

from reverie.base.errors import UserError

BEGIN = "# >>> reverie: the box's boot configuration (sudo make uninstall removes this block)"
JOINED = " [after a line break it added]"     # the file did not end with a line break
END = "# <<< reverie"
I2C_ON = "dtparam=i2c_arm=on"
SPI_ON = "dtparam=spi=on"
OLED_DRIVERS = ("ssd1306", "sh1106")


def boot_lines(box) -> list[str]:
    """config.txt lines for a box (reverie.hal.box.Box): its display's bus, then its HAT's."""
    lines = []
    if box.display.driver in OLED_DRIVERS:
        lines.append(I2C_ON if box.display.bus == "i2c" else SPI_ON)
    if box.audio is not None:
        lines += [line for line in box.audio.boot_config if line not in lines]
    return lines


def describe(box) -> str:
    """The block's comment: which box and HAT it is for."""
    return f"box {box.name}" + (f", audio HAT {box.audio.name}" if box.audio is not None else "")


def with_block(text: str, lines: list[str], comment: str) -> str:
    """`text` with the block holding `lines`: replaced where it is, else appended; no block
    when `lines` is empty. The rest of the text is kept byte for byte."""
    if not lines:
        return without_block(text)
    rows = text.splitlines(keepends=True)
    found = _find(rows)
    if found is None:
        joined = bool(text) and not text.endswith("\n")
        return text + ("\n" if joined else "") + _block(BEGIN + (JOINED if joined else ""), lines, comment)
    first, last = found
    begin = rows[first].rstrip("\n")
    return "".join(rows[:first]) + _block(begin, lines, comment) + "".join(rows[last + 1:])


def without_block(text: str) -> str:
    """`text` without the block, as it was before the block went in."""
    rows = text.splitlines(keepends=True)
    found = _find(rows)
    if found is None:
        return text
    first, last = found
    before = "".join(rows[:first])
    at_end = last + 1 == len(rows)      # with a line after the block, the break keeps them apart
    if rows[first].rstrip("\n").endswith(JOINED) and before.endswith("\n") and at_end:
        before = before[:-1]
    return before + "".join(rows[last + 1:])


def _find(rows: list[str]) -> tuple[int, int] | None:
    """(first, last) row of the block, or None."""
    for i, row in enumerate(rows):
        if row.rstrip("\n").startswith(BEGIN):
            for j in range(i + 1, len(rows)):
                if rows[j].rstrip("\n") == END:
                    return i, j
            raise UserError(f"config.txt has the line '{BEGIN}' without its end '{END}': "
                            "mend the file by hand")
    return None


def _block(begin: str, lines: list[str], comment: str) -> str:
    return "\n".join([begin, f"# {comment}", "[all]", *lines, END]) + "\n"
