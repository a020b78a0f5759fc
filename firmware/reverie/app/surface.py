"""The box's hands and face around the rig, chosen by its box file (reverie/hal/boxes/*.toml):

  inputs (GPIO keys, matrix and encoders, or the simulator's keyboard and window)
  -> display (the OLED, or the simulator's terminal and window) and its thread
  -> USB MIDI controllers (hot-plugged; their grid LEDs show the step grid)

Opened in that order and closed in reverse. Every input goes to `emit` (the control
thread's queue); a part that cannot start is refused with one line (UserError) unless it is
optional: a box without controllers plays on, and says so in the log."""
from __future__ import annotations

import logging
from pathlib import Path

from reverie.base.errors import UserError

log = logging.getLogger("reverie")


class Surface:
    def __init__(self, box, config, emit, quit, render, stream=None, stdin=None,
                 learn_file: Path | None = None, profiles_dir: Path | None = None):
        """`learn_file`: where MIDI learn bindings are kept; `profiles_dir`: the user's own
        controller profiles (both in the data directory; None: none kept, none read)."""
        self.box = box
        self.config = config
        self.emit = emit
        self.quit = quit
        self.render = render
        self.stream, self.stdin = stream, stdin
        self.factory = None
        self.gpio = None
        self.simulator = None
        self.display = None
        self.controllers = None
        self.learn_file = learn_file
        self.profiles_dir = profiles_dir
        self._cells = None

    @property
    def is_simulator(self) -> bool:
        return self.box.pads == "keyboard" or self.box.display.driver == "terminal"

    def start(self) -> Surface:
        try:
            self._start_inputs()
            self._start_display()
            self._start_controllers()
        except BaseException:
            self.close()
            raise
        return self

    def _start_inputs(self) -> None:
        from reverie.hal.gpio.scan import GpioInput
        from reverie.hal.gpio.pins import make_pin_factory

        self.factory = make_pin_factory(self.box.gpio)
        if self.factory is not None:
            self.gpio = GpioInput(self.box, self.factory, self.emit)
            self.gpio.start()
        if self.is_simulator:
            from reverie.hal.simulator import Simulator

            self.simulator = Simulator(self.emit, self.quit, window=self.config.hardware.window,
                                       stream=self.stream, stdin=self.stdin).start()

    def _start_display(self) -> None:
        from reverie.hal.display.devices import open_display
        from reverie.hal.display.thread import DisplayThread

        if self.simulator is not None:
            device, reopen = self.simulator.display, None
        else:   # an OLED that stops answering is opened again until it does
            device, reopen = open_display(self.box.display), lambda: open_display(self.box.display)
        if device is not None:
            self.display = DisplayThread(device, self.render, reopen=reopen).start()

    def _start_controllers(self) -> None:
        c = self.config.controllers
        if not c.enabled:
            return
        from reverie.hal.controllers.manager import ControllerManager
        from reverie.hal.controllers.profiles import load_profiles
        from reverie.hal.controllers.learn import LearnMap

        learn = LearnMap()
        try:
            if self.learn_file is not None:
                learn.load(self.learn_file)
        except UserError as exc:
            log.warning("MIDI learn bindings not loaded: %s", exc)
        profiles = load_profiles(self.profiles_dir,
                                 on_error=lambda e: log.warning("controller profile skipped: %s", e))
        try:
            self.controllers = ControllerManager(self.config.midi.api, self.emit, profiles, learn,
                                                 scan_interval_s=c.scan_interval_ms / 1000).start()
        except UserError as exc:
            log.warning("USB MIDI controllers off: %s", exc)
            self.controllers = None

    def show(self, view) -> None:
        if self.display is not None:
            self.display.show(view)

    def follow(self, ui) -> None:
        """Each control tick: the grid controllers' LEDs show the UI's step grid, and while
        FUNC is held every knob arrives unmapped, for MIDI learn."""
        if self.controllers is None:
            return
        cells = ui.grid_cells()
        if cells != self._cells:
            self._cells = cells
            self.controllers.set_grid(cells)
        if self.controllers.learning != ui.context.func:
            self.controllers.set_learning(ui.context.func)

    def learn(self, e, jobs) -> None:
        """Keeps a MIDI learn binding (ui.effects.Learn) and writes the bindings on the worker."""
        if self.controllers is None:
            return
        learned = self.controllers.learn
        if e.key:
            try:
                learned.bind(e.device, e.channel, e.control, e.key, e.track)
            except ValueError as exc:
                raise UserError(f"MIDI learn: {exc}") from None
        else:
            learned.unbind(e.device, e.channel, e.control)
        if self.learn_file is not None:
            jobs.run("keeping MIDI learn", lambda: learned.save(self.learn_file), lambda _: None)

    def contrast(self, level: int) -> None:
        if self.display is not None:
            self.display.contrast(level)

    def take_notices(self) -> list[str]:
        """What the parts have to say on the screen (a display that stopped answering)."""
        return self.display.take_notices() if self.display is not None else []

    def devices(self) -> tuple[str, ...]:
        if self.controllers is None:
            return ()
        return tuple(f"{d.name} ({d.profile})" for d in self.controllers.devices())

    def close(self) -> None:
        for part, closer in ((self.controllers, "close"), (self.display, "close"),
                             (self.simulator, "close"), (self.gpio, "close"), (self.factory, "close")):
            if part is not None:
                try:
                    getattr(part, closer)()
                except Exception:   # one part failing to close must not leave the others open
                    log.exception("closing %s", type(part).__name__)
        self.controllers = self.display = self.simulator = self.gpio = self.factory = None
