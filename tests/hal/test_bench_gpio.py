"""The GPIO bench runs briefly and reports what it promises: every figure, one Key event for
each press it made and one Turn for each detent, key latencies that include the debounce,
times in positive, finite units. How fast is the bench's business (`reverie bench ui`)."""
import math

import pytest

from reverie.app.bench import gpio
from reverie.hal.box import load_box
from reverie.hal.gpio.keys import DEBOUNCE_S
from reverie.hal.gpio.matrix import FakeMatrix

COUNTS = ("scans", "scan_overruns", "key_presses", "turns", "events_lost")
TIMES = ("scan_rate_hz", "scan_period_p50_ms", "scan_period_p99_ms", "scan_period_max_ms",
         "scan_cost_p50_us", "scan_cost_p99_us", "key_latency_p50_ms", "key_latency_p99_ms",
         "turn_latency_p50_us", "turn_latency_p99_us")


@pytest.mark.timing
def test_gpio_bench_figures(monkeypatch):
    asked = {"press": 0, "release": 0}
    for action in asked:
        act = getattr(FakeMatrix, action)

        def counted(self, row, column, act=act, action=action):
            asked[action] += 1
            act(self, row, column)
        monkeypatch.setattr(FakeMatrix, action, counted)

    figures = gpio.run(0.3)
    assert set(figures) == set(COUNTS) | set(TIMES)
    for name in COUNTS:
        assert isinstance(figures[name], int) and figures[name] >= 0, name
    for name in TIMES:
        assert math.isfinite(figures[name]) and figures[name] > 0, name
    # Every press and release came back as its Key event, every detent as its Turn: the
    # bench turns each of the box's encoders one detent per press.
    assert figures["events_lost"] == 0
    assert asked["press"] == asked["release"] == figures["key_presses"] > 0
    assert figures["turns"] == figures["key_presses"] * len(load_box("reference").encoders)
    assert figures["scans"] > 0
    # A key's event comes only after its contact has held for the debounce time.
    debounce_ms = DEBOUNCE_S * 1e3 - 1e-4         # keys.py's _EPSILON_S
    assert figures["key_latency_p50_ms"] >= debounce_ms
    assert figures["key_latency_p99_ms"] >= debounce_ms
    # Percentiles of one set of samples, and the largest of them.
    assert figures["scan_period_p50_ms"] <= figures["scan_period_p99_ms"] <= figures["scan_period_max_ms"]


@pytest.mark.timing
def test_pad_bench_figures():
    """Every pad hit reaches the engine as a note on and its release as a note off; the note
    is stamped one audio period after the scan that saw the edge."""
    from reverie.app.bench import pads

    figures = pads.run(0.3)
    assert figures["hits"] > 0 and figures["lost"] == 0
    assert 0 <= figures["late"] <= figures["hits"]
    for stat in ("p50", "p99", "max"):
        event, posted = figures[f"edge_to_event_{stat}_ms"], figures[f"edge_to_posted_{stat}_ms"]
        note, sound = figures[f"edge_to_note_{stat}_ms"], figures[f"edge_to_sound_{stat}_ms"]
        assert all(math.isfinite(v) for v in (event, posted, note, sound))
        assert posted > 0 and sound >= note - 1e-9
    frame_ms = 1e3 / pads.RATE
    # edge -> note is edge -> event plus exactly one period (to a frame): the median of one
    # is the median of the other shifted by the period
    assert abs(figures["edge_to_note_p50_ms"] - figures["edge_to_event_p50_ms"] - figures["period_ms"]) <= 2 * frame_ms
    assert figures["bar_ms"] == pytest.approx(1.0 + figures["period_ms"])
