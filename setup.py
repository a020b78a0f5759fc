"""Builds the Cython core. Everything else lives in pyproject.toml."""
import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

CORE = "firmware/reverie/core"
MODULES = ["defs", "engine", "units_probe", "voice_bench"]   # units_probe, voice_bench: for tests and benches

extensions = [
    Extension(
        f"reverie.core.{name}",
        [f"{CORE}/{name}.pyx"],
        include_dirs=[CORE, numpy.get_include()],
        extra_compile_args=["-O3", "-ffp-contract=off", "-fno-strict-aliasing"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        libraries=["m"],
    )
    for name in MODULES
]

# The audio drivers' C parts (docs/audio.md): the render gate, and the JACK client (libjack).
AUDIO = "firmware/reverie/hal/audio"
extensions += [
    Extension(f"reverie.hal.audio.{name}", [f"{AUDIO}/{name}.pyx"], include_dirs=[AUDIO],
              extra_compile_args=["-O2"], libraries=libraries)
    for name, libraries in (("render_gate", []), ("jack_client", ["jack"]))
]

setup(
    ext_modules=cythonize(
        extensions,
        language_level=3,
        compiler_directives={"cdivision": True, "initializedcheck": False},
    )
)
