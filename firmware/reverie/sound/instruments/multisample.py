"""The multisample instrument: the sampler's fused voice (UNIT_MULTI) playing the zones of an
imported set (docs/multisample.md). A note-on picks its zones by key, velocity and round-robin
turn in the engine (core/multi.pxd); each plays with its own tuning, loop, level, pan and
envelope. The parameters here shape every zone alike: the envelope times add to the set's,
the sustain scales the set's.

Parameters that mean what they mean on the sampler keep its ids and keys (the fused voice reads
them there); the two of its own follow the sampler's 28 (core/defs.pxd)."""
from reverie.core.defs import MultiParam, TrackParam as P
from reverie.sound.graph import Instrument, Node, VoiceControls
from reverie.sound.params import ParamSpec, SpecTable

MULTISAMPLE_SPEC = SpecTable("multisample", [
    ParamSpec("tune_st", P.P_TUNE, "TUNE", -48, 48, 0, "lin", "st", "set", smooth=True),
    ParamSpec("fine_ct", P.P_FINE, "FINE", -100, 100, 0, "lin", "ct", "set", smooth=True),
    ParamSpec("round_robin", MultiParam.P_ROUND_ROBIN, "RR", 0, 1, 0, "choice", page="set",
              choices=("in turn", "random")),
    ParamSpec("velocity", MultiParam.P_VEL_SENS, "VEL", 0, 1, 1, "lin", page="set"),
    ParamSpec("velocity_curve", P.P_VEL_CURVE, "VCRV", 0, 3, 0, "choice", page="set",
              choices=("linear", "soft", "hard", "fixed")),
    ParamSpec("attack_ms", P.P_ATTACK, "ATK", 0, 10000, 0, "lin", "ms", "amp"),
    ParamSpec("decay_ms", P.P_DECAY, "DEC", 0, 10000, 0, "lin", "ms", "amp"),
    ParamSpec("sustain", P.P_SUSTAIN, "SUS", 0, 1, 1, "lin", page="amp"),
    ParamSpec("release_ms", P.P_RELEASE, "REL", 0, 10000, 0, "lin", "ms", "amp"),
    ParamSpec("level_db", P.P_LEVEL, "LEV", -60, 12, 0, "lin", "dB", "amp", smooth=True),
    ParamSpec("pan", P.P_PAN, "PAN", -1, 1, 0, "lin", page="amp", smooth=True),
    ParamSpec("choke", P.P_CHOKE, "CHOK", 0, 16, 0, "int", page="amp"),
    ParamSpec("filter", P.P_FILTER_MODE, "FILT", 0, 2, 0, "choice", page="filter",
              choices=("lowpass", "bandpass", "highpass")),
    ParamSpec("cutoff_hz", P.P_CUTOFF, "FREQ", 20, 20000, 20000, "exp", "Hz", "filter", smooth=True),
    ParamSpec("resonance", P.P_RESONANCE, "RES", 0, 1, 0, "lin", page="filter", smooth=True),
    ParamSpec("env_amount_oct", P.P_FENV_AMOUNT, "ENV", -8, 8, 0, "lin", "oct", "filter", smooth=True),
    ParamSpec("fenv_attack_ms", P.P_FENV_ATTACK, "FATK", 0, 10000, 0, "lin", "ms", "filter"),
    ParamSpec("fenv_decay_ms", P.P_FENV_DECAY, "FDEC", 0, 10000, 300, "lin", "ms", "filter"),
    ParamSpec("fenv_sustain", P.P_FENV_SUSTAIN, "FSUS", 0, 1, 0, "lin", page="filter"),
    ParamSpec("fenv_release_ms", P.P_FENV_RELEASE, "FREL", 0, 10000, 100, "lin", "ms", "filter"),
    ParamSpec("drive", P.P_DRIVE, "DRV", 0, 1, 0, "lin", page="filter", smooth=True),
])

MULTISAMPLE = Instrument("multisample", MULTISAMPLE_SPEC, nodes=(Node("voice", "multisample"),),
                         voice=VoiceControls(choke="choke"))
