"""Helpers for the DSP units' tests: rendering in blocks with parameter changes at given
frames, and spectral measures in dB (docs/units.md, "How a unit is tested")."""
import numpy as np

SR = 48000.0
BLOCKS = [1, 64, 65, 128, 8193]


def blackman_harris7(n):
    """7-term Blackman-Harris window: side lobes below -180 dB, so window leakage does not
    pass for an alias at -100 dB."""
    a = [0.27105140069342, -0.43329793923448, 0.21812299954311, -0.06592544638803,
         0.01081174209837, -0.00077658482522, 0.00001388721735]
    k = 2.0 * np.pi * np.arange(n) / n
    return sum(c * np.cos(i * k) for i, c in enumerate(a))


def power_spectrum(x, sample_rate=SR):
    x = np.asarray(x, dtype=float)
    spec = np.abs(np.fft.rfft(x * blackman_harris7(len(x)))) ** 2
    return np.arange(len(spec)) * sample_rate / len(x), spec


def strongest_non_harmonic_db(x, f0, sample_rate=SR, guard=12):
    """The strongest component that is not a harmonic of f0 (nor DC), in dB relative to the
    fundamental, over 0..sample_rate/2, and its frequency. Each component's power is summed
    over +-guard bins (the 7-term window's main lobe is +-4 bins)."""
    freqs, spec = power_spectrum(x, sample_rate)
    n = len(x)
    bins = lambda f: slice(max(0, int(round(f * n / sample_rate)) - guard),
                           int(round(f * n / sample_rate)) + guard + 1)
    fundamental = spec[bins(f0)].sum()
    rest = spec.copy()
    rest[:guard + 1] = 0.0
    h = 1
    while (h - 1) * f0 <= sample_rate / 2:
        rest[bins(h * f0)] = 0.0
        h += 1
    k = int(np.argmax(rest))
    return 10 * np.log10(rest[max(0, k - guard):k + guard + 1].sum() / fundamental), freqs[k]


def band_db(x, lo_hz, hi_hz, sample_rate=SR):
    """Power between two frequencies, in dB relative to a full-scale sine's."""
    freqs, spec = power_spectrum(x, sample_rate)
    ref = np.sum(blackman_harris7(len(x))) ** 2 / 4
    return 10 * np.log10(spec[(freqs >= lo_hz) & (freqs < hi_hz)].sum() / ref + 1e-30)


def amplitude_at(x, f, sample_rate=SR):
    """The amplitude of the component at f (a sine of amplitude A reads A)."""
    freqs, spec = power_spectrum(x, sample_rate)
    k = int(round(f * len(x) / sample_rate))
    w = blackman_harris7(len(x))
    power = spec[max(0, k - 8):k + 9].sum()
    return np.sqrt(power / (np.sum(w ** 2) * len(x) / 4))


def render_in_blocks(render, frames, block, changes=((0, {}),), **inputs):
    """render(out, **params_and_inputs) called on consecutive slices of `block` frames (and at
    each change, a (frame, params) pair whose params hold from that frame on). Audio-rate
    inputs are sliced along with the output. Returns the whole output."""
    out = np.zeros(frames, dtype=np.float32)
    cuts = sorted({*range(0, frames, block), *(f for f, _ in changes), frames})
    params = {}
    pending = sorted(changes, key=lambda c: c[0])
    for start, stop in zip(cuts[:-1], cuts[1:]):
        while pending and pending[0][0] <= start:
            params.update(pending.pop(0)[1])
        sliced = {k: (None if v is None else v[start:stop]) for k, v in inputs.items()}
        render(out[start:stop], **params, **sliced)
    return out


def max_step(x):
    return float(np.max(np.abs(np.diff(np.asarray(x, dtype=float)))))


def finite(x):
    return bool(np.all(np.isfinite(x)))


def thd_n_db(x, f0, sample_rate=SR, guard=12):
    """Everything but the fundamental (and DC), relative to the fundamental, in dB."""
    freqs, spec = power_spectrum(x, sample_rate)
    k = int(round(f0 * len(x) / sample_rate))
    fundamental = spec[max(0, k - guard):k + guard + 1].sum()
    rest = spec[guard + 1:].sum() - fundamental
    return 10 * np.log10(rest / fundamental)
