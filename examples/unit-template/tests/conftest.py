import sys
from pathlib import Path

# Run from a checkout (`make build` builds the unit in place) or after `pip install .`.
try:
    import reverie_ring  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
