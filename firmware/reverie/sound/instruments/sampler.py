"""The sampler: sample player -> state-variable filter -> drive -> amp envelope -> pan, one fused
unit of the core (UNIT_SAMPLER: docs/engine.md says why it is not split)."""
from reverie.core.defs import TrackParam as P
from reverie.sound.graph import Instrument, Node, VoiceControls
from reverie.sound.params import ParamSpec, SpecTable

SAMPLER = SpecTable("sampler", [
    ParamSpec("sample", P.P_SAMPLE, "SMPL", 0, 511, 0, "int", page="sample"),
    ParamSpec("tune_st", P.P_TUNE, "TUNE", -48, 48, 0, "lin", "st", "sample", smooth=True),
    ParamSpec("fine_ct", P.P_FINE, "FINE", -100, 100, 0, "lin", "ct", "sample", smooth=True),
    ParamSpec("root_note", P.P_ROOT, "ROOT", 0, 127, 60, "int", page="sample"),
    ParamSpec("start", P.P_START, "STRT", 0, 1, 0, "lin", page="sample"),
    ParamSpec("end", P.P_END, "END", 0, 1, 1, "lin", page="sample"),
    ParamSpec("loop", P.P_LOOP_MODE, "LOOP", 0, 2, 0, "choice", page="sample",
              choices=("off", "forward", "pingpong")),
    ParamSpec("loop_start", P.P_LOOP_START, "LSTR", -1, 1, -1, "lin", page="sample"),
    ParamSpec("loop_end", P.P_LOOP_END, "LEND", -1, 1, -1, "lin", page="sample"),
    ParamSpec("reverse", P.P_REVERSE, "REV", 0, 1, 0, "choice", page="sample", choices=("off", "on")),
    ParamSpec("trig", P.P_TRIG_MODE, "TRIG", 0, 1, 0, "choice", page="sample",
              choices=("oneshot", "gated")),
    ParamSpec("attack_ms", P.P_ATTACK, "ATK", 0, 10000, 0.5, "lin", "ms", "amp"),
    ParamSpec("decay_ms", P.P_DECAY, "DEC", 0, 10000, 500, "lin", "ms", "amp"),
    ParamSpec("sustain", P.P_SUSTAIN, "SUS", 0, 1, 1, "lin", page="amp"),
    ParamSpec("release_ms", P.P_RELEASE, "REL", 0, 10000, 30, "lin", "ms", "amp"),
    ParamSpec("level_db", P.P_LEVEL, "LEV", -60, 12, 0, "lin", "dB", "amp", smooth=True),
    ParamSpec("pan", P.P_PAN, "PAN", -1, 1, 0, "lin", page="amp", smooth=True),
    ParamSpec("velocity_curve", P.P_VEL_CURVE, "VCRV", 0, 3, 0, "choice", page="amp",
              choices=("linear", "soft", "hard", "fixed")),
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

SAMPLER_INSTRUMENT = Instrument("sampler", SAMPLER, nodes=(Node("voice", "sampler"),),
                                voice=VoiceControls(choke="choke"))
