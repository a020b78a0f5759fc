"""The seq-onsets bench's dense pattern, offline: every onset on its ideal frame."""
from reverie.app.bench.seq import offline_onsets


def test_dense_pattern_onsets_are_exact_offline():
    for block in (64, 173):
        result = offline_onsets(4.0, block)
        assert result["onsets"] > 400
        assert result["matched"] and result["max_error_frames"] == 0
