"""The sample browser: the focused sample's name, its waveform across the screen with the
track's markers, and the marker being moved.

    ● kick.wav          3/40      ● = on the focused track
    ▁▃█▇▅▃▂▁ |      ¦    ¦  |      start/end solid, loop dashed, both inverting what
                                      they cross; the parts trimmed away dotted
    STRT 0.1250         0.52s
"""
from __future__ import annotations

from reverie.sound.instruments import INSTRUMENTS
from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, cell, drawer
from reverie.ui.pages.samples import MARKERS, SamplesView

CW, CH = cell("small")
NAME_Y = HEADER_PX
WAVE_TOP, WAVE_BOTTOM = HEADER_PX + CH + 1, HEIGHT - CH - 2
INFO_Y = HEIGHT - CH
LABELS = {k: INSTRUMENTS["sampler"][k].label for k in MARKERS}    # STRT END LSTR LEND


@drawer(SamplesView)
def draw_samples(c: Canvas, v: SamplesView) -> None:
    if v.count == 0:
        c.text(1, NAME_Y + CH, "no samples yet:")
        c.text(1, NAME_Y + 2 * CH, "copy files to the")
        c.text(1, NAME_Y + 3 * CH, "project's samples/")
        return
    c.text(1, NAME_Y, "●" if v.loaded else " ")
    count = f"{v.index + 1}/{v.count}"
    name_w = WIDTH - 10 - CW * (len(count) + 1)
    c.text(9, NAME_Y, _tail(v.sample, name_w // CW), invert=v.focus == "list")
    c.text_right(WIDTH, NAME_Y, count)
    _wave(c, v)
    _info(c, v)


def _tail(ref: str, chars: int) -> str:
    """The end of a long reference: the file name matters more than its folders."""
    return ref if len(ref) <= chars else "…" + ref[-(chars - 1):]


def _x(frac: float) -> int:
    return round(min(1.0, max(0.0, frac)) * (WIDTH - 1))


def _wave(c: Canvas, v: SamplesView) -> None:
    ov = v.overview
    mid = (WAVE_TOP + WAVE_BOTTOM) // 2
    if ov is None or ov.error:
        c.text(1, mid - CH // 2, "reading…" if ov is None else ov.error, width=WIDTH - 2)
        return
    half = (WAVE_BOTTOM - WAVE_TOP) / 2
    start, end = _x(v.markers[0]), _x(v.markers[1])
    lo_x, hi_x = min(start, end), max(start, end)
    for x, (lo, hi) in enumerate(zip(ov.lows, ov.highs)):
        if not lo_x <= x <= hi_x and x % 2:
            continue                               # trimmed away: every other column
        y0 = round(mid - max(-1.0, min(1.0, hi)) * half)
        y1 = round(mid - max(-1.0, min(1.0, lo)) * half)
        c.vline(x, y0, y1)
    for key, frac in zip(MARKERS, v.markers):
        if frac < 0:
            continue
        x = _x(frac)
        dashed = key.startswith("loop")
        for y in range(WAVE_TOP, WAVE_BOTTOM + 1):
            if not dashed or y % 4 < 2:
                _flip(c, x, y)
        if key == v.marker:
            c.d.polygon(((x - 3, WAVE_TOP - 1), (x + 3, WAVE_TOP - 1), (x, WAVE_TOP + 2)), fill=1)


def _flip(c: Canvas, x: int, y: int) -> None:
    """Markers invert what is under them, so they show over a loud waveform and over silence."""
    c.image.putpixel((x, y), 0 if c.image.getpixel((x, y)) else 1)


def _info(c: Canvas, v: SamplesView) -> None:
    if v.focus == "load":
        c.text(1, INFO_Y, f"LOAD → T{v.track + 1}", invert=True)
    else:
        lit = v.focus in ("", v.marker)
        x = c.text(1, INFO_Y, LABELS[v.marker], invert=lit)
        value = v.markers[MARKERS.index(v.marker)]
        c.text(x + CW, INFO_Y, "-" if value < 0 else f"{value:.4f}")
    if v.overview is not None and not v.overview.error:
        c.text_right(WIDTH, INFO_Y, _seconds(v.overview.seconds))


def _seconds(s: float) -> str:
    if s < 10:
        return f"{s:.2f}s"
    if s < 100:
        return f"{s:.1f}s"
    return f"{int(s) // 60}:{int(s) % 60:02d}"
