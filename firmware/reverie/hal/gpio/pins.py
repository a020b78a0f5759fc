"""Pin factories: the gpiozero backend a box's `gpio` setting names.

"rpigpio" drives the RPi.GPIO API. Installed from the `pi` extra it is rpi-lgpio, the
lgpio-backed drop-in that works on every Pi (a Pi 5 included); the original RPi.GPIO works
on a Pi 4 and older only. "lgpio" talks to the gpiochip device directly. "auto" takes lgpio
on a Pi 5 and RPi.GPIO elsewhere. "mock" is gpiozero's MockFactory (tests, benchmarks, a
box without hardware); "none" means no GPIO at all (the simulator).

The GPIO libraries are imported here, lazily, and nowhere else.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from reverie.base.errors import UserError

MODEL_PATH = Path("/proc/device-tree/model")
INSTALL_PI = 'install the Pi extra: pip install "reverie[pi]" (rpi-lgpio and lgpio)'
NOT_A_PI = ('this is not a Raspberry Pi ({why}); use [hardware] box = "simulator", '
            'or gpio = "mock" in the box')


def pi_model(model_path: Path = MODEL_PATH) -> str:
    """The device tree's model string ("Raspberry Pi 5 Model B Rev 1.0"), "" when absent."""
    try:
        return model_path.read_bytes().rstrip(b"\0").decode("ascii", "replace").strip()
    except OSError:
        return ""


def choose_backend(backend: str, model_path: Path = MODEL_PATH) -> str:
    """The concrete backend for `backend`; "auto" looks at the Pi's model."""
    if backend != "auto":
        return backend
    model = pi_model(model_path)
    if not model.startswith("Raspberry Pi"):
        why = f"{model_path} says {model!r}" if model else f"no {model_path}"
        raise UserError(f'gpio = "auto": {NOT_A_PI.format(why=why)}')
    # The Pi 5 family (5, 500, Compute Module 5) has its GPIO on the RP1 chip.
    pi5 = model.startswith(("Raspberry Pi 5", "Raspberry Pi 500", "Raspberry Pi Compute Module 5"))
    return "lgpio" if pi5 else "rpigpio"


def make_pin_factory(backend: str, model_path: Path = MODEL_PATH):
    """A gpiozero pin factory for the box's `gpio` setting, or None for "none".
    The caller owns it and calls its close() after the pins' users are closed."""
    backend = choose_backend(backend, model_path)
    if backend == "none":
        return None
    if backend == "mock":
        from gpiozero.pins.mock import MockFactory
        return MockFactory()
    if backend == "rpigpio":
        module = _import("gpiozero.pins.rpigpio", "rpigpio")
        return _construct(module.RPiGPIOFactory, "rpigpio", ())
    if backend == "lgpio":
        module = _import("gpiozero.pins.lgpio", "lgpio")
        return _construct(module.LGPIOFactory, "lgpio", (module.lgpio.error,))
    raise UserError(f'gpio = "{backend}" is not a GPIO backend; '
                    'use "auto", "rpigpio", "lgpio", "mock" or "none"')


def _import(module: str, backend: str):
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UserError(f'gpio = "{backend}" needs the Python module "{exc.name}": {INSTALL_PI}') from None
    except RuntimeError as exc:
        # RPi.GPIO refuses to import anywhere but on a Pi.
        raise UserError(f'gpio = "{backend}": {NOT_A_PI.format(why=exc)}') from None


def _construct(factory_class, backend: str, library_errors: tuple):
    from gpiozero.exc import BadPinFactory, PinUnknownPi
    try:
        return factory_class()
    except PinUnknownPi as exc:
        raise UserError(f'gpio = "{backend}": {NOT_A_PI.format(why=exc)}') from None
    except (OSError, BadPinFactory, *library_errors) as exc:
        raise UserError(f'gpio = "{backend}": cannot open the GPIO ({exc}); '
                        'is the user in the "gpio" group?') from None
    except RuntimeError as exc:
        # The original RPi.GPIO on a Pi 5: "Cannot determine SOC peripheral base address".
        raise UserError(f'gpio = "{backend}": {exc}; on a Pi 5 replace RPi.GPIO by '
                        f'rpi-lgpio ({INSTALL_PI})') from None
