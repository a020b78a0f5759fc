"""Drums: a synthesised kit on one track. The note picks the drum, General MIDI style (36
kick, 38 snare, 39 clap, 42 closed hat, 46 open hat, 41 43 45 47 48 50 toms; any other note
plays what its pitch class plays in 36..47, so a pad's note 60 is the kick); a hat chokes the
hats still sounding. Each drum is one `drum` op of the core (core/units/drum.pxd), of which
a voice runs only the one its note picks (docs/instruments.md "drums").

    kick | snare | clap | closed hat | open hat | tom  ->  x level x kit level x velocity -> bus
"""
from reverie.core.defs import DRUM_OF_NOTE, DrumKind
from reverie.sound.graph import Instrument, Node
from reverie.sound.params import ParamSpec, SpecTable

# (key, label, lo, hi, default, curve, unit, page): ids are the positions here.
_PARAMS = [
    ("kick_tune_hz", "TUNE", 20, 200, 48, "exp", "Hz", "kick"),
    ("kick_decay_ms", "DEC", 20, 4000, 450, "exp", "ms", "kick"),
    ("kick_sweep_oct", "SWP", 0, 6, 2.0, "lin", "oct", "kick"),
    ("kick_sweep_ms", "SWPT", 1, 500, 35, "exp", "ms", "kick"),
    ("kick_click", "CLIK", 0, 1, 0.3, "lin", "", "kick"),
    ("kick_level_db", "LEV", -60, 6, -4, "lin", "dB", "kick"),
    ("snare_tune_hz", "TUNE", 80, 500, 185, "exp", "Hz", "snare"),
    ("snare_decay_ms", "DEC", 20, 2000, 160, "exp", "ms", "snare"),
    ("snare_snappy", "SNAP", 0, 1, 0.6, "lin", "", "snare"),
    ("snare_snap_ms", "SNDC", 20, 2000, 220, "exp", "ms", "snare"),
    ("snare_tone_hz", "TONE", 500, 12000, 4000, "exp", "Hz", "snare"),
    ("snare_level_db", "LEV", -60, 6, -4, "lin", "dB", "snare"),
    ("clap_tone_hz", "TONE", 300, 8000, 1200, "exp", "Hz", "clap"),
    ("clap_decay_ms", "DEC", 20, 4000, 300, "exp", "ms", "clap"),
    ("clap_spread_ms", "SPRD", 2, 40, 10, "lin", "ms", "clap"),
    ("clap_bursts", "BRST", 1, 8, 4, "int", "", "clap"),
    ("clap_level_db", "LEV", -60, 6, -4, "lin", "dB", "clap"),
    ("chat_tune_st", "TUNE", -24, 24, 0, "lin", "st", "ch"),
    ("chat_decay_ms", "DEC", 5, 2000, 60, "exp", "ms", "ch"),
    ("chat_tone_hz", "TONE", 2000, 16000, 7000, "exp", "Hz", "ch"),
    ("chat_noise", "NOIS", 0, 1, 0.2, "lin", "", "ch"),
    ("chat_level_db", "LEV", -60, 6, -6, "lin", "dB", "ch"),
    ("ohat_tune_st", "TUNE", -24, 24, 0, "lin", "st", "oh"),
    ("ohat_decay_ms", "DEC", 20, 4000, 450, "exp", "ms", "oh"),
    ("ohat_tone_hz", "TONE", 2000, 16000, 7000, "exp", "Hz", "oh"),
    ("ohat_noise", "NOIS", 0, 1, 0.2, "lin", "", "oh"),
    ("ohat_level_db", "LEV", -60, 6, -6, "lin", "dB", "oh"),
    ("tom_tune_hz", "TUNE", 40, 400, 110, "exp", "Hz", "tom"),
    ("tom_decay_ms", "DEC", 20, 4000, 400, "exp", "ms", "tom"),
    ("tom_bend_oct", "BEND", 0, 2, 0.4, "lin", "oct", "tom"),
    ("tom_noise", "NOIS", 0, 1, 0.15, "lin", "", "tom"),
    ("tom_level_db", "LEV", -60, 6, -5, "lin", "dB", "tom"),
    ("level_db", "KIT", -60, 12, -6, "lin", "dB", "kit"),
    ("velocity", "VEL", 0, 1, 0.7, "lin", "", "kit"),
]
# Levels, tunings and tones glide (10 ms); times and counts take effect at once.
_SMOOTH = ("_level_db", "_tune_hz", "_tune_st", "_tone_hz", "level_db", "velocity", "_click", "_snappy",
           "_noise", "_oct")

DRUMS_SPEC = SpecTable("drums", [
    ParamSpec(key, pid, label, lo, hi, default, curve, unit, page, smooth=key.endswith(_SMOOTH))
    for pid, (key, label, lo, hi, default, curve, unit, page) in enumerate(_PARAMS)])

# Each drum's op: its model's parameters in the unit's order, then its level.
_MODELS = (
    ("kick", DrumKind.DRUM_KICK, ("kick_tune_hz", "kick_decay_ms", "kick_sweep_oct", "kick_sweep_ms",
                                  "kick_click")),
    ("snare", DrumKind.DRUM_SNARE, ("snare_tune_hz", "snare_decay_ms", "snare_snappy", "snare_snap_ms",
                                    "snare_tone_hz")),
    ("clap", DrumKind.DRUM_CLAP, ("clap_tone_hz", "clap_decay_ms", "clap_spread_ms", "clap_bursts", None)),
    ("chat", DrumKind.DRUM_CLOSED_HAT, ("chat_tune_st", "chat_decay_ms", "chat_tone_hz", "chat_noise", None)),
    ("ohat", DrumKind.DRUM_OPEN_HAT, ("ohat_tune_st", "ohat_decay_ms", "ohat_tone_hz", "ohat_noise", None)),
    ("tom", DrumKind.DRUM_TOM, ("tom_tune_hz", "tom_decay_ms", "tom_bend_oct", "tom_noise", None)),
)

NODES = tuple(Node(name, "drum", params=(*params, f"{name}_level_db", "level_db", "velocity"), conf=int(kind))
              for name, kind, params in _MODELS)

DRUMS = Instrument("drums", DRUMS_SPEC, NODES)

# The notes a musician reaches first for each drum (General MIDI).
NOTES = {"kick": 36, "snare": 38, "clap": 39, "chat": 42, "ohat": 46, "tom": 45}
TOM_NOTES = (41, 43, 45, 47, 48, 50)


def drum_of_note(note: int) -> str:
    """The name of the drum a MIDI note plays ("kick", "snare", ...)."""
    return _NAMES[DRUM_OF_NOTE[note]]


_NAMES = {int(kind): name for name, kind, _ in _MODELS}
