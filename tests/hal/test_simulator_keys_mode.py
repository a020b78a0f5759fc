"""Keys mode, the generators and the flow screen from the simulator's computer keyboard, as
typed in a terminal: the menu (the hold key, FUNC, ENC1), the pads 1234/qwer/asdf/zxcv."""
from reverie.hal.simulator.keyboard import TAP_S, Keyboard
from reverie.project import scales
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project
from reverie.ui import effects as fx
from reverie.ui.machine import UI


class Typist:
    """A terminal's keys into a UI on a clock of its own; the effects of every event kept."""

    def __init__(self, settings):
        self.now = 100.0
        self.ui = UI(load_project(demo_project_path()), settings=settings)
        self.effects = []
        self.keyboard = Keyboard(lambda e: self.effects.extend(self.ui.handle(e)), lambda: None,
                                 clock=lambda: self.now)

    def type(self, keys: str) -> None:
        for key in keys.split():
            self.keyboard.tap(key)
            self.now += TAP_S + 0.01            # let the tap go before the next key
            self.keyboard.poll()

    def menu(self, page: str) -> None:
        """Opens `page` from the menu: hold FUNC (` /), push ENC1 (n), turn (y/h), choose (n)."""
        self.type("` / n")
        pages = self.ui.menu.pages
        here = pages.index(self.ui.page_name)
        moves = pages.index(page) - here
        self.type(" ".join(["y" if moves > 0 else "h"] * abs(moves)) or "y h")
        self.type("n")
        assert self.ui.page_name == page, self.ui.page_name

    def notes(self):
        out = [(e.note, e.velocity > 0) for e in self.effects if isinstance(e, fx.PlayNote)]
        self.effects.clear()
        return out


def test_keys_mode_from_the_terminal_plays_the_scale_chords_and_latch():
    t = Typist({"pads.scale": "kafi", "pads.root": 2})
    t.menu("KEYS")
    t.type("z x c v")                                   # the bottom row: the root up
    kafi = scales.BY_NAME["kafi"]
    assert [n for n, on in t.notes() if on] == [scales.note_of(kafi, 2, d, 48) for d in range(4)]
    t.type("i , z")                                     # ENC3 +1: triads; ENC3 push: latch; a hit
    held = [n for n, on in t.notes() if on]
    assert held == [50, 53, 57]                         # D minor, held after the tap
    assert all(on for _, on in t.notes()) and t.ui.page.view(t.ui.context).pads[12].sounding
    t.type("z")                                         # hit again: let go
    assert sorted(n for n, on in t.notes() if not on) == [50, 53, 57]
    t.type("Right 1")                                   # an octave up, the top-left pad
    assert [n for n, on in t.notes() if on][0] == scales.note_of(kafi, 2, 9, 60)


def test_a_generator_and_the_flow_screen_from_the_terminal():
    t = Typist({"pads.scale": "minor pent", "pads.root": 9})
    t.menu("GEN")
    before = t.ui.project
    t.type("n")                                         # ENC1 push: E(4,16) into T1
    assert t.ui.project is not before
    t.type("` / Left")                                  # the hold key keeps FUNC down: undo
    assert t.ui.project == before
    t.menu("FLOW")
    t.type("n")                                         # a 5 minute session
    assert t.ui.view().header.title == "FLOW 5m"
