"""Bad projects never raise anything but a one-line UserError: the demo with values replaced
by anything JSON can hold, and JSON text of any shape, through the same reader the box and
`reverie render` use."""
import json

from hypothesis import event, given, settings, strategies as st

from fuzzkit import mutated
from reverie.base.errors import UserError
from reverie.base.validate import parse_json
from reverie.project.demo import demo_project_path
from reverie.project.model import Project

DEMO = json.loads((demo_project_path() / "project.json").read_text())


@settings(max_examples=300, deadline=None)
@given(mutated(DEMO))
def test_a_project_with_any_values_loads_or_is_one_line(doc):
    try:
        project = Project.from_dict(doc)
    except UserError as exc:
        assert "\n" not in str(exc) and str(exc)
        event("refused")
        return
    event("loaded")
    assert Project.from_dict(project.to_dict()) == project   # what loads saves and loads again


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]",:0123456789.-eE aINfty\\ntrulsf', max_size=200))
def test_any_text_is_json_or_one_line(text):
    try:
        parse_json(text, "project.json")
    except UserError as exc:
        assert str(exc).startswith("project.json: ") and "\n" not in str(exc)
