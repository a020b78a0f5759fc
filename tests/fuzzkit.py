"""Hypothesis strategies for the bad-input fuzz tests: values a JSON or TOML file can hold,
and a valid document with a few of its values replaced by them (deeper than random
documents get, so the checks of every section are reached)."""
from __future__ import annotations

import copy

from hypothesis import strategies as st

SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(10**40), max_value=10**40)
           | st.floats() | st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
TOML_VALUES = st.recursive(
    st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


def places(doc, here=()) -> list[tuple]:
    """Every path (keys and indices) to a value inside `doc`."""
    out = [here] if here else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += places(v, here + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += places(v, here + (i,))
    return out


@st.composite
def mutated(draw, doc, values=VALUES, most: int = 3):
    """`doc` with 1..most of its values (or new keys beside them) replaced by drawn values."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, most))):
        paths = places(doc)
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        if isinstance(parent, dict) and draw(st.booleans()):
            key = draw(st.text(max_size=8))             # a key of its own choosing
        parent[key] = draw(values)
    return doc
