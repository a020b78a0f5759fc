"""A chime for Reverie: a wavetable bell, a little crushed (docs/instrument-api.md)."""
from reverie.sound.graph import Instrument, Node
from reverie.sound.params import ParamSpec, SpecTable

SPEC = SpecTable("example.chime", [
    ParamSpec("wave", 0, "WAVE", 0, 1, 0.15, "lin", page="tone", smooth=True),
    ParamSpec("bits", 1, "BITS", 1, 16, 10, "lin", page="tone", smooth=True),
    ParamSpec("rate_hz", 2, "RATE", 500, 48000, 24000, "exp", "Hz", "tone", smooth=True),
    ParamSpec("cutoff_hz", 3, "FREQ", 20, 20000, 5000, "exp", "Hz", "tone", smooth=True),
    ParamSpec("decay_ms", 4, "DEC", 10, 5000, 1200, "exp", "ms", "amp"),
    ParamSpec("release_ms", 5, "REL", 10, 5000, 800, "exp", "ms", "amp"),
    ParamSpec("level_db", 6, "LEV", -60, 12, -9, "lin", "dB", "amp", smooth=True),
])

CHIME = Instrument("example.chime", SPEC, nodes=(
    Node("pitch", "glide"),                                      # the note, in Hz per frame
    Node("osc", "wavetable", ("pitch",), ("wave",)),              # sine .. triangle .. saw .. square
    Node("crush", "crush", ("osc",), ("bits", "rate_hz")),
    Node("flt", "svf", ("crush",), (None, "cutoff_hz")),          # None: mode 0, low-pass
    Node("amp", "adsr", params=(None, "decay_ms", None, "release_ms")),   # no sustain: it rings out
    Node("out", "out", ("flt", "amp"), ("level_db",)),
))

PRESETS = {"example.chime": {
    "Glass": {"wave": 0.0, "bits": 16, "cutoff_hz": 12000, "decay_ms": 2500},
    "Toy": {"wave": 0.6, "bits": 5, "rate_hz": 8000, "decay_ms": 400},
}}
