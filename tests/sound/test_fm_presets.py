"""The fm factory presets (firmware/reverie/sound/presets/fm/*.toml): each is valid against
the spec, renders without NaN, is not silent and peaks under 0 dBFS; and each sounds like
its kind, measured: percussive ones decay, the pad swells, the organ holds steady, the bell
is inharmonic, the basses sit low."""
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

import reverie
from fmkit import DELAY, SR, fm_engine, render
from reverie.sound.instruments.fm import FM

FOLDER = Path(reverie.__file__).parent / "sound" / "presets" / "fm"
PRESETS = sorted(FOLDER.glob("*.toml"))
HELD = 48000                    # 1 s held, then 1 s of release


def load(path):
    data = tomllib.loads(path.read_text())
    assert set(data) <= {"name", "instrument", "tags", "note", "params"}
    assert data["instrument"] == "fm" and 1 <= len(data["name"]) <= 12
    values = {key: FM[key].check(value, "params") for key, value in data["params"].items()}
    return data, values


def sound(path, velocity=100):
    data, values = load(path)
    eng = fm_engine(values)
    note = data.get("note", 60)
    eng.note_on(0, note, velocity)
    eng.note_off(0, note, frame=eng.frame + HELD)
    return data, render(eng, 2 * HELD + DELAY)[DELAY:, 0].astype(np.float64)


def rms_db(x):
    return 10 * np.log10(np.mean(np.square(x)) + 1e-30)


def test_there_are_at_least_ten():
    assert len(PRESETS) >= 10
    assert len({load(p)[0]["name"] for p in PRESETS}) == len(PRESETS)


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_renders_clean(path):
    """No NaN, peak under 0 dBFS (with a decibel of room; the output clips at 0), not silent
    (peak over -30 dBFS) at velocity 127 and 100."""
    for velocity in (100, 127):
        _, x = sound(path, velocity)
        peak = 20 * np.log10(np.abs(x).max())
        print(f"{path.stem} velocity {velocity}: peak {peak:.1f} dBFS, held RMS {rms_db(x[:HELD]):.1f} dB")
        assert np.isfinite(x).all()
        assert -30 < peak < -1


def spectrum(x, f0):
    """Power per harmonic-or-not band: (harmonic power, non-harmonic power), over 0..8 kHz."""
    w = x * np.hanning(len(x))
    p = np.abs(np.fft.rfft(w)) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    band = f < 8000
    h = np.abs(f / (f0 / 2) - np.round(f / (f0 / 2))) * (f0 / 2) < 15     # multiples of f0/2
    return p[band & h].sum(), p[band & ~h].sum()


def centroid(x):
    p = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    f = np.fft.rfftfreq(len(x), 1 / SR)
    return float((p * f).sum() / p.sum())


CHARACTER = {
    # percussive: the last 100 ms held are 20 dB or more under the first 100 ms
    "decays": ("e-piano", "tubular-bell", "pluck", "marimba", "metal-hit"),
    # the pad: the first 50 ms are 15 dB or more under 0.6..0.7 s
    "swells": ("soft-pad",),
    # held RMS steady within 1 dB between 0.2-0.3 s and 0.8-0.9 s
    "steady": ("organ", "sub-bass", "fm-lead", "fm-brass"),
}


@pytest.mark.parametrize("kind, slug", [(k, s) for k, slugs in CHARACTER.items() for s in slugs])
def test_preset_has_its_envelope(kind, slug):
    _, x = sound(FOLDER / f"{slug}.toml")
    cut = lambda a, b: x[int(a * SR):int(b * SR)]     # noqa: E731
    if kind == "decays":
        drop = rms_db(cut(0, 0.1)) - rms_db(cut(0.9, 1.0))
        print(f"{slug}: {drop:.1f} dB down after 0.9 s")
        assert drop > 20 if slug != "tubular-bell" else drop > 6      # a bell rings on
    elif kind == "swells":
        rise = rms_db(cut(0.6, 0.7)) - rms_db(cut(0, 0.05))
        print(f"{slug}: {rise:.1f} dB up at 0.6 s")
        assert rise > 15
    else:
        change = abs(rms_db(cut(0.8, 0.9)) - rms_db(cut(0.2, 0.3)))
        print(f"{slug}: {change:.2f} dB between 0.25 s and 0.85 s")
        assert change < 1.0


def test_the_bell_is_inharmonic_and_the_organ_is_not():
    """Power off the note's harmonic series (multiples of f0 / 2, +-15 Hz): over 15 % of the
    bell's (its carrier sits on the series; the sidebands do not), under 1 % of the organ's."""
    data, bell = sound(FOLDER / "tubular-bell.toml")
    f0 = 440 * 2 ** ((data["note"] - 69) / 12)
    h, n = spectrum(bell[2400:HELD], f0)
    data, organ = sound(FOLDER / "organ.toml")
    oh, on = spectrum(organ[2400:HELD], 440 * 2 ** ((data["note"] - 69) / 12))
    print(f"bell: {10 * math.log10(n / h):.1f} dB off the series; organ: {10 * math.log10(on / oh):.1f} dB")
    assert n > 0.15 * (n + h) and on < 0.01 * (on + oh)


def test_the_basses_sit_low_and_the_pluck_darkens():
    low = {slug: centroid(sound(FOLDER / f"{slug}.toml")[1][4800:24000]) for slug in ("fm-bass", "sub-bass")}
    _, pluck = sound(FOLDER / "pluck.toml")
    early, late = centroid(pluck[:2400]), centroid(pluck[14400:24000])
    print(f"centroids: {low}, pluck {early:.0f} Hz -> {late:.0f} Hz")
    assert max(low.values()) < 400 and late < 0.7 * early
