"""Reverie: open groovebox firmware for the Raspberry Pi."""
import os

# numpy's BLAS worker threads spin while idle and would steal the audio thread's core; the
# box does no large linear algebra, so one BLAS thread is enough. Must precede numpy's import.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
