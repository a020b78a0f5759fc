#!/usr/bin/env python3
"""Generates firmware/reverie/core/units/tables.h, the DSP units' lookup tables (docs/units.md).

    python tools/make_unit_tables.py           # writes the header
    python tools/make_unit_tables.py --check   # exit 1 when the header differs from what this makes
    python tools/make_unit_tables.py --report  # prints the kernel's figures

The header is generated, never edited by hand (tests/core/units/test_tables.py checks that it
is what this script makes). Tables:
- unit_sine: one cycle of sin(2 pi x), SINE_SIZE points and a guard point, read with linear
  interpolation (peak error 1.2e-6, -118 dB).
- unit_blep, unit_blamp: the residuals of a band-limited step and ramp, BLEP_TAPS taps for
  BLEP_PHASES + 1 sub-sample positions (linear interpolation between rows). The kernel is a
  Kaiser-windowed sinc, linear phase, so an oscillator's output is BLEP_TAPS / 2 frames late.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "firmware" / "reverie" / "core" / "units" / "tables.h"

SINE_SIZE = 2048
BLEP_TAPS = 32          # the kernel spans 32 frames: 16 before and 16 after the discontinuity
BLEP_PHASES = 128       # sub-sample positions (rows), interpolated linearly
CUTOFF = 0.42           # cycles per frame: 20.2 kHz at 48 kHz
KAISER_BETA = 8.0       # stop band from fs/2 on: below -80 dB
FINE = 64               # integration points per row step


def kernel(t: np.ndarray) -> np.ndarray:
    """The band-limiting kernel h(t), t in frames, zero outside +-BLEP_TAPS/2."""
    half = BLEP_TAPS / 2
    x = np.clip(t / half, -1.0, 1.0)
    window = np.i0(KAISER_BETA * np.sqrt(1.0 - x * x)) / np.i0(KAISER_BETA)
    return np.where(np.abs(t) <= half, 2 * CUTOFF * np.sinc(2 * CUTOFF * t) * window, 0.0)


def residuals() -> tuple[np.ndarray, np.ndarray]:
    """BLEP and BLAMP residuals sampled at tau = k - TAPS/2 + phase/PHASES for k in taps and
    phase in 0..PHASES: the band-limited step (ramp) minus the ideal one."""
    half = BLEP_TAPS // 2
    step = 1.0 / (BLEP_PHASES * FINE)
    t = np.arange(-half * BLEP_PHASES * FINE, half * BLEP_PHASES * FINE + 1) * step
    h = kernel(t)
    # cumulative trapezoid: the band-limited step, then its integral, the band-limited ramp
    s = np.concatenate([[0.0], np.cumsum((h[1:] + h[:-1]) * 0.5 * step)])
    s /= s[-1]
    # the band-limited ramp is the integral of the (smooth) band-limited step; integrating the
    # residual instead would smear its jump at 0 over one grid step
    ramp = np.concatenate([[0.0], np.cumsum((s[1:] + s[:-1]) * 0.5 * step)]) - np.maximum(t, 0.0)
    blep = np.empty((BLEP_PHASES + 1, BLEP_TAPS))
    blamp = np.empty((BLEP_PHASES + 1, BLEP_TAPS))
    for phase in range(BLEP_PHASES + 1):
        for k in range(BLEP_TAPS):
            idx = (k * BLEP_PHASES + phase) * FINE
            # within one tap's row tau never crosses 0 except at the row's ends, where the
            # ideal step takes the side of the row (so each row is smooth in phase)
            side = 1.0 if k >= half else 0.0
            blep[phase, k] = s[idx] - side
            blamp[phase, k] = ramp[idx]       # already minus the ideal ramp max(tau, 0)
    return blep, blamp


def report() -> None:
    f = np.linspace(0.0, 3.0, 6001)                  # in units of the sample rate
    t = np.arange(-BLEP_TAPS / 2, BLEP_TAPS / 2, 1.0 / 64)
    h = kernel(t)
    spectrum = np.abs(np.exp(-2j * np.pi * np.outer(f, t)) @ h) / 64
    db = 20 * np.log10(np.maximum(spectrum / spectrum[0], 1e-12))
    stop = db[f >= 0.5].max()
    pass_edge = f[np.argmax(db < -1.0)]
    print(f"kernel: {BLEP_TAPS} taps, cutoff {CUTOFF} fs, Kaiser beta {KAISER_BETA}")
    print(f"  -1 dB at {pass_edge:.4f} fs ({pass_edge * 48000:.0f} Hz at 48 kHz)")
    print(f"  strongest response at or above fs/2: {stop:.1f} dB")
    blep, blamp = residuals()
    mid = 0.5 * (blep[1:] + blep[:-1])
    _, fine_blep = residuals_at_half_rows()
    print(f"  BLEP row interpolation error: {np.abs(fine_blep - mid).max():.2e}")
    x = np.arange(SINE_SIZE * 8) / (SINE_SIZE * 8)
    table = np.sin(2 * np.pi * np.arange(SINE_SIZE + 1) / SINE_SIZE)
    approx = np.interp(x * SINE_SIZE, np.arange(SINE_SIZE + 1), table)
    print(f"  sine table peak error: {np.abs(approx - np.sin(2 * np.pi * x)).max():.2e}")


def residuals_at_half_rows() -> tuple[np.ndarray, np.ndarray]:
    """The BLEP residual half-way between rows, to measure the row interpolation error."""
    global BLEP_PHASES
    saved = BLEP_PHASES
    BLEP_PHASES = saved * 2
    try:
        blep, _ = residuals()
    finally:
        BLEP_PHASES = saved
    return blep, blep[1::2]


def c_float(v: float) -> str:
    text = f"{v:.9g}"
    return text + ("f" if any(c in text for c in ".en") else ".0f")


def c_array(name: str, values: np.ndarray) -> str:
    flat = np.asarray(values, dtype=np.float32)
    dims = "".join(f"[{d}]" for d in flat.shape)
    rows = flat.reshape(-1, flat.shape[-1]) if flat.ndim > 1 else flat.reshape(-1, 8)
    if flat.ndim > 1:
        lines = ["    {" + " ".join(c_float(v) + "," for v in row.tolist()) + "}," for row in rows]
    else:
        lines = ["    " + " ".join(c_float(v) + "," for v in row.tolist()) for row in rows]
    return f"static const float {name}{dims} = {{\n" + "\n".join(lines) + "\n};\n"


def header() -> str:
    blep, blamp = residuals()
    sine = np.sin(2 * np.pi * np.arange(SINE_SIZE + 8) / SINE_SIZE)[:SINE_SIZE + 8]
    return "\n".join([
        "/* GENERATED by tools/make_unit_tables.py: do not edit by hand.",
        "   Regenerate with `python tools/make_unit_tables.py` (docs/units.md). */",
        "#ifndef REVERIE_UNIT_TABLES_H",
        "#define REVERIE_UNIT_TABLES_H",
        "",
        f"#define UNIT_SINE_SIZE {SINE_SIZE}",
        f"#define UNIT_BLEP_TAPS {BLEP_TAPS}",
        f"#define UNIT_BLEP_PHASES {BLEP_PHASES}",
        "",
        "/* sin(2 pi i / UNIT_SINE_SIZE), with 8 guard points past the cycle */",
        c_array("unit_sine", sine),
        "/* band-limited step minus the ideal step, [phase][tap] */",
        c_array("unit_blep", blep),
        "/* band-limited ramp minus the ideal ramp, [phase][tap] */",
        c_array("unit_blamp", blamp),
        "#endif",
        "",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    if args.report:
        report()
        return 0
    text = header()
    if args.check:
        same = OUT.exists() and OUT.read_text() == text
        print("tables.h is up to date" if same else "tables.h differs: run tools/make_unit_tables.py")
        return 0 if same else 1
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
