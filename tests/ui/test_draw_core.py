"""Drawing the playing pages: every text is in the display font at 12 px or more and stays
on the screen, equal state draws the same image, and the menu's screens."""
from __future__ import annotations

import pytest
from golden import assert_golden
from scenes import MINIMAL, PAGES, hit, image, playing, press, turn, ui

from reverie.base.events import Key, Pad
from reverie.ui.draw import canvas
from reverie.ui.draw.canvas import HEIGHT, MIN_TEXT_PX, SIZES, WIDTH, cell
from reverie.ui.status import Status


def scenes():
    """(name, UI) in every state the playing pages draw."""
    u = ui()
    yield "pattern", u
    playing(u, {0: 4})
    yield "pattern playing", u
    u.handle(Pad(14, 100))
    yield "pattern held", u
    for _ in range(7):
        press(u, "RIGHT")
    yield "pattern held lock", u
    press(u, "SOUND")
    yield "sound lock", u
    u.handle(Pad(14, 0))
    for _ in range(8):
        press(u, "RIGHT")
        yield "sound screens", u
    u.handle(Pad(5, 100, 0.0))
    press(u, "PATTERN")
    u.handle(Pad(5, 100, 0.0))
    u.handle(Pad(5, 0, 1.0))
    for _ in range(16):
        turn(u, 0, 1)
        yield "step lines", u
    press(u, "MIXER")
    hit(u, 2)
    u.update(Status(meters=(2.0,) * 16))
    for k in range(4):
        turn(u, k, -30)
        yield "mixer fields", u
    u.open_menu()
    for _ in range(14):
        turn(u, 0, 1)
        yield "menu", u
    u.close_menu()
    u.handle(Key("SHIFT", "press"))
    for name in ("PLAY", "FUNC", "ENC1"):
        u.handle(Key(name, "press"))
        yield "help", u
    u.handle(Key("SHIFT", "release"))
    hit(u, 14)                                            # a refused mute: a notice
    yield "notice", u
    m = ui(MINIMAL)
    for page in ("PATTERN", "SOUND", "MIXER"):
        m.open_page(page)
        for _ in range(5):
            press(m, "ENC1")
            yield f"{page} minimal", m


def test_every_text_is_big_enough_and_on_the_screen(monkeypatch):
    drawn = []
    original = canvas.Canvas.text

    def text(self, x, y, s, size="small", invert=False, width=None):
        end = original(self, x, y, s, size, invert, width)
        drawn.append((x, y, end, size, s))
        return end

    monkeypatch.setattr(canvas.Canvas, "text", text)
    count = 0
    for name, u in scenes():
        drawn.clear()
        image(u)
        assert drawn, name
        for x, y, end, size, s in drawn:
            assert SIZES[size] >= MIN_TEXT_PX, (name, s, size)
            assert x >= 0 and y >= 0 and end <= WIDTH and y + cell(size)[1] <= HEIGHT, (name, s, x, y, end)
        count += 1
    assert count > 60


def test_equal_state_draws_an_equal_screen_and_image():
    for name, u in scenes():
        a, b = u.view(), u.view()
        assert a == b, name
        assert image(u).tobytes() == image(u).tobytes(), name


@pytest.mark.parametrize("caps", [None, MINIMAL], ids=["reference", "minimal"])
def test_views_never_change_the_state(caps):
    u = ui(caps) if caps else ui()
    for page in PAGES:
        u.open_page(page)
        before = (u.project, u.context.track, u.context.focus, u.page_name)
        assert u.page_name == page
        u.view()
        assert (u.project, u.context.track, u.context.focus, u.page_name) == before


def test_menu_screens():
    u = ui()
    u.open_menu()
    assert_golden(image(u), "menu")
    turn(u, 0, len(u.menu.pages))                         # TRACK
    press(u, "ENC1")
    turn(u, 0, 2)
    assert_golden(image(u), "menu-track")
