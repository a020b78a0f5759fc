"""Builds the unit against the installed firmware's unit interface (reverie/core/unit_abi.h
and .pxd): `python setup.py build_ext --inplace`, or `pip install --no-build-isolation .`."""
from Cython.Build import cythonize
from setuptools import Extension, setup

from reverie.core import unit_include

setup(ext_modules=cythonize(
    [Extension("reverie_ring._ring", ["reverie_ring/_ring.pyx"], include_dirs=unit_include(),
               extra_compile_args=["-O3", "-ffp-contract=off"], libraries=["m"])],
    include_path=unit_include(), language_level=3))
