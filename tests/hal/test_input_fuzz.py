"""Input from outside the box (MIDI bytes from any controller, the MIDI clock, the files the
box keeps: learn.toml, box and configuration TOML) never raises anything but a one-line
UserError, whatever it holds."""
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings, strategies as st

from fuzzkit import TOML_VALUES, mutated
from reverie.base.errors import UserError
from reverie.hal.box import BOXES_DIR, box_from_dict
from reverie.hal.controllers.learn import LearnMap
from reverie.hal.controllers.profiles import load_profiles
from reverie.hal.controllers.translate import Translator
from reverie.sync.clock_follower import ClockFollower

PROFILES = list(load_profiles())
MESSAGES = st.binary(min_size=0, max_size=8) | st.lists(st.integers(0, 255), min_size=1, max_size=4).map(bytes)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PROFILES), st.lists(MESSAGES, max_size=50), st.booleans())
def test_any_bytes_from_any_controller_are_an_event_or_nothing(profile, messages, learning):
    translate = Translator(profile, "Fuzz Pad", LearnMap())
    for k, data in enumerate(messages):
        translate(data, k * 0.001, learning)
    assert sum(translate.counts.values()) >= 0


@settings(max_examples=300, deadline=None)
@given(st.lists(MESSAGES, max_size=100))
def test_any_bytes_on_the_clock_input_are_taken_or_counted(messages):
    follower = ClockFollower()
    for k, data in enumerate(messages):
        follower.feed_message(data, 1_000_000 * k)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300) | st.sampled_from(['version = 1\n[[binding]]\ndevice = "x"\nchannel = 1\n'
                                                'control = 7\nkey = "k"\ntrack = 0\n']))
def test_any_learn_file_loads_or_is_one_line_and_changes_nothing(tmp_path, text):
    path = tmp_path / "learn.toml"
    path.write_text(text)
    learn = LearnMap()
    learn.bind("Keep", 0, 1, "volume_db", 0)
    try:
        learn.load(path)
    except UserError as exc:
        assert "\n" not in str(exc) and len(learn) == 1


REFERENCE = tomllib.loads((Path(BOXES_DIR) / "reference.toml").read_text())


@settings(max_examples=300, deadline=None)
@given(mutated(REFERENCE, values=TOML_VALUES))
def test_a_box_file_with_any_values_is_a_box_or_one_line(doc):
    try:
        box_from_dict(doc, "box.toml")
        event("a box")
    except UserError as exc:
        assert "\n" not in str(exc)
        event("refused")
