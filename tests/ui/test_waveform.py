import numpy as np
import pytest

from reverie.ui.waveform import COLUMNS, Overview, overview


def test_a_sine_of_whole_cycles_per_column_reaches_its_peaks_in_every_column():
    frames = COLUMNS * 480                  # 480 frames a column, 100 Hz at 48 kHz: one cycle each
    t = np.arange(frames) / 48000
    ov = overview((0.5 * np.sin(2 * np.pi * 100 * t)).astype(np.float32))
    assert len(ov.lows) == len(ov.highs) == COLUMNS
    assert all(h == pytest.approx(0.5, abs=1e-4) for h in ov.highs)
    assert all(lo == pytest.approx(-0.5, abs=1e-4) for lo in ov.lows)
    assert ov.frames == frames and ov.seconds == pytest.approx(frames / 48000)


def test_a_slow_sine_traces_its_shape_across_the_columns():
    frames = COLUMNS * 100
    x = np.sin(2 * np.pi * np.arange(frames) / frames).astype(np.float32)   # one cycle
    ov = overview(x)
    peak = int(np.argmax(ov.highs))
    trough = int(np.argmin(ov.lows))
    assert peak in (31, 32) and trough in (95, 96)
    assert ov.highs[0] > 0 > ov.lows[COLUMNS - 1]
    assert max(ov.highs) == pytest.approx(1.0, abs=1e-3)


def test_silence_is_flat_zero():
    ov = overview(np.zeros((9600, 2), np.float32))
    assert set(ov.lows) == {0.0} and set(ov.highs) == {0.0}


def test_an_empty_sample_is_flat_and_has_no_length():
    ov = overview(np.zeros((0, 2), np.float32))
    assert ov.frames == 0 and len(ov.highs) == COLUMNS and set(ov.highs) == {0.0}


def test_a_sample_shorter_than_the_screen_spreads_each_frame_over_its_columns():
    x = np.array([0.1, -0.2, 0.3, -0.4], np.float32)
    ov = overview(x)
    # 4 frames over 128 columns: 32 columns each, in order, no empty column.
    assert ov.highs[:32] == pytest.approx((0.1,) * 32)
    assert ov.lows[32:64] == pytest.approx((-0.2,) * 32)
    assert ov.highs[64:96] == pytest.approx((0.3,) * 32)
    assert ov.lows[96:] == pytest.approx((-0.4,) * 32)


def test_a_single_frame_fills_the_width():
    ov = overview(np.array([[0.25, -0.5]], np.float32))
    assert set(ov.highs) == {0.25} and set(ov.lows) == {-0.5}


def test_stereo_takes_the_extremes_of_both_channels_so_opposite_channels_do_not_cancel():
    frames = COLUMNS * 10
    left = np.full(frames, 0.6, np.float32)
    stereo = np.stack([left, -left], axis=1)       # a mix (L + R) / 2 would be silence
    ov = overview(stereo)
    assert ov.highs == pytest.approx((0.6,) * COLUMNS) and ov.lows == pytest.approx((-0.6,) * COLUMNS)


def test_a_hard_panned_hit_shows_in_its_column_only():
    frames = COLUMNS * 10
    stereo = np.zeros((frames, 2), np.float32)
    stereo[505, 1] = -0.9                          # right channel only, in column 50
    ov = overview(stereo)
    assert ov.lows[50] == pytest.approx(-0.9)
    assert [i for i, v in enumerate(ov.lows) if v != 0] == [50]


def test_the_overview_is_comparable_frozen_data():
    x = np.linspace(-1, 1, 1000, dtype=np.float32)
    assert overview(x) == overview(x.copy())
    assert overview(x) != overview(x * 0.5)
    with pytest.raises(AttributeError):
        overview(x).frames = 3


def test_a_failed_overview_carries_its_message():
    ov = Overview.failed("kick.wav: not a sound file")
    assert ov.error == "kick.wav: not a sound file" and ov.frames == 0 and len(ov.lows) == COLUMNS


def test_a_bad_shape_is_refused():
    with pytest.raises(ValueError, match="frames"):
        overview(np.zeros((2, 2, 2), np.float32))
