"""ADSR and AD envelopes (units/env.pxd): times in ms, exponential decay and release,
retriggers from the current level."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from unitkit import SR, max_step

MS = SR / 1000.0


def adsr(frames, a, d, s, r, curved=0, unit=None):
    unit = unit or U.Adsr(SR)
    out = np.zeros(frames, np.float32)
    unit.render(out, a, d, s, r, curved)
    return out, unit


@pytest.mark.parametrize("curved", [0, 1])
@pytest.mark.parametrize("attack_ms", [1.0, 10.0, 250.0])
def test_the_attack_reaches_full_scale_in_its_time(attack_ms, curved):
    e = U.Adsr(SR)
    e.reset()
    out, _ = adsr(int(attack_ms * MS) + 100, attack_ms, 100.0, 0.5, 100.0, curved, e)
    peak = int(np.argmax(out))
    assert abs(peak + 1 - attack_ms * MS) <= 1.0          # frame k holds the level after k + 1
    if curved:   # an RC charge: past half way in half the time
        assert out[int(attack_ms * MS / 2)] > 0.6
    else:
        assert out[int(attack_ms * MS / 2) - 1] == pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize("sustain", [0.0, 0.3, 0.8])
def test_the_decay_falls_60_db_toward_the_sustain_in_its_time(sustain):
    e = U.Adsr(SR)
    e.reset()
    out, _ = adsr(int(0.5 * SR), 1.0, 100.0, sustain, 100.0, 0, e)
    peak = int(np.argmax(out))
    at = out[peak + int(100.0 * MS)]
    assert at - sustain == pytest.approx(1e-3 * (1 - sustain), rel=0.01)


def test_the_release_falls_60_db_in_its_time_then_ends():
    e = U.Adsr(SR)
    e.reset()
    adsr(4800, 1.0, 50.0, 0.6, 200.0, 0, e)
    e.release()
    out, _ = adsr(int(0.5 * SR), 1.0, 50.0, 0.6, 200.0, 0, e)
    assert out[int(200.0 * MS) - 1] == pytest.approx(0.6e-3, rel=0.01)
    ended = int(np.argmax(out == 0.0))
    assert out[ended - 1] < 1e-4 * 1.01 and np.all(out[ended:] == 0.0)  # ends under -80 dB
    assert not e.active


def test_a_retrigger_starts_the_attack_from_the_current_level():
    e = U.Adsr(SR)
    e.reset()
    first, _ = adsr(2400, 5.0, 30.0, 0.4, 300.0, 0, e)
    e.release()
    rel, _ = adsr(2400, 5.0, 30.0, 0.4, 300.0, 0, e)
    e.reset()
    again, _ = adsr(480, 5.0, 30.0, 0.4, 300.0, 0, e)
    inc = 1.0 / (5.0 * MS)
    assert again[0] - rel[-1] == pytest.approx(inc, rel=1e-3)     # one attack step, no jump
    assert max_step(np.concatenate([first, rel, again])) <= inc * 1.001


def test_the_shortest_times_bound_the_steps():
    """Attack 0 ms is 0.5 ms (24 frames), release 0 ms is 1 ms: the largest steps are 1/24 of
    full scale in the attack and 13.4 % of the level in the release."""
    e = U.Adsr(SR)
    e.reset()
    out, _ = adsr(480, 0.0, 0.0, 0.7, 0.0, 0, e)
    e.release()
    rel, _ = adsr(480, 0.0, 0.0, 0.7, 0.0, 0, e)
    steps = np.abs(np.diff(np.concatenate([[0.0], out, rel])))
    assert steps.max() <= max(1 / 24, 0.134) + 1e-6
    assert np.diff(np.concatenate([[0.0], out]))[:24].max() == pytest.approx(1 / 24, rel=1e-3)


def test_ad_decays_to_silence_without_a_note_off():
    e = U.Ad(SR)
    e.reset()
    out = np.zeros(int(0.4 * SR), np.float32)
    e.render(out, 2.0, 100.0, 0)
    peak = int(np.argmax(out))
    assert out[peak] == 1.0 and peak == pytest.approx(2.0 * MS, abs=1)
    assert out[peak + int(100 * MS)] == pytest.approx(1e-3, rel=0.01)
    assert out[-1] == 0.0 and not e.active
