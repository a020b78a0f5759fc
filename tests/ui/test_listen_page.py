"""The LISTEN page: keep what was played, and listen back to the audio log by session.
Golden screens: tests/ui/golden/listen-*.png (tests/ui/golden.py says how to regenerate)."""
from dataclasses import replace

from reverie.base.events import Key, Turn
from reverie.project.history import History
from reverie.project.model import Project
from reverie.ui import capture as cx
from reverie.ui.context import Caps, Context
from reverie.ui.draw.canvas import render
from reverie.ui.pages.listen import ListenPage
from reverie.ui.status import Status
from reverie.ui.view import Header, Screen

from golden import assert_golden

LOG = (
    cx.LoggedCapture("/d/captures/2025-12-04_2140/2152-03.flac", "12-04 21:40", "21:52:03", 12.4),
    cx.LoggedCapture("/d/captures/2025-12-04_2140/2149-41.flac", "12-04 21:40", "21:49:41", 60.0),
    cx.LoggedCapture("/d/captures/2025-12-03_1802/1811-00.flac", "12-03 18:02", "18:11:00", 4.2),
    cx.LoggedCapture("/d/captures/2025-12-03_1802/session-1802-10.flac", "12-03 18:02", "18:02:10",
                     1834.0, "recording"),
)
HERE = cx.CaptureStatus(enabled=True, ring_s=60, log=LOG, session="12-04 21:40")


def page_with(capture=HERE, encoders=4):
    ctx = Context(History(Project()), caps=Caps(encoders=encoders), status=Status(capture=capture))
    return ListenPage(), ctx


def screen(page, ctx):
    return render(Screen(Header("LISTEN", "A01", 0, 120.0, False, False), page.view(ctx), None))


def push(page, ctx):
    return page.key(ctx, Key("ENC1", "press")) + page.key(ctx, Key("ENC1", "release"))


def test_entering_reads_the_audio_log():
    page, ctx = page_with(replace(HERE, log=None))
    assert page.enter(ctx) == [cx.ListCaptures()]
    assert [r.left for r in page.view(ctx).rows] == ["KEEP AUDIO", "KEEP NOTES", "reading the log…"]
    assert_golden(screen(page, ctx), "listen-reading")


def test_the_log_by_session_this_one_first_and_the_capture_playing():
    page, ctx = page_with(replace(HERE, playing=LOG[0].path, played_s=3.1))
    rows = page.view(ctx).rows
    assert [(r.kind, r.left, r.right) for r in rows] == [
        ("action", "KEEP AUDIO", "60 s"), ("action", "KEEP NOTES", ""),
        ("session", "this session", ""), ("capture", "21:52:03", "3.1s/12.4s"), ("capture", "21:49:41", "1:00"),
        ("session", "12-03 18:02", ""), ("capture", "18:11:00", "4.2s"), ("capture", "rec 18:02:10", "30:34")]
    assert rows[3].playing and not rows[4].playing
    assert_golden(screen(page, ctx), "listen-log")


def test_turning_skips_the_headings_and_a_push_plays_or_stops():
    page, ctx = page_with(replace(HERE, playing=LOG[0].path))
    assert page.turn(ctx, Turn(0, 2)) == []
    assert page.view(ctx).at == 3                       # past the heading, on the capture playing
    assert push(page, ctx) == [cx.StopCapture()]
    page.turn(ctx, Turn(0, 1))
    assert push(page, ctx) == [cx.PlayCapture(LOG[1].path)]
    page.turn(ctx, Turn(0, 1))                          # over the next session's heading
    assert page.view(ctx).at == 6
    page.turn(ctx, Turn(0, 5))
    assert page.view(ctx).at == 7
    assert_golden(screen(page, ctx), "listen-earlier")
    assert push(page, ctx) == [cx.PlayCapture(LOG[3].path)]


def test_the_first_lines_keep_as_func_rec_and_func_pattern_do():
    page, ctx = page_with()
    assert push(page, ctx) == [cx.KeepAudio()]
    page.turn(ctx, Turn(0, 1))
    assert push(page, ctx) == [cx.KeepNotes()]


def test_left_and_right_jump_from_session_to_session():
    page, ctx = page_with()
    page.key(ctx, Key("RIGHT", "press"))
    assert page.view(ctx).at == 3
    page.key(ctx, Key("RIGHT", "press"))
    assert page.view(ctx).at == 6
    page.key(ctx, Key("RIGHT", "press"))
    assert page.view(ctx).at == 6                       # the last session: it stays
    page.key(ctx, Key("LEFT", "press"))
    assert page.view(ctx).at == 3


def test_with_one_encoder_a_click_chooses_and_a_hold_is_the_menu():
    page, ctx = page_with(encoders=1)
    page.turn(ctx, Turn(0, 2))
    assert page.key(ctx, Key("ENC1", "press")) == []
    assert page.key(ctx, Key("ENC1", "release")) == [cx.PlayCapture(LOG[0].path)]
    assert page.key(ctx, Key("ENC1", "press")) == []
    assert page.key(ctx, Key("ENC1", "long")) is None


def test_nothing_kept_yet_while_the_whole_session_is_recorded():
    page, ctx = page_with(replace(HERE, log=(), recording=True, recorded_s=725))
    rows = page.view(ctx).rows
    assert (rows[0].right, rows[2].left) == ("REC 12:05", "nothing kept yet")
    assert_golden(screen(page, ctx), "listen-recording")


def test_with_capture_off_the_page_says_so_and_keeps_nothing():
    page, ctx = page_with(cx.CaptureStatus(enabled=False, log=LOG[2:]))
    assert page.view(ctx).rows[0].left == "capture is off"
    assert push(page, ctx) == [cx.PlayCapture(LOG[2].path)]      # earlier captures still play
    assert_golden(screen(page, ctx), "listen-off")


def test_func_rec_and_func_pattern_keep_from_any_page():
    from scenes import press, ui

    u = ui()
    press(u, "SOUND")
    u.handle(Key("FUNC", "press"))
    assert u.handle(Key("REC", "press")) == [cx.KeepAudio()]
    assert u.context.message == "keeping what you played…"
    u.handle(Key("REC", "release"))
    assert u.handle(Key("PATTERN", "press")) == [cx.KeepNotes()]
    assert u.page_name == "SOUND" and not u.recording             # neither a page key nor REC
    u.handle(Key("FUNC", "release"))
    press(u, "REC")
    assert u.recording                                            # REC alone: live recording
