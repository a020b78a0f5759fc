"""The GPIO bench runs briefly and returns every figure, each plausible."""
import math

from reverie.app.bench.gpio import run


def test_gpio_bench_figures():
    figures = run(0.3)
    assert set(figures) == {
        "scans", "scan_rate_hz", "scan_period_p50_ms", "scan_period_p99_ms", "scan_period_max_ms",
        "scan_overruns", "scan_cost_p50_us", "scan_cost_p99_us", "key_presses",
        "key_latency_p50_ms", "key_latency_p99_ms", "turns", "turn_latency_p50_us",
        "turn_latency_p99_us", "events_lost"}
    for name, value in figures.items():
        assert math.isfinite(value) and value >= 0, name
    assert figures["scans"] > 50 and figures["key_presses"] > 0 and figures["turns"] > 0
    assert figures["events_lost"] == 0
    assert 0 < figures["scan_period_p50_ms"] <= figures["scan_period_p99_ms"] <= figures["scan_period_max_ms"]
    assert figures["key_latency_p50_ms"] >= 5.0         # the debounce time is always in it
    assert 0 < figures["turn_latency_p50_us"] <= figures["turn_latency_p99_us"]
