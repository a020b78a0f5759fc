"""A real box (`reverie run`, its own data directory, edits typed into its terminal) killed
with SIGKILL at random moments loses nothing it saved: every project loads and equals a
state the box was in. `reverie bench autosave-kill` does the same 200 times; here a handful.
And SIGTERM saves the last edit on the way out."""
import pytest

from reverie.app.bench.autosave_kill import run, stop_round

pytestmark = pytest.mark.timeout(240)


def test_sigkill_at_random_moments_leaves_every_project_loading_as_a_saved_state():
    said = []
    figures = run(rounds=5, seed=3, say=said.append)
    assert figures["problems"] == [], said
    assert figures["kills"] == figures["projects_loaded_after_kills"] == figures["equal_to_a_saved_state"] == 5
    assert figures["history_saves_loaded"] > 0          # the kills came after saves, not only before


def test_sigterm_saves_the_last_edit_and_stops_within_2_s():
    figures = stop_round(keys=20)
    assert figures["changed"] and figures["last_edit_saved"] and figures["exit_code"] == 0
    assert figures["stop_s"] < 2.0
