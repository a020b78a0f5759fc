"""Debounce and key gestures, fed with levels sampled at 1 kHz on an explicit clock."""
from reverie.base.events import DOUBLE, DOUBLE_PRESS_S, LONG, LONG_PRESS_S, PRESS, RELEASE, Key, Pad
from reverie.hal.gpio.keys import DEBOUNCE_S, LOCKOUT_S, Debouncer, KeyGestures, LeadingEdge, PadSwitch

MS = 0.001


def play(switch, timeline, until_ms):
    """Sample `switch` every ms from 0 to until_ms; timeline: [(from_ms, closed), ...],
    sorted, each level holding until the next one. Returns (ms, event) pairs."""
    out = []
    for ms in range(until_ms + 1):
        closed = [c for start, c in timeline if start <= ms][-1] if timeline[0][0] <= ms else False
        out += [(ms, e) for e in switch.sample(closed, ms * MS)]
    return out


def bounce(start_ms, settle_ms, closed):
    """A contact that chatters every ms from start_ms and settles at `closed` at settle_ms."""
    return [(ms, closed if (ms - start_ms) % 2 == 0 else not closed)
            for ms in range(start_ms, settle_ms)] + [(settle_ms, closed)]


def test_a_level_counts_once_it_has_held_the_debounce_time():
    d = Debouncer()
    changes = [ms for ms in range(20) if d.update(ms >= 3, ms * MS)]
    assert changes == [3 + round(DEBOUNCE_S / MS)]
    assert d.level


def test_a_glitch_shorter_than_the_debounce_time_is_ignored():
    d = Debouncer()
    levels = [False] * 3 + [True] * 4 + [False] * 10      # closed 4 ms only
    assert not any(d.update(level, ms * MS) for ms, level in enumerate(levels))
    assert not d.level


def test_debounce_holds_on_a_finer_or_irregular_sample_grid():
    d = Debouncer()
    times = [0.0, 0.0004, 0.0011, 0.0023, 0.0037, 0.0049, 0.00503, 0.006]
    fired = [t for t in times if d.update(True, t)]
    assert fired == [0.00503]


def test_a_bouncing_press_and_release_give_one_press_and_one_release():
    key = KeyGestures("PLAY")
    timeline = [(0, False)] + bounce(10, 16, True) + bounce(100, 107, False)
    events = play(key, timeline, 200)
    assert events == [(21, Key("PLAY", PRESS, 0.021)), (111, Key("PLAY", RELEASE, 0.111))]


def test_a_long_press_fires_once_while_held_then_the_release():
    key = KeyGestures("SHIFT")
    events = play(key, [(0, True), (1200, False)], 1300)
    long_ms = 5 + round(LONG_PRESS_S / MS)
    assert events == [(5, Key("SHIFT", PRESS, 0.005)),
                      (long_ms, Key("SHIFT", LONG, long_ms * MS)),
                      (1205, Key("SHIFT", RELEASE, 1.205))]


def test_a_release_just_before_the_long_time_gives_no_long():
    key = KeyGestures("SHIFT")
    hold_ms = round(LONG_PRESS_S / MS) - 1
    actions = [e.action for _, e in play(key, [(0, True), (hold_ms, False)], 1500)]
    assert actions == [PRESS, RELEASE]


def test_a_second_press_within_the_double_time_is_a_double():
    key = KeyGestures("REC")
    gap_ms = round(DOUBLE_PRESS_S / MS)           # release to press, both debounced alike
    events = play(key, [(0, True), (50, False), (50 + gap_ms, True), (400 + gap_ms, False)], 1000)
    assert [(ms, e.action) for ms, e in events] == [
        (5, PRESS), (55, RELEASE), (55 + gap_ms, PRESS), (55 + gap_ms, DOUBLE),
        (405 + gap_ms, RELEASE)]


def test_a_second_press_after_the_double_time_is_only_a_press():
    key = KeyGestures("REC")
    gap_ms = round(DOUBLE_PRESS_S / MS) + 1
    actions = [e.action for _, e in play(key, [(0, True), (50, False), (50 + gap_ms, True)], 1000)]
    assert actions == [PRESS, RELEASE, PRESS, LONG]


def test_three_quick_taps_make_one_double():
    key = KeyGestures("FUNC")
    timeline = [(0, True), (40, False), (80, True), (120, False), (160, True), (200, False)]
    actions = [e.action for _, e in play(key, timeline, 800)]
    assert actions == [PRESS, RELEASE, PRESS, DOUBLE, RELEASE, PRESS, RELEASE]


def test_a_long_press_does_not_arm_a_double():
    key = KeyGestures("FUNC")
    timeline = [(0, True), (700, False), (750, True), (790, False)]
    actions = [e.action for _, e in play(key, timeline, 1000)]
    assert actions == [PRESS, LONG, RELEASE, PRESS, RELEASE]


def test_a_double_held_long_also_gives_long():
    key = KeyGestures("FUNC")
    actions = [e.action for _, e in play(key, [(0, True), (30, False), (60, True)], 1000)]
    assert actions == [PRESS, RELEASE, PRESS, DOUBLE, LONG]


def test_a_pad_plays_at_its_first_edge_and_releases_with_zero_through_bounce():
    pad = PadSwitch(7, 100)
    timeline = [(0, False)] + bounce(3, 6, True) + bounce(60, 64, False)
    # pressed at the first closed sample; released once open for DEBOUNCE_S after the bounce
    assert play(pad, timeline, 100) == [(3, Pad(7, 100, 0.003)), (69, Pad(7, 0, 0.069))]
    assert not pad.pressed


# --- leading edge with a lock-out (pads) ---------------------------------------------------

LOCK_MS = round(LOCKOUT_S / MS)
HOLD_MS = round(DEBOUNCE_S / MS)


def edges(timeline, until_ms, step_ms=0.25):
    """A LeadingEdge sampled every `step_ms` (a 4 kHz scan: finer than bounce); (ms, level)."""
    d, out = LeadingEdge(), []
    for i in range(int(until_ms / step_ms) + 1):
        ms = i * step_ms
        closed = [c for start, c in timeline if start <= ms][-1] if timeline[0][0] <= ms else False
        if d.update(closed, ms * MS):
            out.append((ms, d.level))
    return out


def test_a_fast_tap_is_one_press_at_its_first_edge_and_one_release():
    # closed for 1.5 ms only: far shorter than the function keys' debounce
    assert edges([(0, False), (10, True), (11.5, False)], 40) == [(10, True), (10 + LOCK_MS + HOLD_MS, False)]


def test_a_bouncy_press_is_one_press_at_its_first_edge():
    timeline = [(0, False)] + [(10 + 0.5 * i, i % 2 == 0) for i in range(12)] + [(16, True), (80, False)]
    assert edges(timeline, 120) == [(10, True), (80 + HOLD_MS, False)]


def test_a_bounce_longer_than_the_lock_out_still_makes_no_release():
    # chatter for 9 ms: it goes on after the lock-out, but never reads open for the hold time
    timeline = [(0, False)] + [(10 + 0.75 * i, i % 2 == 0) for i in range(12)] + [(19, True), (50, False)]
    assert edges(timeline, 100) == [(10, True), (50 + HOLD_MS, False)]


def test_a_bouncy_release_is_one_release_confirmed_after_it_settles():
    timeline = [(0, True)] + [(40 + 0.5 * i, i % 2 == 1) for i in range(14)] + [(47, False)]
    assert edges(timeline, 100) == [(0, True), (47 + HOLD_MS, False)]


def test_a_new_press_after_a_confirmed_release_is_again_at_its_first_edge():
    timeline = [(0, True), (10, False), (30, True), (31, False), (31.5, True), (60, False)]
    assert edges(timeline, 100) == [(0, True), (10 + HOLD_MS, False), (30, True), (60 + HOLD_MS, False)]
