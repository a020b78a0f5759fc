"""The `ui` bench's control-thread half runs and reports each input kind's timing."""
from reverie.app.bench.control import run


def test_the_control_bench_times_each_kind_of_input_through_the_engine():
    out = run(events=40)
    assert out["commands_refused"] == 0
    for kind in ("pad_step_toggle", "encoder_param", "pad_mute"):
        p50, p99, most = (out[f"{kind}_{s}_ms"] for s in ("p50", "p99", "max"))
        assert 0 < p50 <= p99 <= most < 1000
