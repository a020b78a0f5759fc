"""The DSP units: small nogil C building blocks for instruments (docs/units.md).

Each unit is a .pxd of `cdef inline` functions; `wavetable_build` makes a wavetable's
band-limited mip-maps in numpy."""
