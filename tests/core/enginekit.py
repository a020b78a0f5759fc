"""Helpers for engine tests: an engine with a neutral master, test signals and measures."""
import numpy as np

from reverie.sound.buses import make_engine
from reverie.core.defs import MasterParam as M, TrackParam as P


def neutral_engine(sample_rate=48000.0):
    """An engine whose master chain does not colour the signal: compressor at ratio 1,
    limiter ceiling at 0 dBFS (signals in these tests stay well below it), no fx return."""
    eng = make_engine(sample_rate)
    eng.set_master(M.M_COMP_RATIO, 1.0)
    eng.set_master(M.M_LIMIT_CEILING, 0.0)
    return eng


def loop_sine(sample_rate, period_frames, amplitude=0.25, seconds=1.0):
    """A stereo sine whose length is a whole number of periods, so a forward loop over the
    whole buffer is seamless."""
    periods = max(1, int(seconds * sample_rate / period_frames))
    n = periods * period_frames
    x = amplitude * np.sin(2 * np.pi * np.arange(n) / period_frames)
    return np.stack([x, x], axis=1).astype(np.float32)


def constant(value, frames):
    return np.full((frames, 2), value, dtype=np.float32)


def render(eng, frames, block=256):
    out = np.zeros((frames, 2), dtype=np.float32)
    for start in range(0, frames, block):
        eng.render(out[start:start + block])
    return out


def looping_track(eng, track, slot, cutoff_hz=20000.0):
    eng.set_param(track, P.P_SAMPLE, slot)
    eng.set_param(track, P.P_LOOP_MODE, 1)
    eng.set_param(track, P.P_CUTOFF, cutoff_hz)


def amplitude(x):
    return float(np.sqrt(2.0 * np.mean(np.square(x, dtype=np.float64))))


def db(ratio):
    return 20.0 * np.log10(ratio)


def limiter_delay(eng_sample_rate):
    """Frames the limiter's look-ahead delays the output by (see fx.pxd)."""
    return int(0.0015 * eng_sample_rate + 0.5) - 1

