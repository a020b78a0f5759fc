"""A keyboard's mod wheel and aftertouch: checked, then an effect for the focused track, which
the controller posts to the engine as that track's modulation source."""
import pytest

from scenes import ui

from reverie.base.errors import UserError
from reverie.base.events import Expression
from reverie.ui import effects as fx
from reverie.ui.expression import expression


def test_the_wheel_and_pressure_become_the_focused_tracks_modulation():
    u = ui()
    track = u.context.track
    assert u.handle(Expression("wheel", 0.25)) == [fx.Modulate(track, 0, 0.25)]
    assert u.handle(Expression("pressure", 1.0)) == [fx.Modulate(track, 1, 1.0)]


@pytest.mark.parametrize("ev, words", [(Expression("breath", 0.5), "no expression control 'breath'"),
                                       (Expression("wheel", 1.5), "a wheel value is 0..1"),
                                       (Expression("wheel", float("nan")), "a wheel value is 0..1")])
def test_a_bad_expression_is_refused_with_one_line(ev, words):
    with pytest.raises(UserError, match=words):
        expression(0, ev)
