"""Parameter specs of the track buses and the master bus."""
from reverie.core.defs import SIZES, BusParam as B, MasterParam as M
from reverie.sound.params import ParamSpec, SpecTable

BUS = SpecTable("track bus", [
    ParamSpec("volume_db", B.B_VOLUME, "VOL", -60, 6, 0, "lin", "dB", "mixer"),
    ParamSpec("pan", B.B_PAN, "PAN", -1, 1, 0, "lin", page="mixer"),
    ParamSpec("mute", B.B_MUTE, "MUTE", 0, 1, 0, "int", page="mixer"),
    ParamSpec("solo", B.B_SOLO, "SOLO", 0, 1, 0, "int", page="mixer"),
    ParamSpec("delay_send", B.B_DELAY_SEND, "DLY", 0, 1, 0, "lin", page="mixer"),
    ParamSpec("reverb_send", B.B_REVERB_SEND, "REV", 0, 1, 0, "lin", page="mixer"),
])

MASTER = SpecTable("master", [
    ParamSpec("volume_db", M.M_VOLUME, "VOL", -60, 6, 0, "lin", "dB", "master"),
    ParamSpec("tempo_bpm", M.M_TEMPO, "BPM", SIZES["TEMPO_MIN_BPM"], SIZES["TEMPO_MAX_BPM"], 120, "lin", "bpm",
              "master"),
    ParamSpec("delay_beats", M.M_DELAY_BEATS, "DTIM", 0.0625, 4, 0.75, "lin", "beat", "fx"),
    ParamSpec("delay_feedback", M.M_DELAY_FEEDBACK, "DFB", 0, 0.95, 0.4, "lin", page="fx"),
    ParamSpec("delay_spread", M.M_DELAY_SPREAD, "DSPR", 0, 1, 0.6, "lin", page="fx"),
    ParamSpec("reverb_size", M.M_REVERB_SIZE, "RSIZ", 0, 1, 0.5, "lin", page="fx"),
    ParamSpec("reverb_damp", M.M_REVERB_DAMP, "RDMP", 0, 1, 0.5, "lin", page="fx"),
    ParamSpec("comp_threshold_db", M.M_COMP_THRESHOLD, "THR", -60, 0, -6, "lin", "dB", "master"),
    ParamSpec("comp_ratio", M.M_COMP_RATIO, "RAT", 1, 20, 2, "lin", ":1", "master"),
    ParamSpec("comp_attack_ms", M.M_COMP_ATTACK, "CATK", 0.1, 200, 10, "exp", "ms", "master"),
    ParamSpec("comp_release_ms", M.M_COMP_RELEASE, "CREL", 5, 2000, 150, "exp", "ms", "master"),
    ParamSpec("comp_makeup_db", M.M_COMP_MAKEUP, "MKUP", 0, 24, 0, "lin", "dB", "master"),
    ParamSpec("limiter_ceiling_db", M.M_LIMIT_CEILING, "CEIL", -24, 0, -0.3, "lin", "dB", "master"),
    ParamSpec("fx_return_db", M.M_FX_RETURN, "FXRT", -60, 6, 0, "lin", "dB", "fx"),
])


def make_engine(sample_rate: float = 48000.0, instrument=None):
    """An Engine with every track, bus and master parameter at its spec's default."""
    from reverie.core.engine import Engine
    from reverie.sound.instruments import SAMPLER

    return Engine(sample_rate, (instrument or SAMPLER).defaults(), BUS.defaults(), MASTER.defaults())
