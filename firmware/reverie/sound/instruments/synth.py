"""The synth: two band-limited oscillators plus a sub oscillator and noise, a filter (SVF or
ZDF ladder, selectable), drive, two envelopes, two LFOs, a modulation matrix of four slots,
poly, mono or legato with glide, and unison stacks (docs/instruments.md).

    glide ─> osc1 ─┐
          ├> osc2 ─┤
          └> sub  ─┼─> mix ─> svf | ladder ─> drive ─> out (x amp env x velocity, level, pan)
            noise ─┘                                    ▲
                                                  amp ──┘
"""
from reverie.sound.graph import SOURCE_NAMES, Instrument, Node, Route, VoiceControls
from reverie.sound.params import ParamSpec, SpecTable

SHAPES = ("saw", "square", "triangle", "sine")
LFO_SHAPES = ("sine", "triangle", "saw up", "saw down", "square", "s&h", "smooth")
# What a matrix slot may modulate, in the order its `dest` choice lists them.
DESTS = ("cutoff_hz", "resonance", "osc1_tune_st", "osc2_tune_st", "osc1_pw", "osc2_pw",
         "osc1_level", "osc2_level", "sub_level", "noise_level", "drive_db", "level_db", "pan")

# (key, label, lo, hi, default, curve, unit, page, extra): ids are the positions here.
_PARAMS = [
    ("osc1_shape", "O1SH", 0, 3, 0, "choice", "", "osc", {"choices": SHAPES}),
    ("osc1_tune_st", "O1TN", -24, 24, 0, "lin", "st", "osc", {"smooth": True}),
    ("osc1_fine_ct", "O1FN", -100, 100, 0, "lin", "ct", "osc", {"smooth": True}),
    ("osc1_pw", "O1PW", 0.05, 0.95, 0.5, "lin", "", "osc", {"smooth": True}),
    ("osc1_level", "O1LV", 0, 1, 0.8, "lin", "", "osc", {"smooth": True}),
    ("osc2_shape", "O2SH", 0, 3, 0, "choice", "", "osc", {"choices": SHAPES}),
    ("osc2_tune_st", "O2TN", -24, 24, 0, "lin", "st", "osc", {"smooth": True}),
    ("osc2_fine_ct", "O2FN", -100, 100, 7, "lin", "ct", "osc", {"smooth": True}),
    ("osc2_pw", "O2PW", 0.05, 0.95, 0.5, "lin", "", "osc", {"smooth": True}),
    ("osc2_level", "O2LV", 0, 1, 0.8, "lin", "", "osc", {"smooth": True}),
    ("sub_shape", "SBSH", 0, 3, 1, "choice", "", "osc", {"choices": SHAPES}),
    ("sub_level", "SUB", 0, 1, 0, "lin", "", "osc", {"smooth": True}),
    ("noise_color", "NCOL", 0, 1, 0, "choice", "", "osc", {"choices": ("white", "pink")}),
    ("noise_level", "NOIS", 0, 1, 0, "lin", "", "osc", {"smooth": True}),
    ("filter_type", "FTYP", 0, 1, 0, "choice", "", "filter", {"choices": ("svf", "ladder")}),
    ("filter_mode", "FMOD", 0, 2, 0, "choice", "", "filter",
     {"choices": ("lowpass", "bandpass", "highpass")}),
    ("cutoff_hz", "FREQ", 20, 20000, 2000, "exp", "Hz", "filter", {"smooth": True}),
    ("resonance", "RES", 0, 1, 0.2, "lin", "", "filter", {"smooth": True}),
    ("env_amount_oct", "ENV", -8, 8, 2, "lin", "oct", "filter", {"smooth": True}),
    ("drive_db", "DRV", 0, 24, 0, "lin", "dB", "filter", {"smooth": True}),
    ("attack_ms", "ATK", 0.5, 10000, 2, "exp", "ms", "amp", {}),
    ("decay_ms", "DEC", 1, 10000, 300, "exp", "ms", "amp", {}),
    ("sustain", "SUS", 0, 1, 0.7, "lin", "", "amp", {}),
    ("release_ms", "REL", 1, 10000, 200, "exp", "ms", "amp", {}),
    ("level_db", "LEV", -60, 12, -6, "lin", "dB", "amp", {"smooth": True}),
    ("pan", "PAN", -1, 1, 0, "lin", "", "amp", {"smooth": True}),
    ("velocity", "VEL", 0, 1, 0.7, "lin", "", "amp", {"smooth": True}),
    ("env2_attack_ms", "EATK", 0.5, 10000, 1, "exp", "ms", "env2", {}),
    ("env2_decay_ms", "EDEC", 1, 10000, 400, "exp", "ms", "env2", {}),
    ("env2_sustain", "ESUS", 0, 1, 0.2, "lin", "", "env2", {}),
    ("env2_release_ms", "EREL", 1, 10000, 300, "exp", "ms", "env2", {}),
    ("lfo1_shape", "L1SH", 0, 6, 0, "choice", "", "lfo", {"choices": LFO_SHAPES}),
    ("lfo1_rate_hz", "L1RT", 0.01, 50, 2, "exp", "Hz", "lfo", {}),
    ("lfo1_sync", "L1SY", 0, 8, 0, "lin", "/bt", "lfo", {}),
    ("lfo1_retrig", "L1RG", 0, 1, 0, "choice", "", "lfo", {"choices": ("free", "note")}),
    ("lfo1_cutoff_oct", "L1FQ", -4, 4, 0, "lin", "oct", "lfo", {"smooth": True}),
    ("lfo2_shape", "L2SH", 0, 6, 1, "choice", "", "lfo", {"choices": LFO_SHAPES}),
    ("lfo2_rate_hz", "L2RT", 0.01, 50, 5, "exp", "Hz", "lfo", {}),
    ("lfo2_sync", "L2SY", 0, 8, 0, "lin", "/bt", "lfo", {}),
    ("lfo2_retrig", "L2RG", 0, 1, 0, "choice", "", "lfo", {"choices": ("free", "note")}),
    ("lfo2_pitch_st", "L2PT", -2, 2, 0, "lin", "st", "lfo", {"smooth": True}),
    ("voice_mode", "MODE", 0, 2, 0, "choice", "", "voice", {"choices": ("poly", "mono", "legato")}),
    ("glide_ms", "GLID", 0, 2000, 0, "lin", "ms", "voice", {}),
    ("unison", "UNI", 1, 8, 1, "int", "", "voice", {}),
    ("detune_ct", "DETN", 0, 100, 12, "lin", "ct", "voice", {}),
    ("spread", "SPRD", 0, 1, 0.5, "lin", "", "voice", {}),
]
for _slot in (1, 2, 3, 4):
    _PARAMS += [
        (f"mod{_slot}_source", f"M{_slot}SR", 0, len(SOURCE_NAMES) - 1, 0, "choice", "", "mod",
         {"choices": SOURCE_NAMES}),
        (f"mod{_slot}_dest", f"M{_slot}DS", 0, len(DESTS) - 1, 0, "choice", "", "mod", {"choices": DESTS}),
        (f"mod{_slot}_amount", f"M{_slot}AM", -1, 1, 0, "lin", "", "mod", {"smooth": True}),
    ]

SYNTH_SPEC = SpecTable("synth", [
    ParamSpec(key, pid, label, lo, hi, default, curve, unit, page, **extra)
    for pid, (key, label, lo, hi, default, curve, unit, page, extra) in enumerate(_PARAMS)])

_OSC = ("shape", "tune_st", "fine_ct", "pw")
NODES = (
    Node("pitch", "glide", params=("glide_ms",)),
    Node("osc1", "osc", ("pitch",), tuple(f"osc1_{p}" for p in _OSC), gate="osc1_level"),
    Node("osc2", "osc", ("pitch",), tuple(f"osc2_{p}" for p in _OSC), gate="osc2_level"),
    Node("sub", "osc", ("pitch",), ("sub_shape", "osc1_tune_st", "osc1_fine_ct"), gate="sub_level", k=-1.0),
    Node("noise", "noise", params=("noise_color",), gate="noise_level"),
    Node("mix", "mix", ("osc1", "osc2", "sub", "noise"),
         ("osc1_level", "osc2_level", "sub_level", "noise_level")),
    Node("svf", "svf", ("mix",), ("filter_mode", "cutoff_hz", "resonance"), when=("filter_type", 0)),
    Node("ladder", "ladder", ("mix",), ("cutoff_hz", "resonance"), when=("filter_type", 1)),
    Node("drive", "drive", (("svf", "ladder"),), ("drive_db",), gate="drive_db"),
    Node("amp", "adsr", params=("attack_ms", "decay_ms", "sustain", "release_ms")),
    Node("out", "out", ("drive", "amp"), ("level_db", "pan", "velocity")),
)

ROUTES = (
    Route("env2", "cutoff_hz", "env_amount_oct"),
    Route("lfo1", "cutoff_hz", "lfo1_cutoff_oct"),
    Route("lfo2", "osc1_tune_st", "lfo2_pitch_st"),
    Route("lfo2", "osc2_tune_st", "lfo2_pitch_st"),
    *(Route(f"mod{k}_source", f"mod{k}_dest", f"mod{k}_amount", relative=True, pick=True)
      for k in (1, 2, 3, 4)),
)

SYNTH = Instrument(
    "synth", SYNTH_SPEC, NODES, ROUTES,
    VoiceControls(mode="voice_mode", glide_ms="glide_ms", unison="unison", detune_ct="detune_ct",
                  spread="spread",
                  lfos=(("lfo1_shape", "lfo1_rate_hz", "lfo1_sync", "lfo1_retrig", None),
                        ("lfo2_shape", "lfo2_rate_hz", "lfo2_sync", "lfo2_retrig", None)),
                  env2=("env2_attack_ms", "env2_decay_ms", "env2_sustain", "env2_release_ms")),
    DESTS)
