"""A configuration or settings file holding anything at all is a Config (or the settings)
or one line: never a traceback."""
import dataclasses
import json

from hypothesis import HealthCheck, event, given, settings, strategies as st

from fuzzkit import TOML_VALUES, VALUES, mutated
from reverie.app.config import Config, config_from_dict
from reverie.base.errors import UserError
from reverie.control.settings import defaults, load_settings


def as_toml_data(value):
    """The default configuration as tomllib would give it (no None)."""
    if isinstance(value, dict):
        return {k: as_toml_data(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [as_toml_data(v) for v in value]
    return value


FULL = as_toml_data(dataclasses.asdict(Config()))


@settings(max_examples=300, deadline=None)
@given(mutated(FULL, values=TOML_VALUES))
def test_a_configuration_with_any_values_is_a_config_or_one_line(doc):
    try:
        config_from_dict(doc, "config.toml")
        event("a config")
    except UserError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("config.toml")
        event("refused")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(VALUES | mutated({"pads.root": 3, "display.contrast": 200, "sync.source": "midi"}))
def test_a_settings_file_holding_anything_gives_settings(tmp_path, value):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(value))
    settings_now = load_settings(path, Config())
    assert settings_now.keys() == defaults(Config()).keys()
