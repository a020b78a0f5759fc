"""Instruments: a voice graph in the core plus the parameter spec that drives everything else."""
from reverie.sound.instruments.sampler import SAMPLER

INSTRUMENTS = {SAMPLER.name: SAMPLER}
