"""The bass: one oscillator (saw or square) into a ZDF ladder low-pass, drive and the amp, for
basslines in the spirit of the classic acid box: legato by default, so a slid step's note runs
into the next one and glides there over `slide_ms` without a new attack; an accented step's
note is louder by `accent_db`, brighter by `accent_oct`, and its filter envelope's decay time
is multiplied by 2^accent_decay_oct (docs/instruments.md, "bass").

    glide (slide_ms) ─> osc ─> ladder ─> drive ─> out (x amp env x velocity, level, pan)
                                 ▲                   ▲
           env2 (filter env) ────┤             amp ──┘
           accent ───────────────┘ (and the level, and the filter envelope's decay)
"""
from reverie.sound.graph import Instrument, Node, Route, VoiceControls
from reverie.sound.params import ParamSpec, SpecTable

MODES = ("poly", "mono", "legato")

# (key, label, lo, hi, default, curve, unit, page, extra): ids are the positions here.
_PARAMS = [
    ("shape", "SHAP", 0, 1, 0, "choice", "", "osc", {"choices": ("saw", "square")}),
    ("tune_st", "TUNE", -24, 24, 0, "lin", "st", "osc", {"smooth": True}),
    ("fine_ct", "FINE", -100, 100, 0, "lin", "ct", "osc", {"smooth": True}),
    ("pulse_width", "PW", 0.05, 0.95, 0.5, "lin", "", "osc", {"smooth": True}),
    ("cutoff_hz", "FREQ", 20, 20000, 300, "exp", "Hz", "filter", {"smooth": True}),
    ("resonance", "RES", 0, 1, 0.55, "lin", "", "filter", {"smooth": True}),
    ("env_amount_oct", "ENV", -8, 8, 3, "lin", "oct", "filter", {"smooth": True}),
    ("drive_db", "DRV", 0, 24, 6, "lin", "dB", "filter", {"smooth": True}),
    ("env_attack_ms", "EATK", 0.5, 1000, 0.5, "exp", "ms", "fenv", {}),
    ("decay_ms", "DEC", 10, 5000, 300, "exp", "ms", "fenv", {}),
    ("env_sustain", "ESUS", 0, 1, 0, "lin", "", "fenv", {}),
    ("env_release_ms", "EREL", 1, 5000, 100, "exp", "ms", "fenv", {}),
    ("accent_db", "ACDB", 0, 12, 6, "lin", "dB", "acid", {"smooth": True}),
    ("accent_oct", "ACFQ", 0, 4, 1, "lin", "oct", "acid", {"smooth": True}),
    ("accent_decay_oct", "ACDC", -4, 0, -1, "lin", "oct", "acid", {}),
    ("slide_ms", "GLID", 0, 1000, 60, "lin", "ms", "acid", {}),
    ("attack_ms", "ATK", 0.5, 1000, 1, "exp", "ms", "amp", {}),
    ("amp_decay_ms", "ADEC", 1, 10000, 1200, "exp", "ms", "amp", {}),
    ("sustain", "SUS", 0, 1, 0.6, "lin", "", "amp", {}),
    ("release_ms", "REL", 1, 5000, 15, "exp", "ms", "amp", {}),
    ("level_db", "LEV", -60, 12, -10, "lin", "dB", "out", {"smooth": True}),
    ("pan", "PAN", -1, 1, 0, "lin", "", "out", {"smooth": True}),
    ("velocity", "VEL", 0, 1, 0.3, "lin", "", "out", {"smooth": True}),
    ("voice_mode", "MODE", 0, 2, 2, "choice", "", "out", {"choices": MODES}),
]

BASS_SPEC = SpecTable("bass", [
    ParamSpec(key, pid, label, lo, hi, default, curve, unit, page, **extra)
    for pid, (key, label, lo, hi, default, curve, unit, page, extra) in enumerate(_PARAMS)])

NODES = (
    Node("pitch", "glide", params=("slide_ms",)),
    Node("osc", "osc", ("pitch",), ("shape", "tune_st", "fine_ct", "pulse_width")),
    Node("ladder", "ladder", ("osc",), ("cutoff_hz", "resonance")),
    Node("drive", "drive", ("ladder",), ("drive_db",), gate="drive_db"),
    Node("amp", "adsr", params=("attack_ms", "amp_decay_ms", "sustain", "release_ms")),
    Node("out", "out", ("drive", "amp"), ("level_db", "pan", "velocity")),
)

ROUTES = (
    Route("env2", "cutoff_hz", "env_amount_oct"),      # the filter envelope
    Route("accent", "cutoff_hz", "accent_oct"),        # an accented note: brighter...
    Route("accent", "level_db", "accent_db"),          # ...louder...
    Route("accent", "decay_ms", "accent_decay_oct"),   # ...and its filter sweep shorter
)

BASS = Instrument(
    "bass", BASS_SPEC, NODES, ROUTES,
    VoiceControls(mode="voice_mode", glide_ms="slide_ms",
                  env2=("env_attack_ms", "decay_ms", "env_sustain", "env_release_ms")))
