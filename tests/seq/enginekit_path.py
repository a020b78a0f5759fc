"""The engine test helpers of tests/core, for the sequencer tests."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))

from enginekit import constant, limiter_delay, neutral_engine  # noqa: E402

__all__ = ["constant", "limiter_delay", "neutral_engine"]
