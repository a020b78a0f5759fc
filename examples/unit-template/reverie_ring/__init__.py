"""A ring modulator unit for Reverie's voice graphs, built from the unit template: use it as
`Node("ring", "extern", ("osc",), ("ring_hz", "ring_mix"), data=reverie_ring)`."""
from reverie_ring._ring import REVERIE_UNIT

__all__ = ["REVERIE_UNIT"]
