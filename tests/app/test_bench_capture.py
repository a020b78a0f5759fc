"""`reverie bench capture` gives every figure it promises, in small: how fast is the bench's
business, not the tests'. The ring's bad frames and the tempo readings are checked here too."""
import pytest

from reverie.app.bench import capture


@pytest.mark.timing
def test_the_capture_bench_gives_its_figures():
    out = capture.write_cost(blocks=2000, stage_s=0.2, repeats=1)
    assert 0 < out["ring_write_ns_per_frame"] < 100
    assert out["ring_write_ns_per_callback_128"] == pytest.approx(128 * out["ring_write_ns_per_frame"], rel=0.01)
    assert out["stage_ns_per_frame_with_ring"] > 0 and out["stage_ns_per_frame_without_ring"] > 0
    saved = capture.save_cost(repeats=1, seconds=5)
    assert saved["save_5s_ms"] > 0 and saved["save_5s_kept_s"] > 4.9 and saved["save_5s_bytes"] > 5 * 48000 * 8
    raced = capture.race(0.0, copies=50)
    assert raced["ring_copies"] == 50 and raced["ring_bad_frames"] == 0 and raced["ring_frames_checked"] > 0
    tempo = capture.tempo(tries=3)
    assert tempo["tempo_120bpm_10ms_within_1bpm"] == "3/3" and len(tempo) == 12
