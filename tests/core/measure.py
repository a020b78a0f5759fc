"""Spectral measures for tests in physical units."""
import numpy as np


def blackman_harris(n):
    """4-term Blackman-Harris window: side lobes below -92 dB, so leakage does not pass
    for distortion."""
    k = 2.0 * np.pi * np.arange(n) / (n - 1)
    return 0.35875 - 0.48829 * np.cos(k) + 0.14128 * np.cos(2 * k) - 0.01168 * np.cos(3 * k)


def thd_n_db(x, sample_rate, freq_hz, width_bins=8):
    """Everything but the fundamental, relative to the fundamental (THD+N), in dB.
    Blackman-Harris window; bins within `width_bins` of the fundamental count as signal."""
    n = len(x)
    w = blackman_harris(n)
    spec = np.abs(np.fft.rfft(x * w)) ** 2
    spec[:3] = 0.0                                  # DC leakage is not distortion
    k = int(round(freq_hz * n / sample_rate))
    lo, hi = max(0, k - width_bins), k + width_bins + 1
    fundamental = spec[lo:hi].sum()
    rest = spec.sum() - fundamental
    return 10.0 * np.log10(rest / fundamental)


def peak_hz(x, sample_rate):
    n = len(x)
    spec = np.abs(np.fft.rfft(x * np.hanning(n)))
    k = int(np.argmax(spec))
    # parabolic interpolation of the peak
    a, b, c = np.log(spec[k - 1:k + 2] + 1e-30)
    offset = 0.5 * (a - c) / (a - 2 * b + c)
    return (k + offset) * sample_rate / n
