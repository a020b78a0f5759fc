"""Pin factories: the backend chosen for each Pi model, and one-line errors when the GPIO
library is missing, refuses to run off a Pi, or cannot open the GPIO."""
import importlib.abc
import importlib.machinery
import sys
import types

import pytest
from gpiozero.exc import PinUnknownPi
from gpiozero.pins.mock import MockFactory

from reverie.base.errors import UserError
from reverie.hal.gpio.pins import choose_backend, make_pin_factory, pi_model


def model_file(tmp_path, text):
    path = tmp_path / "model"
    path.write_bytes(text.encode() + b"\0")
    return path


def test_mock_is_gpiozeros_mock_factory_and_none_is_no_factory():
    assert isinstance(make_pin_factory("mock"), MockFactory)
    assert make_pin_factory("none") is None


@pytest.mark.parametrize("model, backend", [
    ("Raspberry Pi 5 Model B Rev 1.0", "lgpio"),
    ("Raspberry Pi 500 Rev 1.0", "lgpio"),
    ("Raspberry Pi Compute Module 5 Rev 1.0", "lgpio"),
    ("Raspberry Pi 4 Model B Rev 1.5", "rpigpio"),
    ("Raspberry Pi 3 Model B Plus Rev 1.3", "rpigpio"),
    ("Raspberry Pi Zero 2 W Rev 1.0", "rpigpio"),
])
def test_auto_takes_lgpio_on_a_pi_5_and_rpigpio_elsewhere(tmp_path, model, backend):
    path = model_file(tmp_path, model)
    assert pi_model(path) == model
    assert choose_backend("auto", path) == backend


def test_explicit_backends_are_kept_whatever_the_model(tmp_path):
    path = model_file(tmp_path, "Raspberry Pi 5 Model B Rev 1.0")
    assert [choose_backend(b, path) for b in ("rpigpio", "lgpio", "mock", "none")] == \
        ["rpigpio", "lgpio", "mock", "none"]


def test_auto_off_a_pi_says_what_to_use(tmp_path):
    with pytest.raises(UserError) as caught:
        make_pin_factory("auto", tmp_path / "absent")
    assert str(caught.value) == (
        f'gpio = "auto": this is not a Raspberry Pi (no {tmp_path / "absent"}); '
        'use [hardware] box = "simulator", or gpio = "mock" in the box')
    with pytest.raises(UserError, match="this is not a Raspberry Pi .*says 'Pine64 Rock'"):
        make_pin_factory("auto", model_file(tmp_path, "Pine64 Rock"))


@pytest.mark.parametrize("backend, module", [("rpigpio", "RPi"), ("lgpio", "lgpio")])
def test_a_missing_gpio_library_names_the_extra_to_install(monkeypatch, backend, module):
    monkeypatch.delitem(sys.modules, f"gpiozero.pins.{backend}", raising=False)
    monkeypatch.setitem(sys.modules, module, None)      # import fails as if not installed
    with pytest.raises(UserError) as caught:
        make_pin_factory(backend)
    assert str(caught.value) == (f'gpio = "{backend}" needs the Python module "{module}": '
                                 'install the Pi extra: pip install "reverie[pi]" (rpi-lgpio and lgpio)')


class RefusingRPi(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """RPi.GPIO as it behaves off a Pi: importing it raises RuntimeError."""

    def find_spec(self, name, path=None, target=None):
        if name in ("RPi", "RPi.GPIO"):
            return importlib.machinery.ModuleSpec(name, self, is_package=name == "RPi")
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if module.__name__ == "RPi.GPIO":
            raise RuntimeError("This module can only be run on a Raspberry Pi!")


def test_rpi_gpio_off_a_pi_is_a_user_error(monkeypatch):
    for name in ("gpiozero.pins.rpigpio", "RPi", "RPi.GPIO"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(sys, "meta_path", [RefusingRPi()] + sys.meta_path)
    with pytest.raises(UserError, match=r'gpio = "rpigpio": this is not a Raspberry Pi '
                                        r'\(This module can only be run on a Raspberry Pi!\)'):
        make_pin_factory("rpigpio")


def fake_backend(monkeypatch, backend, failure):
    """gpiozero's backend module with a factory that raises failure(its lgpio module)."""
    lgpio = types.SimpleNamespace(error=type("error", (Exception,), {}))

    def factory():
        raise failure(lgpio)
    module = types.SimpleNamespace(RPiGPIOFactory=factory, LGPIOFactory=factory, lgpio=lgpio)
    monkeypatch.setitem(sys.modules, f"gpiozero.pins.{backend}", module)


def test_a_factory_that_finds_no_pi_is_a_user_error(monkeypatch):
    fake_backend(monkeypatch, "lgpio", lambda _: PinUnknownPi("unable to locate Pi revision"))
    with pytest.raises(UserError, match='gpio = "lgpio": this is not a Raspberry Pi'):
        make_pin_factory("lgpio")


def test_a_gpiochip_that_cannot_be_opened_points_at_the_gpio_group(monkeypatch):
    fake_backend(monkeypatch, "lgpio", lambda lgpio: lgpio.error("can not open gpiochip"))
    with pytest.raises(UserError, match=r'cannot open the GPIO \(can not open gpiochip\); '
                                        r'is the user in the "gpio" group\?'):
        make_pin_factory("lgpio")


def test_old_rpi_gpio_on_a_pi_5_says_to_use_rpi_lgpio(monkeypatch):
    fake_backend(monkeypatch, "rpigpio",
                 lambda _: RuntimeError("Cannot determine SOC peripheral base address"))
    with pytest.raises(UserError, match="on a Pi 5 replace RPi.GPIO by rpi-lgpio"):
        make_pin_factory("rpigpio")


def test_an_unknown_backend_is_a_user_error():
    with pytest.raises(UserError, match='gpio = "wiringpi" is not a GPIO backend'):
        make_pin_factory("wiringpi")
