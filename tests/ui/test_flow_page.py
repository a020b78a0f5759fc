"""The FLOW page and the micro-session timer: only the pattern and levels, a gentle cue."""
from __future__ import annotations

from golden import assert_golden
from scenes import groove, image, press, turn

from reverie.base.events import Key
from reverie.ui import effects as fx
from reverie.ui.machine import UI
from reverie.ui.status import Status


def flow(settings=None):
    u = UI(groove(), settings=dict(settings or {}))
    u.open_page("FLOW")
    return u


def test_a_push_starts_five_ten_twenty_minutes_then_none():
    u = flow()
    shown = []
    for _ in range(4):
        u.handle(Key("ENC1", "press", 1.0))
        u.handle(Key("ENC1", "release", 1.0))
        shown.append(u.view().header.title)
    assert shown == ["FLOW 5m", "FLOW 10m", "FLOW 20m", "FLOW"]


def test_the_cue_is_a_notice_on_any_page_and_the_music_goes_on():
    u = flow()
    u.handle(Key("ENC1", "press", 10.0))              # 5 minutes from t = 10 s
    u.handle(Key("ENC1", "release", 10.0))
    press(u, "MIXER", 11.0)
    playing = Status(playing=True, steps=(3,) * 16)
    assert u.update(playing, 10.0 + 299.0) == []
    assert "went by" not in u.context.message
    assert u.update(playing, 10.0 + 300.0) == []      # no click asked for: the notice only
    assert u.context.message == "5 minutes went by. Play on, or rest."
    assert u.view().overlay is not None
    u.update(playing, 10.0 + 303.0)
    assert u.context.message == "" and u.update(playing, 10.0 + 900.0) == []   # once only
    assert u.page_name == "MIXER"                     # nothing else changed


def test_a_soft_click_when_asked_for():
    u = flow()
    out = press(u, "ENC2")
    assert out == [fx.Setting("flow.click", True)]
    turn(u, 0, 2, 5.0)                                # 10 minutes
    assert u.update(Status(), 5.0 + 600.0) == [fx.Cue()]


def test_rows_show_the_steps_around_each_playhead_and_the_levels():
    u = flow()
    u.update(Status(playing=True, steps=(1, 17, -1, -1, -1, 2) + (-1,) * 10,
                    meters=(1.0, 0.1) + (0.0,) * 14))
    rows = u.page.view(u.context).rows
    assert len(rows) == 8                             # the project's tracks
    kick, snare, bass = rows[0], rows[1], rows[5]
    assert kick.trigs[:5] == (True, False, False, False, True) and kick.playing == 1
    assert snare.trigs[4] is True and snare.playing == 1      # its second 16 steps: step 18
    assert kick.level == 1.0 and 0 < snare.level < 1
    assert bass.trigs[:3] == (True, False, True)


def test_screen():
    u = flow()
    u.handle(Key("ENC1", "press", 0.0))
    u.handle(Key("ENC1", "release", 0.0))
    u.update(Status(playing=True, steps=(5, 21, 5, 5, 5, 2) + (-1,) * 10,
                    meters=(0.9, 0.5, 0.0, 0.2, 0.05, 0.7, 0.3, 0.0) + (0.0,) * 8), 130.0)
    assert_golden(image(u), "flow-playing")


def test_screen_timer_notice():
    u = flow()
    u.handle(Key("ENC1", "press", 0.0))
    u.handle(Key("ENC1", "release", 0.0))
    u.update(Status(playing=True, steps=(9,) * 16, meters=(0.4,) * 16), 300.0)
    assert_golden(image(u), "flow-timer-notice")
