import pytest

from reverie.base.events import Key, Turn
from reverie.project.history import History
from reverie.project.model import Project, Track
from reverie.ui import effects as fx
from reverie.ui.context import Caps, Context
from reverie.ui.draw.canvas import render
from reverie.ui.pages.settings import CONTRAST, ITEMS, SCALES, SettingsPage
from reverie.ui.status import Status
from reverie.ui.view import Header, Screen

from golden import assert_golden
from scenes import page_click as click, page_press as press


def page_with(settings=None, encoders=4, status=Status(ip_address="192.168.1.20"), **project):
    ctx = Context(History(Project(tracks=[Track("Kick")], **project)), caps=Caps(encoders=encoders),
                  status=status, settings=dict(settings or {}))
    page = SettingsPage()
    page.enter(ctx)
    return page, ctx


def lines(page, ctx):
    return dict(page.view(ctx).lines)


# --- every setting and its effect ------------------------------------------------------------

def test_the_metronome_and_count_in_are_project_edits():
    page, ctx = page_with()
    out = page.turn(ctx, Turn(0, 1))
    assert ctx.project.metronome is True and out == [fx.ProjectEdited()]
    page.turn(ctx, Turn(1, 5))
    assert ctx.project.count_in_bars == 2 and lines(page, ctx)["count-in"] == "2 bars"
    ctx.undo()
    assert ctx.project.count_in_bars == 0 and ctx.project.metronome is True
    assert ctx.settings == {}                         # nothing of the box changed


@pytest.mark.parametrize("screen, encoder, detents, key, value", [
    (0, 2, 2, "pads.scale", "minor"),
    (0, 2, 100, "pads.scale", list(SCALES)[-1]),
    (0, 3, 9, "pads.root", 9),
    (1, 0, 1, "pads.velocity", "fixed"),
    (1, 1, 1, "sync.source", "midi"),
    (1, 1, 2, "sync.source", "link"),
    (1, 2, -1, "midi.clock_out", False),
    (1, 3, -4, "display.contrast", CONTRAST[-5]),
])
def test_each_box_setting_is_a_setting_effect_and_kept_in_the_context(screen, encoder, detents, key, value):
    page, ctx = page_with()
    for _ in range(screen):
        press(page, ctx, "RIGHT")
    out = page.turn(ctx, Turn(encoder, detents))
    assert out == [fx.Setting(key, value)] and ctx.settings[key] == value
    assert not ctx.history.can_undo                   # box settings are not project edits


def test_every_item_is_reachable_and_shown():
    page, ctx = page_with()
    shown = [label for label, _ in page.view(ctx).lines]
    press(page, ctx, "RIGHT")
    shown += [label for label, _ in page.view(ctx).lines]
    assert shown == [i.label for i in ITEMS]


def test_an_unchanged_value_sends_nothing():
    page, ctx = page_with(settings={"pads.velocity": "dynamic"})
    press(page, ctx, "RIGHT")
    assert page.turn(ctx, Turn(0, -3)) == []


def test_a_push_steps_through_the_values_and_wraps():
    page, ctx = page_with(settings={"sync.source": "link"})
    press(page, ctx, "RIGHT")
    assert press(page, ctx, "ENC2") == [fx.Setting("sync.source", "internal")]
    assert press(page, ctx, "ENC3") == [fx.Setting("midi.clock_out", False)]
    assert press(page, ctx, "ENC3") == [fx.Setting("midi.clock_out", True)]


def test_link_without_a_network_is_shown_and_said():
    page, ctx = page_with(status=Status(ip_address=""))
    press(page, ctx, "RIGHT")
    assert page.turn(ctx, Turn(1, 2)) == [fx.Setting("sync.source", "link")]
    assert "network" in ctx.message
    assert lines(page, ctx)["sync"] == "Link:no net"
    ctx.status = Status(ip_address="10.0.0.2")
    assert lines(page, ctx)["sync"] == "Link"


def test_values_come_from_the_context_settings_and_a_contrast_between_levels_turns_from_the_nearest():
    page, ctx = page_with(settings={"pads.root": 4, "display.contrast": 130, "midi.clock_out": False})
    assert lines(page, ctx)["scale root"] == "E"
    press(page, ctx, "RIGHT")
    assert lines(page, ctx)["contrast"] == "51%" and lines(page, ctx)["MIDI clock out"] == "off"
    assert page.turn(ctx, Turn(3, 1)) == [fx.Setting("display.contrast", 143)]


def test_the_screens_stop_at_the_ends():
    page, ctx = page_with()
    press(page, ctx, "LEFT")
    assert page.view(ctx).screen == 0
    for _ in range(5):
        press(page, ctx, "RIGHT")
    assert page.view(ctx).screen == 1


# --- one encoder ------------------------------------------------------------------------------

def test_one_encoder_reaches_every_setting():
    page, ctx = page_with(encoders=1)
    for i, item in enumerate(ITEMS):
        v = page.view(ctx)
        assert v.screen * 4 + v.focus == i and ctx.focus == i % 4
        page.turn(ctx, Turn(0, -1 if item.key in ("midi.clock_out", "display.contrast") else 1))
        click(page, ctx)
    assert ctx.project.metronome is True and ctx.project.count_in_bars == 1
    assert ctx.settings == {"pads.scale": "major", "pads.root": 1, "pads.velocity": "fixed",
                            "sync.source": "midi", "midi.clock_out": False,
                            "display.contrast": CONTRAST[-2]}
    assert page.view(ctx).focus == 0 and page.view(ctx).screen == 0


def test_one_encoder_double_click_steps_the_value_of_the_field_before():
    page, ctx = page_with(encoders=1)
    click(page, ctx)
    page.key(ctx, Key("ENC1", "press"))
    out = page.key(ctx, Key("ENC1", "double"))
    assert page.key(ctx, Key("ENC1", "release")) == []
    assert out == [fx.ProjectEdited()] and ctx.project.metronome is True
    assert page.view(ctx).focus == 0


# --- screens ----------------------------------------------------------------------------------

def shot(page, ctx, name):
    assert_golden(render(Screen(Header("SETTINGS", "A01", 0, 120.0, False), page.view(ctx))), name)


def test_settings_screens():
    page, ctx = page_with(settings={"pads.scale": "minor pent", "pads.root": 9}, metronome=True,
                          count_in_bars=1)
    shot(page, ctx, "settings")
    ctx.status = Status(ip_address="")
    ctx.settings["sync.source"] = "link"
    press(page, ctx, "RIGHT")
    shot(page, ctx, "settings-box")


def test_settings_screen_with_one_encoder():
    page, ctx = page_with(encoders=1)
    click(page, ctx)
    click(page, ctx)
    shot(page, ctx, "settings-one-encoder")


# --- through the machine ------------------------------------------------------------------------

def test_through_the_machine_settings_start_from_what_the_app_gave():
    from reverie.ui.machine import UI
    u = UI(Project(tracks=[Track("Kick")]), settings={"sync.source": "midi"})
    u.handle(Key("SETTINGS", "press"))
    u.handle(Key("RIGHT", "press"))
    assert dict(u.view().body.lines)["sync"] == "MIDI"
    assert u.handle(Turn(1, -1)) == [fx.Setting("sync.source", "internal")]
    assert u.context.settings["sync.source"] == "internal"


def test_through_the_machine_one_encoder_hold_and_turn_changes_the_screen():
    from scenes import MINIMAL
    from reverie.ui.machine import UI
    u = UI(Project(tracks=[Track("Kick")]), MINIMAL)
    u.open_page("SETTINGS")
    u.handle(Key("ENC1", "press"))
    u.handle(Turn(0, 1))                             # held: RIGHT
    u.handle(Key("ENC1", "release"))
    v = u.view().body
    assert v.screen == 1 and v.focus == 0
    assert u.handle(Turn(0, 1)) == [fx.Setting("pads.velocity", "fixed")]


def test_every_help_text_fits_the_help_card():
    from reverie.ui.pages import help as helps
    from reverie.ui.pages.settings import SettingsPage
    assert {"ENC1", "ENC1 TURN"} & set(SettingsPage.help)       # every box has ENC1
    for control in SettingsPage.help:
        for gesture in ((" TURN", " PUSH") if control in ("ENC1", "ENC2", "ENC3", "ENC4") else ("",)):
            text = helps.lookup(SettingsPage.help, control + gesture)
            assert text != "Nothing here." and not helps.wrap(text)[-1].endswith("~"), control + gesture
