"""Plugin modules for the discovery tests: one good instrument and one of each way to be
refused, written into a data directory's plugins/ folder."""
from pathlib import Path

HEAD = '''
import numpy as np
from reverie.sound.graph import Instrument, Node
from reverie.sound.params import ParamSpec, SpecTable

def spec(name, level_db=-12.0):
    return SpecTable(name, [ParamSpec("cutoff_hz", 0, "FREQ", 20, 20000, 3000, "exp", "Hz"),
                            ParamSpec("level_db", 1, "LEV", -60, 12, level_db, "lin", "dB"),
                            ParamSpec("sustain", 2, "SUS", 0, 1, 1, "lin"),
                            ParamSpec("gain", 3, "GAIN", 0, 1, 0, "lin")])

def voice(name, *middle, last="osc", level_db=-12.0, osc=None):
    return Instrument(name, spec(name, level_db), (
        Node("pitch", "glide"), osc or Node("osc", "osc", ("pitch",)), *middle,
        Node("env", "adsr", params=(None, None, "sustain")),
        Node("out", "out", (last, "env"), ("level_db",))))
'''

PLUGINS = {
    # plays: a saw through a low-pass
    "bell.py": HEAD + '''
INSTRUMENT = voice("fixture.bell", Node("flt", "svf", ("osc",), (None, "cutoff_hz")), last="flt")
PRESETS = {"fixture.bell": {"Dark": {"cutoff_hz": 300}}}
''',
    # a table of 1e38: the output overflows to infinity, then NaN in the filter
    "nan.py": HEAD + '''
HUGE = 1e38 * np.sin(2 * np.pi * np.arange(256) / 256)[None, :]
INSTRUMENT = voice("broken.nan", Node("flt", "svf", ("osc",), (None, "cutoff_hz")), last="flt",
                   level_db=12.0, osc=Node("osc", "wavetable", ("pitch",), data=HUGE))
''',
    # a mix whose only level is 0
    "silent.py": HEAD + '''
INSTRUMENT = voice("broken.silent", Node("quiet", "mix", ("osc",), ("gain",)), last="quiet")
''',
    # a saw at +12 dB
    "loud.py": HEAD + '''
INSTRUMENT = voice("broken.loud", level_db=12.0)
''',
    # twenty ladder filters in a row: 20 times the work of one
    "heavy.py": HEAD + '''
LADDERS = tuple(Node(f"l{k}", "ladder", (f"l{k - 1}" if k else "osc",), ("cutoff_hz",)) for k in range(20))
INSTRUMENT = voice("broken.heavy", *LADDERS, last="l19")
''',
    # a graph with a cycle
    "cycle.py": HEAD + '''
INSTRUMENT = voice("broken.cycle", Node("a", "drive", ("b",)), Node("b", "drive", ("a",)), last="b")
''',
    # an exception at import
    "boom.py": "raise ZeroDivisionError('division by zero')\n",
    # a name without a dot: the firmware's kind of name
    "nodot.py": HEAD + 'INSTRUMENT = voice("bell")\n',
    # the good one's name again
    "twin.py": HEAD + 'INSTRUMENT = voice("fixture.bell")\n',
    # not an instrument at all
    "number.py": "INSTRUMENT = 42\n",
    # a plugin that ends the program at import: it ends only itself
    "quit.py": "import sys\nsys.exit(3)\n",
    # a package folder: plays
    "pad/__init__.py": HEAD + '''
from .more import LEVEL
INSTRUMENTS = (voice("fixture.pad", level_db=LEVEL),)
''',
    "pad/more.py": "LEVEL = -18.0\n",
}

REFUSED = {
    "nan.py": "plugins/nan.py: instrument 'broken.nan': NaN or infinity at note 36 velocity 30 at its defaults",
    "silent.py": "plugins/silent.py: instrument 'broken.silent': silent (-240 dBFS) at note 36 velocity 127 at its defaults",
    "loud.py": "plugins/loud.py: instrument 'broken.loud': clips (+",
    "heavy.py": "plugins/heavy.py: instrument 'broken.heavy': a voice costs ",
    "cycle.py": "plugins/cycle.py: instrument 'broken.cycle': the graph has a cycle through a, b, out",
    "boom.py": "plugins/boom.py: ZeroDivisionError: division by zero",
    "nodot.py": "plugins/nodot.py: the name 'bell' must be lower-case words joined by dots (like "
                "'example.chime'): names without a dot are the firmware's own",
    "twin.py": "plugins/twin.py: the name 'fixture.bell' is taken by another instrument",
    "number.py": "plugins/number.py: not an Instrument (int)",
    "quit.py": "plugins/quit.py: SystemExit: 3",
}


def write_plugins(folder: Path, names=None) -> Path:
    for name, text in PLUGINS.items():
        if names is None or name.split("/")[0] in names:
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return folder
