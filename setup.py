"""Builds the Cython core. Everything else lives in pyproject.toml."""
import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

CORE = "firmware/reverie/core"
MODULES = ["defs", "engine"]

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

setup(
    ext_modules=cythonize(
        extensions,
        language_level=3,
        compiler_directives={"cdivision": True, "initializedcheck": False},
    )
)
