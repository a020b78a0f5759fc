"""fm: four sine operators in eight algorithms, feedback on operator 4, an envelope per
operator, velocity to modulation index, and the amp envelope, pan and level of every graph
instrument (docs/instruments.md, "fm"). The operators run as one fused op (UNIT_FM4,
core/units/fm4.pxd), so the four sines of a frame share one pass.

    glide ─> fm4 (op4 > ... > op1, by algorithm) ─> out (x amp env x velocity, level, pan)
                                                     ▲
                                               amp ──┘

A modulator's level is its modulation index in radians (the peak phase deviation it gives
its carrier); a carrier's level is its amplitude (1: full scale). The carriers' sum is
divided by their number, so every algorithm peaks at the same level.
"""
from reverie.sound.graph import Instrument, Node, Route, VoiceControls
from reverie.sound.params import ParamSpec, SpecTable

LFO_SHAPES = ("sine", "triangle", "saw up", "saw down", "square", "s&h", "smooth")
ALGORITHMS = ("1", "2", "3", "4", "5", "6", "7", "8")
RATIOS = ("0.5",) + tuple(str(k) for k in range(1, 17))     # choice k: ratio k, 0: 0.5

# Each operator's default: (ratio choice, level, attack, decay, sustain, release). At the
# defaults op 2 modulates op 1 with a decaying index: a plain, soft electric-piano-like tone.
_OP_DEFAULTS = {1: (1, 1.0, 1, 2000, 0.6, 300), 2: (1, 1.2, 1, 1200, 0.3, 300),
                3: (1, 0.0, 1, 1000, 0.5, 300), 4: (1, 0.0, 1, 1000, 0.5, 300)}

# (key, label, lo, hi, default, curve, unit, page, extra): ids are the positions here. The
# first 37 are the fm4 op's parameter block, in core/units/fm4.pxd's order.
_PARAMS = [
    ("algorithm", "ALG", 0, 7, 0, "choice", "", "alg", {"choices": ALGORITHMS}),
    ("feedback_rad", "FB", 0, 2, 0, "lin", "rad", "alg", {"smooth": True}),
    ("depth", "DPTH", 0, 4, 1, "lin", "x", "alg", {"smooth": True}),
    ("vel_index", "VIDX", 0, 1, 0.5, "lin", "", "alg", {"smooth": True}),
    ("tune_st", "TUNE", -12, 12, 0, "lin", "st", "alg", {"smooth": True}),
]
for _k, (_ratio, _level, _a, _d, _s, _r) in _OP_DEFAULTS.items():
    _PARAMS += [
        (f"op{_k}_ratio", f"{_k}RAT", 0, 16, _ratio, "choice", "", f"op{_k}", {"choices": RATIOS}),
        (f"op{_k}_fine_ct", f"{_k}FIN", -100, 100, 0, "lin", "ct", f"op{_k}", {"smooth": True}),
        (f"op{_k}_fixed_hz", f"{_k}FIX", 0, 10000, 0, "lin", "Hz", f"op{_k}", {}),
        (f"op{_k}_level", f"{_k}LEV", 0, 16, _level, "lin", "", f"op{_k}", {"smooth": True}),
        (f"op{_k}_attack_ms", f"{_k}ATK", 0.5, 10000, _a, "exp", "ms", f"op{_k}", {}),
        (f"op{_k}_decay_ms", f"{_k}DEC", 1, 10000, _d, "exp", "ms", f"op{_k}", {}),
        (f"op{_k}_sustain", f"{_k}SUS", 0, 1, _s, "lin", "", f"op{_k}", {}),
        (f"op{_k}_release_ms", f"{_k}REL", 1, 10000, _r, "exp", "ms", f"op{_k}", {}),
    ]
_PARAMS += [
    ("wheel_depth", "WHL", 0, 3, 1, "lin", "x", "alg", {"smooth": True}),
    ("attack_ms", "ATK", 0.5, 10000, 1, "exp", "ms", "amp", {}),
    ("decay_ms", "DEC", 1, 10000, 1000, "exp", "ms", "amp", {}),
    ("sustain", "SUS", 0, 1, 1, "lin", "", "amp", {}),
    ("release_ms", "REL", 1, 10000, 300, "exp", "ms", "amp", {}),
    ("level_db", "LEV", -60, 12, -6, "lin", "dB", "amp", {"smooth": True}),
    ("pan", "PAN", -1, 1, 0, "lin", "", "amp", {"smooth": True}),
    ("velocity", "VEL", 0, 1, 0.7, "lin", "", "amp", {"smooth": True}),
    ("lfo1_shape", "L1SH", 0, 6, 0, "choice", "", "lfo", {"choices": LFO_SHAPES}),
    ("lfo1_rate_hz", "L1RT", 0.01, 50, 5, "exp", "Hz", "lfo", {}),
    ("lfo1_sync", "L1SY", 0, 8, 0, "lin", "/bt", "lfo", {}),
    ("lfo1_retrig", "L1RG", 0, 1, 0, "choice", "", "lfo", {"choices": ("free", "note")}),
    ("lfo1_pitch_st", "L1PT", -2, 2, 0, "lin", "st", "lfo", {"smooth": True}),
    ("lfo2_shape", "L2SH", 0, 6, 1, "choice", "", "lfo", {"choices": LFO_SHAPES}),
    ("lfo2_rate_hz", "L2RT", 0.01, 50, 2, "exp", "Hz", "lfo", {}),
    ("lfo2_sync", "L2SY", 0, 8, 0, "lin", "/bt", "lfo", {}),
    ("lfo2_retrig", "L2RG", 0, 1, 0, "choice", "", "lfo", {"choices": ("free", "note")}),
    ("lfo2_depth", "L2DP", -4, 4, 0, "lin", "x", "lfo", {"smooth": True}),
    ("voice_mode", "MODE", 0, 2, 0, "choice", "", "voice", {"choices": ("poly", "mono", "legato")}),
    ("glide_ms", "GLID", 0, 2000, 0, "lin", "ms", "voice", {}),
    ("unison", "UNI", 1, 8, 1, "int", "", "voice", {}),
    ("detune_ct", "DETN", 0, 100, 10, "lin", "ct", "voice", {}),
    ("spread", "SPRD", 0, 1, 0.5, "lin", "", "voice", {}),
]

FM_SPEC = SpecTable("fm", [
    ParamSpec(key, pid, label, lo, hi, default, curve, unit, page, **extra)
    for pid, (key, label, lo, hi, default, curve, unit, page, extra) in enumerate(_PARAMS)])

_OP = ("ratio", "fine_ct", "fixed_hz", "level", "attack_ms", "decay_ms", "sustain", "release_ms")
BLOCK = ("algorithm", "feedback_rad", "depth", "vel_index", "tune_st") + tuple(
    f"op{k}_{p}" for k in (1, 2, 3, 4) for p in _OP)

NODES = (
    Node("pitch", "glide", params=("glide_ms",)),
    Node("fm", "fm4", ("pitch",), BLOCK),
    Node("amp", "adsr", params=("attack_ms", "decay_ms", "sustain", "release_ms")),
    Node("out", "out", ("fm", "amp"), ("level_db", "pan", "velocity")),
)

ROUTES = (
    Route("lfo1", "tune_st", "lfo1_pitch_st"),      # vibrato, in semitones
    Route("lfo2", "depth", "lfo2_depth"),           # the index breathes
    Route("wheel", "depth", "wheel_depth"),         # the mod wheel opens the index
)

FM = Instrument(
    "fm", FM_SPEC, NODES, ROUTES,
    VoiceControls(mode="voice_mode", glide_ms="glide_ms", unison="unison", detune_ct="detune_ct",
                  spread="spread",
                  lfos=(("lfo1_shape", "lfo1_rate_hz", "lfo1_sync", "lfo1_retrig", None),
                        ("lfo2_shape", "lfo2_rate_hz", "lfo2_sync", "lfo2_retrig", None))))
