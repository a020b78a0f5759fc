"""FrameClock against synthetic anchors whose true sample clock is known: it locks, keeps a
small part of the callbacks' jitter, follows a drifting sample rate, and takes steps."""
import numpy as np
import pytest

from reverie.sync.frameclock import FrameClock

SR = 48000
PERIOD = 128
T0_NS = 5_000_000_000_000


def true_time(frame, rate_hz=SR):
    return T0_NS + frame * 1e9 / rate_hz


def feed(clock, seconds, rate_hz=SR, jitter="normal", sigma_ns=200_000, every=1, seed=1,
         frame0=0, settle_s=5.0):
    """Feeds anchors every `every` periods for `seconds`; returns the estimate's error (ns)
    at the next period's start, sampled after `settle_s`."""
    rng = np.random.default_rng(seed)
    errors = []
    for k in range(0, int(seconds * SR / PERIOD), every):
        frame = frame0 + k * PERIOD
        if jitter == "normal":
            late = rng.normal(0.0, sigma_ns)
        else:  # callbacks only ever start late: exponential, its mean taken off below
            late = rng.exponential(sigma_ns) - sigma_ns
        clock.update(frame, int(true_time(frame, rate_hz) + late))
        if k * PERIOD / SR >= settle_s:
            ahead = frame + PERIOD
            errors.append(clock.sample_time_of(ahead) - true_time(ahead, rate_hz))
    return np.array(errors)


def test_it_locks_and_keeps_a_small_part_of_the_jitter():
    clock = FrameClock(SR, PERIOD)
    errors = feed(clock, 20.0, sigma_ns=200_000)
    assert abs(errors.mean()) < 10_000                # ns
    assert errors.std() < 200_000 / 4                 # measured: 26 us for 200 us in
    assert np.abs(errors).max() < 200_000
    assert clock.outliers == 0 and clock.steps == 0


def test_it_locks_within_two_seconds():
    clock = FrameClock(SR, PERIOD)
    rng = np.random.default_rng(2)
    errors = []
    for k in range(int(3.0 * SR / PERIOD)):
        frame = k * PERIOD
        clock.update(frame, int(true_time(frame) + rng.normal(0, 200_000)))
        if k * PERIOD / SR > 2.0:
            errors.append(clock.sample_time_of(frame) - true_time(frame))
    assert np.abs(errors).max() < 150_000


@pytest.mark.parametrize("ppm", [100, -100])
def test_it_follows_a_sample_rate_off_by_100_ppm(ppm):
    rate = SR * (1 + ppm * 1e-6)
    clock = FrameClock(SR, PERIOD)
    errors = feed(clock, 20.0, rate_hz=rate, jitter="exponential", sigma_ns=150_000)
    assert abs(errors.mean()) < 10_000
    assert errors.std() < 150_000 / 3
    # Each update moves the rate a little (measured: sigma 71 ppm); on average it is right.
    rng, rates = np.random.default_rng(3), []
    for k in range(int(20.0 * SR / PERIOD), int(30.0 * SR / PERIOD)):
        late = rng.exponential(150_000)
        clock.update(k * PERIOD, int(true_time(k * PERIOD, rate) + late - 150_000))
        rates.append(clock.sample_rate_estimate_hz)
    assert np.mean(rates) == pytest.approx(rate, rel=5e-6)


def test_sparse_anchors_still_lock():
    clock = FrameClock(SR, PERIOD)
    errors = feed(clock, 20.0, every=7, sigma_ns=200_000)   # an anchor every 18.7 ms
    assert abs(errors.mean()) < 20_000
    assert errors.std() < 200_000 / 2


def test_a_lone_late_callback_is_left_out():
    clock = FrameClock(SR, PERIOD)
    feed(clock, 5.0, sigma_ns=0)
    frame = int(5.0 * SR) // PERIOD * PERIOD + PERIOD
    clock.update(frame, int(true_time(frame) + 8_000_000))    # 8 ms late once
    clock.update(frame + PERIOD, int(true_time(frame + PERIOD)))
    assert clock.outliers == 1 and clock.steps == 0
    assert abs(clock.sample_time_of(frame + 2 * PERIOD) - true_time(frame + 2 * PERIOD)) < 1_000


def test_a_stalled_server_is_a_step_the_phase_follows_at_once():
    clock = FrameClock(SR, PERIOD)
    feed(clock, 5.0, sigma_ns=0)
    stall_ns = 30_000_000                                     # the clock stopped for 30 ms
    frame = int(5.0 * SR) // PERIOD * PERIOD + PERIOD
    for k in range(3):
        f = frame + k * PERIOD
        clock.update(f, int(true_time(f) + stall_ns))
    assert clock.steps == 1
    f = frame + 3 * PERIOD
    assert abs(clock.sample_time_of(f) - (true_time(f) + stall_ns)) < 1_000


def test_time_of_adds_the_output_latency_and_frame_at_inverts_the_sample_time():
    clock = FrameClock(SR, PERIOD)
    assert clock.latency_frames == PERIOD
    clock.update(0, T0_NS)
    assert clock.time_of(480) == pytest.approx(T0_NS + (480 + PERIOD) * 1e9 / SR, abs=1)
    assert clock.frame_at(clock.sample_time_of(12345)) == pytest.approx(12345)
    assert FrameClock(SR, PERIOD, latency_frames=0).latency_frames == 0


def test_it_starts_again_when_the_engine_counts_from_zero_again_or_goes_quiet():
    clock = FrameClock(SR, PERIOD)
    with pytest.raises(RuntimeError):
        clock.time_of(0)
    feed(clock, 3.0, sigma_ns=0, frame0=10 ** 9)
    clock.update(0, T0_NS + 60 * 10 ** 9)
    assert clock.restarts == 1
    assert clock.sample_time_of(0) == T0_NS + 60 * 10 ** 9
    clock.update(PERIOD, T0_NS + 100 * 10 ** 9)              # the stream stood still 40 s
    assert clock.restarts == 2 and clock.sample_time_of(PERIOD) == T0_NS + 100 * 10 ** 9
    clock.reset()
    assert not clock.ready and clock.restarts == 0


def test_it_rejects_nonsense():
    with pytest.raises(ValueError):
        FrameClock(0, PERIOD)
    with pytest.raises(ValueError):
        FrameClock(SR, 0)


def test_the_period_it_is_told_later_moves_the_latency_and_keeps_the_line():
    """The device turned out to run at 512 frames, not the 128 configured (a JACK server's
    own): time_of() adds the new latency, the anchor line stays, and a callback 3 ms late
    (an outlier at 128 frames, jitter at 512) pulls the line instead of being left out."""
    clock = FrameClock(SR, PERIOD, latency_frames=PERIOD + 71)
    feed(clock, 6.0, sigma_ns=0)
    before = clock.sample_time_of(10 * SR)
    clock.set_period(512, 512 + 71)
    assert clock.sample_time_of(10 * SR) == before
    assert clock.time_of(10 * SR) == round(clock.sample_time_of(10 * SR + 512 + 71))
    frame = int(6.0 * SR) // PERIOD * PERIOD + PERIOD
    clock.update(frame, int(true_time(frame) + 3_000_000))
    assert clock.outliers == 0
    with pytest.raises(ValueError):
        clock.set_period(0, 71)
