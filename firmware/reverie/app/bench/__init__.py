"""Benchmarks behind `reverie bench`: each returns a dict of figures with units in the keys."""
