"""SHIFT help: every control has global help, every control that does something on a
playing page has that page's help, every text fits its card, and the cards look right."""
from __future__ import annotations

import textwrap

import pytest
from golden import assert_golden
from scenes import MINIMAL, image, press, ui

from reverie.base.events import ENCODERS, KEYS, Key, Pad, Turn
from reverie.ui.pages import help as helps
from reverie.ui.pages.menu import HELP as MENU_HELP
from reverie.ui.pages.mixer import MixerPage
from reverie.ui.pages.pattern import PatternPage
from reverie.ui.pages.sound import SoundPage
from reverie.ui.pages.step import StepPage

MINE = (PatternPage, StepPage, SoundPage, MixerPage)
TURNS = tuple(f"ENC{k + 1} TURN" for k in range(ENCODERS))


def test_every_control_has_global_help():
    for control in KEYS + TURNS + ("PADS",):
        assert helps.GLOBAL.get(control), control


@pytest.mark.parametrize("table", [helps.GLOBAL, helps.ONE_ENCODER, MENU_HELP]
                         + [p.help for p in MINE], ids=["global", "one", "menu"] + [p.name for p in MINE])
def test_every_text_fits_its_card(table):
    for control, text in table.items():
        lines = textwrap.wrap(text, helps.CARD_CHARS)
        assert 1 <= len(lines) <= helps.CARD_LINES, f"{control}: {text!r} needs {len(lines)} lines"
        assert not helps.wrap(text)[-1].endswith("~")


def _does_something(page_cls, event, held: bool, track: int) -> bool:
    """Whether `event` handled by the page changes the project, the page's view or gives
    effects, on `track` (the snare, 1, has two step pages), from the page's second screen."""
    u = ui()
    u.context.track = track
    if held:
        u.handle(Pad(0, 100))
    if page_cls.name != "PATTERN":
        u.open_page(page_cls.name)
    page, ctx = u.page, u.context
    page.key(ctx, Key("RIGHT", "press"))
    before_project, before_view = u.project, page.view(ctx)
    if isinstance(event, Key):
        out = page.key(ctx, event)
    elif isinstance(event, Turn):
        out = page.turn(ctx, event)
    else:
        out = page.pad(ctx, event)
    return out is not None and (bool(out) or u.project is not before_project or page.view(ctx) != before_view)


@pytest.mark.parametrize("page_cls", MINE, ids=[p.name for p in MINE])
def test_each_playing_page_explains_every_control_it_uses(page_cls):
    controls = [(f"ENC{k + 1} TURN", Turn(k, 1)) for k in range(ENCODERS)]
    controls += [(f"ENC{k + 1} PUSH", Key(f"ENC{k + 1}", "press")) for k in range(ENCODERS)]
    controls += [(name, Key(name, "press")) for name in KEYS if not name.startswith("ENC")]
    controls += [("PADS", Pad(3, 100))]
    used = set()
    for control, event in controls:
        for held, track in ((False, 0), (True, 0), (False, 1)):
            if _does_something(page_cls, event, held, track):
                used.add(control)
                name = control.removesuffix(" PUSH") if control.endswith(" PUSH") else control
                known = {k for k in page_cls.help} | {k.removesuffix(" PUSH") for k in page_cls.help}
                assert name in known or control in known, f"{page_cls.name}: {control} has no help"
    # every playing page turns three encoders at least and pages with LEFT and RIGHT
    assert {"ENC1 TURN", "ENC2 TURN", "ENC3 TURN", "LEFT", "RIGHT"} <= used, used


def test_lookup_order_and_gestures():
    page = {"ENC2": "turn: a value; push: reset it", "PADS": "page pads", "FUNC+PADS": "func pads"}
    assert helps.lookup(page, "ENC2 TURN") == "A value"
    assert helps.lookup(page, "ENC2 PUSH") == "Reset it"
    assert helps.lookup(page, "PADS") == "page pads"
    assert helps.lookup(page, "PADS", func=True) == "func pads"
    assert helps.lookup(page, "PLAY") == helps.GLOBAL["PLAY"]
    assert helps.lookup(page, "LEFT", func=True) == helps.GLOBAL["FUNC+LEFT"]
    assert helps.lookup({}, "ENC3 TURN") == helps.GLOBAL["ENC3 TURN"]
    assert helps.lookup({}, "ENC1 PUSH", one_encoder=True) == helps.ONE_ENCODER["ENC1"]
    assert helps.lookup({}, "NOTHING") == "Nothing here."


def test_a_long_text_is_cut_with_a_mark():
    lines = helps.wrap("word " * 40)
    assert len(lines) == helps.CARD_LINES and lines[-1].endswith("~")


def test_menu_has_its_own_help():
    u = ui()
    u.open_menu()
    u.handle(Key("SHIFT", "press"))
    u.handle(Turn(0, 1))
    assert " ".join(u.view().overlay.lines) == MENU_HELP["ENC1 TURN"]
    assert u.view().body.cursor == 0                      # the turn only explained itself


def test_screens():
    u = ui()
    press(u, "SOUND")
    u.handle(Key("SHIFT", "press"))
    u.handle(Key("PLAY", "press"))
    assert_golden(image(u), "help-play")
    m = ui(MINIMAL)
    m.handle(Key("SHIFT", "press"))
    m.handle(Key("ENC1", "press"))
    assert_golden(image(m), "help-minimal-enc1")
    p = ui()
    p.handle(Key("SHIFT", "press"))
    p.handle(Pad(0, 100))
    assert_golden(image(p), "help-pattern-pads")
