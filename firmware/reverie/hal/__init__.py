"""Hardware abstraction: small interfaces with real backends and fakes that ship in the package.

Hardware libraries are imported lazily inside their backend, so that everything else runs
on a laptop without them.
"""
