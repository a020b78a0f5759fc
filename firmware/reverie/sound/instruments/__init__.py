"""Instruments: a voice graph in the core plus the parameter spec that drives everything else."""
from reverie.sound.instruments.sampler import SAMPLER, SAMPLER_INSTRUMENT
from reverie.sound.instruments.fm import FM
from reverie.sound.instruments.synth import SYNTH
from reverie.sound.instruments.multisample import MULTISAMPLE
from reverie.sound.instruments.drums import DRUMS
from reverie.sound.instruments.bass import BASS

# Each instrument by the name projects give it. An Instrument also answers as its spec
# (iteration, [key], by_key, pages(), defaults()).
INSTRUMENTS = {i.name: i for i in (
    SAMPLER_INSTRUMENT,
    SYNTH,
    MULTISAMPLE,
    DRUMS,
    FM,
    BASS,
)}

_PROGRAMS: dict = {}


def program_for(name: str):
    """The packed program of an instrument, compiled once; None for the sampler, which is
    the engine's own program on every track (the same voice: tests/sound/test_graph.py)."""
    if name == SAMPLER_INSTRUMENT.name:
        return None
    if name not in _PROGRAMS:
        from reverie.sound.graph import compile_graph
        _PROGRAMS[name] = compile_graph(INSTRUMENTS[name]).program
    return _PROGRAMS[name]
