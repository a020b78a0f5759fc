"""The multisample instrument: the sampler's fused voice (UNIT_MULTI) playing the zones of an
imported set (docs/multisample.md). A note-on picks its zones by key, velocity and round-robin
turn in the engine (core/multi.pxd); each plays with its own tuning, loop, level, pan and
envelope. The parameters here shape every zone alike: the envelope times add to the set's,
the sustain scales the set's.

Parameters that mean what they mean on the sampler keep its ids and keys (the fused voice reads
them there); the two of its own follow the sampler's 28 (core/defs.pxd)."""
from reverie.core.defs import MultiParam, TrackParam as P
from reverie.sound.graph import Instrument, Node, VoiceControls
from reverie.sound.instruments.sampler import SAMPLER
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
    SAMPLER["sustain"],
    ParamSpec("release_ms", P.P_RELEASE, "REL", 0, 10000, 0, "lin", "ms", "amp"),
    # the sampler's own: the same key, id, range and default
    *(SAMPLER[key] for key in ("level_db", "pan", "choke", "filter", "cutoff_hz", "resonance",
                               "env_amount_oct", "fenv_attack_ms", "fenv_decay_ms", "fenv_sustain",
                               "fenv_release_ms", "drive")),
])

MULTISAMPLE = Instrument("multisample", MULTISAMPLE_SPEC, nodes=(Node("voice", "multisample"),),
                         voice=VoiceControls(choke="choke"))
