"""Ableton Link: the alignment policy, in simulation (no network)."""
import math
import random

import pytest

from reverie.sync.link_policy import (LOCATE_BEATS, MAX_NUDGE, NUDGE_TIME_CONSTANT_BEATS,
                                      PHASE_TOLERANCE_BEATS, Action, link_correction,
                                      next_quantum_beat, wrap_phase)

TAU = NUDGE_TIME_CONSTANT_BEATS
TICKS_PER_BEAT = 57600      # docs/sequencer.md


# --------------------------------------------------------------------------- policy

@pytest.mark.parametrize("beats, quantum, wrapped", [
    (0.0, 4, 0.0), (0.25, 4, 0.25), (-0.25, 4, -0.25), (1.999, 4, 1.999),
    (2.0, 4, -2.0), (-2.0, 4, -2.0), (3.9, 4, -0.1), (4.1, 4, 0.1), (-4.1, 4, -0.1),
    (1e6 + 0.125, 4, 0.125), (-1e6 - 0.125, 4, -0.125), (2.5, 3, -0.5), (0.4, 1, 0.4),
])
def test_phase_wraps_to_half_a_quantum_either_side(beats, quantum, wrapped):
    assert wrap_phase(beats, quantum) == pytest.approx(wrapped, abs=1e-9)


def test_in_phase_follows_links_tempo_whatever_the_engines():
    c = link_correction(90.0, 16.001, 133.5, 4.0, 4)
    assert c.action is Action.FOLLOW
    assert c.tempo_bpm == c.link_tempo_bpm == 133.5 and c.send_tempo
    assert c.phase_error_beats == pytest.approx(0.001)
    assert c.locate_tick is None and c.nudge_beats == 0
    assert not link_correction(133.5, 16.001, 133.5, 4.0, 4).send_tempo


@pytest.mark.parametrize("engine_beat, link_beat, error", [
    (8.05, 4.0, 0.05),      # ahead: slow down
    (7.97, 4.0, -0.03),     # behind: speed up
    (3.98, 4.01, -0.03),    # across the bar line: the engine's bar ends, Link's began
    (0.01, 3.99, 0.02),     # the other way across it
    (7.99, 100.0, -0.01),   # beat numbers differ by whole quanta: only the phase counts
    (-0.02, 0.03, -0.05),   # negative engine beats (a count-in)
])
def test_small_errors_nudge_the_tempo_toward_link(engine_beat, link_beat, error):
    c = link_correction(120.0, engine_beat, 120.0, link_beat, 4)
    assert c.action is Action.NUDGE
    assert c.phase_error_beats == pytest.approx(error, abs=1e-9)
    # proportional to the error, up to MAX_NUDGE
    offset = c.tempo_bpm / 120 - 1
    assert offset == pytest.approx(-math.copysign(min(abs(error) / TAU, MAX_NUDGE), error))
    # run at this tempo for nudge_beats of Link's and the error is gone
    engine_gain = c.nudge_beats * c.tempo_bpm / c.link_tempo_bpm
    assert error + engine_gain - c.nudge_beats == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("engine_beat, link_beat, quantum, target", [
    (0.5, 2.3, 4, 2.3),         # just started, Link mid-bar: jump forward 1.8 beats
    (3.0, 0.5, 4, 4.5),         # error +2.5 wraps to -1.5: forward to the next bar's phase
    (17.5, 1.0, 4, 17.0),       # half a beat ahead: back
    (9.0, 123.25, 4, 7.25),     # beat numbers far apart: the nearest position in Link's phase
    (5.0, 6.9, 3, 3.9),         # quantum 3 (a 3/4 bar): error -1.9 wraps to +1.1
    (-0.5, 0.25, 4, 0.25),      # a count-in that started late
])
def test_large_errors_locate_to_the_nearest_position_in_links_phase(engine_beat, link_beat,
                                                                    quantum, target):
    c = link_correction(120.0, engine_beat, 127.0, link_beat, quantum)
    assert c.action is Action.LOCATE
    assert c.tempo_bpm == 127.0
    assert c.locate_beat == pytest.approx(target, abs=1e-9)
    assert c.locate_tick == round(target * TICKS_PER_BEAT)
    assert abs(c.locate_beat - engine_beat) <= quantum / 2
    assert wrap_phase(c.locate_beat - link_beat, quantum) == pytest.approx(0, abs=1e-9)


def test_thresholds_between_follow_nudge_and_locate():
    def action(error):
        return link_correction(120.0, 8.0 + error, 120.0, 8.0, 4).action
    assert action(PHASE_TOLERANCE_BEATS * 0.99) is Action.FOLLOW
    assert action(-PHASE_TOLERANCE_BEATS * 0.99) is Action.FOLLOW
    assert action(PHASE_TOLERANCE_BEATS * 1.01) is Action.NUDGE
    assert action(-LOCATE_BEATS * 0.99) is Action.NUDGE
    assert action(LOCATE_BEATS * 1.01) is Action.LOCATE
    assert action(-LOCATE_BEATS * 1.01) is Action.LOCATE


@pytest.mark.parametrize("link_tempo, clamped", [(400.0, 300.0), (15.0, 20.0)])
def test_link_tempo_beyond_the_engines_range_is_clamped_and_the_phase_left(link_tempo, clamped):
    c = link_correction(120.0, 0.5, link_tempo, 2.0, 4)
    assert c.action is Action.OUT_OF_RANGE
    assert c.tempo_bpm == clamped
    assert c.locate_tick is None


def test_at_the_range_ends_a_nudge_that_has_no_room_becomes_a_locate():
    assert link_correction(300.0, 8.03, 300.0, 8.0, 4).tempo_bpm < 300.0
    assert link_correction(20.0, 7.97, 20.0, 8.0, 4).tempo_bpm > 20.0
    for tempo, engine_beat in ((300.0, 7.97), (20.0, 8.03)):
        c = link_correction(tempo, engine_beat, tempo, 8.0, 4)
        assert c.action is Action.LOCATE and c.tempo_bpm == tempo and c.locate_beat == 8.0
    c = link_correction(298.0, 7.97, 298.0, 8.0, 4)      # some room: a slower nudge
    assert c.action is Action.NUDGE and c.tempo_bpm == 300.0
    assert c.nudge_beats == pytest.approx(0.03 / (300 / 298 - 1))


@pytest.mark.parametrize("kwargs, name", [
    ({"engine_beat": math.nan}, "engine_beat"), ({"link_beat": math.inf}, "link_beat"),
    ({"link_tempo": 0.0}, "link_tempo"), ({"link_tempo": -120.0}, "link_tempo"),
    ({"quantum": 0.0}, "quantum"), ({"quantum": -4.0}, "quantum"),
    ({"engine_tempo": math.nan}, "engine_tempo"),
])
def test_bad_numbers_are_refused_with_their_name(kwargs, name):
    args = {"engine_tempo": 120.0, "engine_beat": 1.0, "link_tempo": 120.0, "link_beat": 1.0,
            "quantum": 4.0, **kwargs}
    with pytest.raises(ValueError, match=name):
        link_correction(**args)


def test_next_quantum_beat():
    assert next_quantum_beat(0.0, 4) == 0.0
    assert next_quantum_beat(0.01, 4) == 4.0
    assert next_quantum_beat(7.99, 4) == 8.0
    assert next_quantum_beat(-1.5, 4) == 0.0
    assert next_quantum_beat(-5.0, 4) == -4.0
    assert next_quantum_beat(4.5, 3) == 6.0


class Simulation:
    """The engine's and Link's beats over time, with the app polling `link_correction`.

    `restore`: the app schedules the return to Link's tempo nudge_beats after a nudge
    (dead-beat); without it, it re-applies the correction at every poll (proportional).
    `drift_ppm`: the audio clock against Link's. `noise_ms`: error of the engine's stamp.
    """

    def __init__(self, link_tempo, error, poll_s, restore, drift_ppm=0.0, noise_ms=0.0, seed=1):
        self.link_tempo, self.engine_tempo = link_tempo, link_tempo
        self.link_beat, self.engine_beat = 100.0, 100.0 + error
        self.poll_s, self.restore = poll_s, restore
        self.rate = 1 + drift_ppm * 1e-6
        self.noise_ms = noise_ms
        self.rng = random.Random(seed)
        self.t = 0.0
        self.restore_at = None
        self.actions = []

    def advance(self, dt):
        if self.restore_at is not None and self.t + dt >= self.restore_at:
            first = self.restore_at - self.t
            self._run(first)
            self.engine_tempo, self.restore_at = self.link_tempo, None
            dt -= first
        self._run(dt)

    def _run(self, dt):
        self.t += dt
        self.link_beat += self.link_tempo / 60 * dt
        self.engine_beat += self.engine_tempo / 60 * dt * self.rate

    def error(self):
        return wrap_phase(self.engine_beat - self.link_beat, 4)

    def poll(self):
        seen = self.engine_beat + self.rng.gauss(0, self.noise_ms / 1000) * self.engine_tempo / 60
        c = link_correction(self.engine_tempo, seen, self.link_tempo, self.link_beat, 4)
        self.actions.append(c.action)
        if c.action is Action.LOCATE:
            self.engine_beat = c.locate_beat
        self.engine_tempo = c.tempo_bpm
        if c.action is Action.NUDGE and self.restore:
            self.restore_at = self.t + c.nudge_beats * 60 / c.link_tempo_bpm
        return c

    def run(self, seconds):
        errors = []
        while self.t < seconds:
            self.poll()
            self.advance(self.poll_s)
            errors.append((self.t * self.link_tempo / 60, self.error(), self.engine_tempo))
        return errors


def nudge_cases():
    """(restore, tempo, poll_s): re-applying at every poll is only promised for polls of at
    most TAU; with the return scheduled, any poll interval."""
    for tempo in (60.0, 120.0, 240.0):     # 300 BPM leaves no room above: see above
        for poll_s in (0.01, 0.05, 0.2, 0.5):
            poll_beats = poll_s * tempo / 60
            yield pytest.param(True, tempo, poll_s, id=f"scheduled-return-{tempo:g}bpm-{poll_s:g}s")
            if poll_beats <= TAU:
                yield pytest.param(False, tempo, poll_s, id=f"re-applied-{tempo:g}bpm-{poll_s:g}s")


def settling_beats(error):
    """Beats for a nudge to bring `error` within tolerance: at MAX_NUDGE down to
    MAX_NUDGE * TAU, then a decay with time constant TAU."""
    linear = max(0.0, abs(error) - MAX_NUDGE * TAU) / MAX_NUDGE
    return linear + TAU * math.log(min(abs(error), MAX_NUDGE * TAU) / PHASE_TOLERANCE_BEATS)


def test_the_largest_nudged_error_settles_within_two_beats():
    assert settling_beats(LOCATE_BEATS) < 2.0
    assert settling_beats(0.01) < 1.0


@pytest.mark.parametrize("restore, tempo, poll_s", list(nudge_cases()))
@pytest.mark.parametrize("error", [0.06, -0.06, 0.01, -0.004])
def test_nudging_converges_without_overshoot_or_a_jump(restore, tempo, poll_s, error):
    sim = Simulation(tempo, error, poll_s, restore)
    trace = sim.run(seconds=max(8 * 60 / tempo, 4 * poll_s))
    assert Action.LOCATE not in sim.actions
    errors = [abs(e) for _, e, _ in trace]
    assert all(b <= a + 1e-12 for a, b in zip(errors, errors[1:])), "the error grew"
    assert all(math.copysign(1, e) == math.copysign(1, error) or abs(e) < 1e-9
               for _, e, _ in trace), "the error overshot through zero"
    assert all(abs(t / tempo - 1) <= MAX_NUDGE + 1e-12 for _, _, t in trace)
    within = settling_beats(error) + 2 * poll_s * tempo / 60
    done = [abs(e) <= PHASE_TOLERANCE_BEATS for b, e, _ in trace if b >= within]
    assert done and all(done)
    assert trace[-1][2] == tempo, "the tempo did not return to Link's"


@pytest.mark.parametrize("restore", [True, False], ids=["scheduled-return", "re-applied"])
def test_a_join_locates_once_then_holds_phase_against_drift_and_stamp_noise(restore):
    # joined a quarter beat off; the sound card runs 100 ppm fast; stamps jitter by 0.25 ms
    sim = Simulation(120.0, 0.25, 0.03, restore, drift_ppm=100.0, noise_ms=0.25)
    trace = sim.run(seconds=120.0)
    assert sim.actions[0] is Action.LOCATE and sim.actions.count(Action.LOCATE) == 1
    worst = max(abs(e) for _, e, _ in trace[10:])
    assert worst < 2 * PHASE_TOLERANCE_BEATS
    assert max(abs(t / 120 - 1) for _, _, t in trace[10:]) < 0.01


def test_a_tempo_change_by_a_peer_is_caught_by_nudging_not_locating():
    sim = Simulation(120.0, 0.0, 0.05, restore=True)
    sim.run(seconds=2.0)
    sim.link_tempo = 133.5
    sim.advance(0.045)              # the engine hears of it 45 ms later, at its next poll
    trace = sim.run(seconds=6.0)
    assert sim.actions.count(Action.NUDGE) >= 1 and Action.LOCATE not in sim.actions
    assert abs(trace[-1][1]) <= PHASE_TOLERANCE_BEATS and trace[-1][2] == 133.5
