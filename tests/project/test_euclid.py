"""Euclidean rhythms against Toussaint's published table, and their properties."""
import pytest
from hypothesis import given, strategies as st

from reverie.project.euclid import bjorklund, bresenham, euclid, rotate, shown

# G. Toussaint, "The Euclidean algorithm generates traditional musical rhythms" (2005): the
# rhythms as his table writes them, which is rotation 0 here.
TOUSSAINT = {
    (2, 3): "x.x", (2, 5): "x.x..", (3, 4): "x.xx", (3, 5): "x.x.x", (3, 7): "x.x.x..",
    (3, 8): "x..x..x.", (4, 7): "x.x.x.x", (4, 9): "x.x.x.x..", (4, 11): "x..x..x..x.",
    (5, 6): "x.xxxx", (5, 7): "x.xx.xx", (5, 8): "x.xx.xx.", (5, 9): "x.x.x.x.x",
    (5, 11): "x.x.x.x.x..", (5, 12): "x..x.x..x.x.", (5, 16): "x..x..x..x..x...",
    (7, 8): "x.xxxxxx", (7, 12): "x.xx.x.xx.x.", (7, 16): "x..x.x.x..x.x.x.",
    (9, 16): "x.xx.x.x.xx.x.x.", (11, 24): "x..x.x.x.x.x..x.x.x.x.x.",
    (13, 24): "x.xx.x.x.x.x.xx.x.x.x.x.",
}


@pytest.mark.parametrize("k, n", sorted(TOUSSAINT))
def test_the_known_rhythms(k, n):
    assert shown(bjorklund(k, n)) == TOUSSAINT[(k, n)]


def test_rotation_moves_the_rhythm_later():
    assert shown(euclid(3, 8, 1)) == ".x..x..x"
    assert shown(euclid(3, 8, -1)) == "..x..x.x"
    assert shown(euclid(5, 8, 8)) == shown(euclid(5, 8))
    assert shown(euclid(2, 5, 3)) == "x..x."


def test_no_pulses_and_all_pulses():
    assert shown(bjorklund(0, 5)) == "....."
    assert shown(bjorklund(4, 4)) == "xxxx"
    assert shown(bjorklund(1, 1)) == "x"


@pytest.mark.parametrize("k, n", [(-1, 4), (5, 4), (1, 0), (1, 129), (1.0, 4)])
def test_impossible_rhythms_are_refused(k, n):
    with pytest.raises(ValueError):
        bjorklund(k, n)


def necklace(rhythm):
    return min(rotate(rhythm, r) for r in range(len(rhythm)))


@given(st.integers(1, 32).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_bjorklund_and_bresenham_give_the_same_rhythm_up_to_a_rotation(kn):
    k, n = kn
    b = bjorklund(k, n)
    assert len(b) == n and sum(b) == k
    assert necklace(b) == necklace(bresenham(k, n))
    if k:
        assert b[0]                                             # it starts on a pulse
        gaps = [j - i for i, j in zip([i for i, x in enumerate(b) if x],
                                      [i for i, x in enumerate(b) if x][1:] + [n + b.index(True)])]
        assert max(gaps) - min(gaps) <= 1                       # as even as k in n can be
