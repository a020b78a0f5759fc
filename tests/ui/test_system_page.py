from dataclasses import replace

from reverie.base.events import Key, Turn
from reverie.project.history import History
from reverie.project.model import Project
from reverie.ui.context import Caps, Context
from reverie.ui.draw.canvas import render
from reverie.ui.pages.system import SystemPage, uptime
from reverie.ui.status import AudioStatus, Status
from reverie.ui.view import Header, Screen

from golden import assert_golden

DEVICES = ("Launchpad Mini MK3", "Arturia KeyStep 37")
BUSY = Status(dsp_load=0.23, voices=5, xruns=0, ip_address="192.168.1.20", version="0.1.0",
              uptime_s=5025.7, midi_devices=DEVICES)


def page_with(status=BUSY, encoders=4):
    ctx = Context(History(Project()), caps=Caps(encoders=encoders), status=status)
    return SystemPage(), ctx


def test_the_page_shows_the_status_values():
    page, ctx = page_with()
    v = page.view(ctx)
    assert v.load == 0.23 and v.xruns == 0
    assert v.lines == (("voices 5", "xruns 0"), ("IP 192.168.1.20", ""), ("v0.1.0", "up 1:23:45"),
                       ("audio ok", ""), ("MIDI devices: 2", ""), ("Launchpad Mini MK3", ""),
                       ("Arturia KeyStep 37", ""))


def test_what_the_app_does_not_know_is_said_plainly():
    page, ctx = page_with(Status())
    assert page.view(ctx).lines == (("voices 0", "xruns 0"), ("no network", ""),
                                    ("version ?", "up 0:00:00"), ("audio ok", ""), ("no MIDI devices", ""))


def test_audio_playing_silently_and_the_devices_lost_are_shown():
    page, ctx = page_with(replace(BUSY, audio=AudioStatus(silent=True, losses=2, fallback_frames=96000)))
    assert page.view(ctx).lines[3] == ("audio SILENT", "lost 2")
    ctx.status = replace(BUSY, audio=AudioStatus(losses=2))
    assert page.view(ctx).lines[3] == ("audio ok", "lost 2")


def test_the_view_follows_the_status():
    page, ctx = page_with()
    first = page.view(ctx)
    ctx.status = Status(dsp_load=0.97, xruns=4, voices=31)
    v = page.view(ctx)
    assert v != first and v.load == 0.97 and v.lines[0] == ("voices 31", "xruns 4")


def test_uptime_reads_in_hours_and_days():
    assert uptime(0) == "0:00:00"
    assert uptime(59.9) == "0:00:59"
    assert uptime(3600 * 5 + 61) == "5:01:01"
    assert uptime(86400 * 2 + 3723) == "2d 1:02:03"
    assert uptime(-3) == "0:00:00"


def test_any_encoder_scrolls_and_stops_at_the_ends():
    page, ctx = page_with()
    assert page.turn(ctx, Turn(0, 2)) == []
    assert page.view(ctx).first == 2
    page.turn(ctx, Turn(2, 50))
    assert page.view(ctx).first == 4                  # 7 lines, 3 shown
    page.turn(ctx, Turn(0, -50))
    assert page.view(ctx).first == 0


def test_scrolled_past_devices_that_went_away_comes_back_into_range():
    page, ctx = page_with()
    page.turn(ctx, Turn(0, 9))
    ctx.status = Status()
    assert page.view(ctx).first == 2


def test_one_encoder_scrolls_and_leaves_its_clicks_to_the_machine():
    page, ctx = page_with(encoders=1)
    assert page.fields(ctx) == 1
    page.turn(ctx, Turn(0, 1))
    assert page.view(ctx).first == 1
    assert page.key(ctx, Key("ENC1", "release")) is None


def shot(page, ctx, name):
    assert_golden(render(Screen(Header("SYSTEM", "A01", 0, 120.0, False), page.view(ctx))), name)


def test_system_screens():
    page, ctx = page_with()
    shot(page, ctx, "system")
    page.turn(ctx, Turn(0, 5))
    ctx.status = Status(dsp_load=0.95, voices=31, xruns=3, version="0.1.0", uptime_s=200000,
                        midi_devices=DEVICES)
    shot(page, ctx, "system-scrolled")
    page.turn(ctx, Turn(0, -5))
    shot(page, ctx, "system-overloaded")


def test_through_the_machine_the_page_shows_each_new_status():
    from reverie.ui.machine import UI
    u = UI(Project())
    u.handle(Key("SYSTEM", "press"))
    u.update(BUSY)
    assert u.page_name == "SYSTEM" and u.view().body.lines[1] == ("IP 192.168.1.20", "")
    u.update(Status(ip_address=""))
    assert u.view().body.lines[1] == ("no network", "")


def test_every_help_text_fits_the_help_card():
    from reverie.ui.pages import help as helps
    from reverie.ui.pages.system import SystemPage
    assert {"ENC1", "ENC1 TURN"} & set(SystemPage.help)       # every box has ENC1
    for control in SystemPage.help:
        for gesture in ((" TURN", " PUSH") if control in ("ENC1", "ENC2", "ENC3", "ENC4") else ("",)):
            text = helps.lookup(SystemPage.help, control + gesture)
            assert text != "Nothing here." and not helps.wrap(text)[-1].endswith("~"), control + gesture


def test_enc1_looks_for_instruments_again():
    from reverie.ui.instruments import RescanInstruments
    page, ctx = page_with()
    assert page.key(ctx, Key("ENC1", "press")) == [RescanInstruments()]
    assert page.key(ctx, Key("ENC1", "release")) == []
