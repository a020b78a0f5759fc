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


BUILTIN = frozenset(INSTRUMENTS)     # the firmware's own names: never a dot in them


def add_plugins(plugins_dir=None, trial_render: bool = True, isolated: bool = True):
    """Finds the instruments from outside (entry points `reverie.instruments`, the data
    directory's plugins/ folder), checks each (first in a child process, so a plugin that
    crashes or hangs costs only itself: sound/plugin_check.py), registers those that pass
    beside the built-in ones and returns the scan (docs/instrument-api.md). Off the audio thread."""
    from reverie.sound.plugin_check import scan_isolated
    from reverie.sound.plugins import install, scan
    result = (scan_isolated if isolated else scan)(plugins_dir, set(BUILTIN), trial_render)
    install(result, INSTRUMENTS, _PROGRAMS)
    return result
