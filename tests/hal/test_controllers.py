"""The hot-plug manager on a JACK dummy server: rtmidi's JACK API, each virtual controller its
own JACK client, the manager's clients named so that it leaves only its own ports alone.

A virtual pad controller appears and goes away and comes back; its notes and CCs arrive as
Pad and Knob events; a Launchpad-named pair of ports gets programmer mode and LED notes; a
learned CC arrives as Knob(key=...); floods of CCs coalesce and floods of notes are bounded.
"""
import logging
import threading
import time

import pytest
import rtmidi

from reverie.base import events
from reverie.hal.controllers import manager as controllers
from reverie.hal.midi import ports as midi
from reverie.hal.controllers.manager import ControllerManager
from reverie.hal.controllers.profiles import load_profiles
from reverie.hal.controllers.learn import LearnMap, device_name

pytestmark = pytest.mark.jack            # every test here runs on a JACK dummy server

APPEAR_S = 1.0            # the promise: a controller is seen within a second, gone within one
WAIT_S = 5.0
PROBE_CC = 100            # unmapped in every shipped profile: arrives as Control


@pytest.fixture(scope="module")
def jack():
    from reverie.hal.audio.jackd import JackServer

    with JackServer(period_frames=128) as server, server.as_default():
        yield server


@pytest.fixture(scope="module")
def profiles():
    return load_profiles()


class Recorder:
    """emit(): keeps every event. An app that is behind: `open.clear()` makes emit wait (a
    blocking queue), `refuse = True` makes it return False (a full queue that never blocks)."""

    def __init__(self):
        self.events = []
        self.changed = threading.Condition()
        self.open = threading.Event()
        self.open.set()
        self.refuse = False

    def __call__(self, event):
        if self.refuse:
            return False
        self.open.wait()
        with self.changed:
            self.events.append(event)
            self.changed.notify_all()
        return True

    def behind(self, how):
        if how == "blocks":
            self.open.clear()
        else:
            self.refuse = True

    def catch_up(self):
        self.refuse = False
        self.open.set()

    def wait_for(self, predicate, timeout=WAIT_S, start=0):
        """The first event from index `start` on that satisfies `predicate`."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for k in range(start, len(self.events)):
                    if predicate(self.events[k]):
                        return self.events[k]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no such event within {timeout} s: {self.events[-5:]}")
                self.changed.wait(left)

    def of(self, kind, start=0):
        with self.changed:
            return [e for e in self.events[start:] if isinstance(e, kind)]


def wait_until(condition, timeout=WAIT_S):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


class Device:
    """A virtual controller: an rtmidi JACK client with an output port named like the real one."""

    def __init__(self, jack, client, port):
        self.out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name=jack.client_name(client))
        self.out.open_virtual_port(port)
        self.port = f"{jack.client_name(client)}:{port}"

    def send(self, *message):
        self.out.send_message(list(message))

    def close(self):
        self.out.close_port()
        self.out.delete()


def connected(recorder, device, start=0):
    """Waits until notes from `device` reach the manager: JACK makes a new connection at a
    cycle boundary, so probe CCs go out until one comes back as a Control."""
    deadline = time.monotonic() + WAIT_S
    while True:
        device.send(0xBF, PROBE_CC, 1)
        try:
            return recorder.wait_for(lambda e: isinstance(e, events.Control) and e.control == PROBE_CC,
                                     timeout=0.05, start=start)
        except AssertionError:
            assert time.monotonic() < deadline, "the controller never got through"


@pytest.fixture
def manager(jack, profiles):
    recorder = Recorder()
    made = []

    def make(**kwargs):
        m = ControllerManager("jack", recorder, profiles, own_names=(jack.client_name("ctl"),),
                              **kwargs)
        made.append(m)
        return m.start()

    yield make, recorder
    recorder.catch_up()
    for m in made:
        m.close()


@pytest.mark.timing
@pytest.mark.timeout(60)
def test_a_pad_controller_is_hot_plugged_and_translated(jack, manager):
    make, recorder = manager
    ctl = make()
    t0 = time.monotonic()
    pads = Device(jack, "MPD218", "MPD218 Port A")
    try:
        came = recorder.wait_for(lambda e: isinstance(e, events.Device), timeout=APPEAR_S)
        assert came == events.Device(pads.port, "generic-pads", True, came.t) and came.t >= t0
        connected(recorder, pads)
        assert [(d.name, d.profile, d.grid) for d in ctl.devices()] == [(pads.port, "generic-pads", False)]
        start = len(recorder.events)
        sent_at = time.monotonic()
        pads.send(0x99, 36, 100)
        pads.send(0x89, 36, 0)
        pads.send(0x99, 51, 7)
        pads.send(0xB0, 3, 127)          # knob 0, absolute
        pads.send(0xB0, 9, 0)            # knob 1
        recorder.wait_for(lambda e: isinstance(e, events.Knob) and e.slot == 1, start=start)
        got = [e for e in recorder.events[start:] if not isinstance(e, events.Control)]
        assert [(type(e), e.pad if isinstance(e, events.Pad) else e.slot) for e in got] == [
            (events.Pad, 0), (events.Pad, 0), (events.Pad, 15), (events.Knob, 0), (events.Knob, 1)]
        assert [e.velocity for e in got[:3]] == [100, 0, 7]
        assert [e.value for e in got[3:]] == [1.0, 0.0]
        assert all(sent_at <= e.t <= time.monotonic() for e in got)     # stamped on arrival
    finally:
        pads.close()
    t_gone = time.monotonic()
    gone = recorder.wait_for(lambda e: isinstance(e, events.Device) and not e.present,
                             timeout=APPEAR_S)
    assert gone.name == pads.port and gone.profile == "generic-pads" and gone.t >= t_gone
    assert ctl.devices() == []

    start = len(recorder.events)
    again = Device(jack, "MPD218", "MPD218 Port A")
    try:
        back = recorder.wait_for(lambda e: isinstance(e, events.Device), timeout=APPEAR_S, start=start)
        assert back.present and back.name == again.port
        connected(recorder, again, start)
        again.send(0x99, 40, 64)
        assert recorder.wait_for(lambda e: isinstance(e, events.Pad), start=start) == \
            events.Pad(4, 64, recorder.of(events.Pad, start)[0].t)
    finally:
        again.close()
    assert ctl.stats()["malformed"] == 0


class LedSink:
    """The Launchpad's input, as a virtual port: what the manager sends to its LEDs."""

    def __init__(self, jack, client):
        self.messages = []
        self.arrived = threading.Condition()
        self.midi = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, name=jack.client_name(client))
        self.midi.ignore_types(sysex=False)
        self.midi.set_callback(self._received)

    def open(self):
        self.midi.open_virtual_port("LPMiniMK3 MIDI")

    def _received(self, message, _data):
        with self.arrived:
            self.messages.append(bytes(message[0]))
            self.arrived.notify_all()

    def wait(self, count):
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=WAIT_S), \
                [m.hex() for m in self.messages]
            return list(self.messages)

    def close(self):
        self.midi.close_port()
        self.midi.delete()


@pytest.fixture
def led_sink(jack):
    made = []

    def make(client):
        made.append(LedSink(jack, client))
        return made[-1]

    yield make
    for sink in made:          # before the JACK server stops, even when a test failed
        sink.close()


@pytest.mark.timing
@pytest.mark.timeout(60)
def test_a_launchpad_gets_programmer_mode_and_only_changed_leds(jack, manager, led_sink):
    make, recorder = manager
    sink = led_sink("Launchpad Mini MK3 in")
    sink.open()
    ctl = make()
    pad = Device(jack, "Launchpad Mini MK3", "LPMiniMK3 MIDI")
    daw = Device(jack, "Launchpad Mini MK3 daw", "LPMiniMK3 DAW")       # left alone
    try:
        came = recorder.wait_for(lambda e: isinstance(e, events.Device), timeout=APPEAR_S)
        assert came.profile == "launchpad-mini"
        first = sink.wait(65)
        assert first[0] == bytes.fromhex("F0 00 20 29 02 0D 0E 01 F7")
        assert sorted(m[1] for m in first[1:]) == sorted(10 * r + c for r in range(1, 9) for c in range(1, 9))
        assert {m[2] for m in first[1:]} == {0}
        assert [(d.profile, d.grid) for d in ctl.devices()] == [("launchpad-mini", True)]

        palette = load_profiles().get("launchpad-mini").grid.palette
        cells = [["off"] * 8 for _ in range(8)]
        cells[0][0], cells[0][1], cells[7][7] = "step", "step_playing", "playhead"
        ctl.set_grid(cells)
        assert sink.wait(68)[65:] == [bytes([0x90, 81, palette["step"]]),
                                      bytes([0x90, 82, palette["step_playing"]]),
                                      bytes([0x90, 18, palette["playhead"]])]
        cells[0][1] = "step"
        ctl.set_grid(cells)
        assert sink.wait(69)[68:] == [bytes([0x90, 82, palette["step"]])]

        connected(recorder, pad)
        start = len(recorder.events)
        pad.send(0x90, 81, 127)
        pad.send(0x90, 81, 0)
        pad.send(0xB0, 89, 127)
        recorder.wait_for(lambda e: isinstance(e, events.Key), start=start)
        assert [(e.x, e.y, e.pressed) for e in recorder.of(events.Grid, start)] == [(0, 0, True), (0, 0, False)]
        assert recorder.of(events.Key, start)[0].name == "PLAY"
        with pytest.raises(ValueError):
            ctl.set_grid([["lit"] * 8] * 8)
    finally:
        ctl.close()
        pad.close()
        daw.close()
    last = sink.wait(73)
    assert last[69:72] == [bytes([0x90, n, 0]) for n in (81, 82, 18)]      # darkened
    assert last[72] == bytes.fromhex("F0 00 20 29 02 0D 0E 00 F7")        # live mode again
    assert [e.profile for e in recorder.of(events.Device)] == ["launchpad-mini"]


@pytest.mark.timeout(60)
def test_a_learned_cc_arrives_as_a_knob_with_its_key(jack, manager, profiles):
    make, recorder = manager
    learn = LearnMap()
    ctl = ControllerManager("jack", recorder, profiles, learn,
                            own_names=(jack.client_name("ctl-learn"),)).start()
    pads = Device(jack, "MPD218 learn", "MPD218 Port A")
    try:
        learn.bind(pads.port + " 24:0", 2, 74, "cutoff_hz", track=5)   # numbers as ALSA adds them
        connected(recorder, pads)
        start = len(recorder.events)
        pads.send(0xB2, 74, 127)
        pads.send(0xB2, 75, 10)
        recorder.wait_for(lambda e: isinstance(e, events.Control) and e.control == 75, start=start)
        ctl.set_learning(True)
        pads.send(0xB2, 74, 0)
        recorder.wait_for(lambda e: isinstance(e, events.Control) and e.control == 74, start=start)
        got = [e for e in recorder.events[start:]]
        assert got[0] == events.Knob(-1, 1.0, False, "cutoff_hz", 5, got[0].t)
        assert got[1] == events.Control(device_name(pads.port), 2, 75, 10, got[1].t)
        assert got[2] == events.Control(device_name(pads.port), 2, 74, 0, got[2].t)
    finally:
        ctl.close()
        pads.close()


def send_paced(device, ctl, messages, chunk=100):
    """Sends in chunks, each once the last has arrived: a burst as fast as JACK carries it.
    rtmidi's JACK output garbles messages past about 230 in one period (measured at 128
    frames: the rest arrive as copies of one), so no chunk is larger than 100."""
    base = ctl.stats()["received"]
    for k in range(0, len(messages), chunk):
        for message in messages[k:k + chunk]:
            device.send(*message)
        wait_until(lambda: ctl.stats()["received"] >= base + min(k + chunk, len(messages)))


@pytest.mark.timeout(120)
@pytest.mark.parametrize("app", ["blocks", "refuses"])
def test_a_flood_of_ccs_coalesces_and_the_last_value_wins(jack, manager, app):
    make, recorder = manager
    ctl = make()
    pads = Device(jack, "MPD218 flood", "MPD218 Port A")
    try:
        connected(recorder, pads)
        start = len(recorder.events)
        recorder.behind(app)
        values = [k % 128 for k in range(9_999)] + [77]
        send_paced(pads, ctl, [(0xB0, 3, v) for v in values])
        stats = ctl.stats()
        assert stats["pending"] <= 2 and stats["pending_high_water"] <= 4, stats
        assert stats["coalesced"] >= len(values) - 3
        assert (stats["refused"] > 0) == (app == "refuses")
        recorder.catch_up()
        recorder.wait_for(lambda e: isinstance(e, events.Knob) and e.value == 77 / 127, start=start)
        wait_until(lambda: ctl.stats()["pending"] == 0)
        knobs = recorder.of(events.Knob, start)
        assert len(knobs) <= 2 and knobs[-1].value == 77 / 127
    finally:
        pads.close()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("app", ["blocks", "refuses"])
def test_a_flood_of_notes_is_bounded_and_the_drop_is_logged_once(jack, manager, caplog, app):
    make, recorder = manager
    ctl = make(max_pending=200)
    pads = Device(jack, "MPD218 notes", "MPD218 Port A")
    try:
        connected(recorder, pads)
        start = len(recorder.events)
        recorder.behind(app)
        with caplog.at_level(logging.WARNING, logger=controllers.__name__):
            send_paced(pads, ctl, [(0x99, 36 + k % 16, 1 + k % 127) for k in range(10_000)])
            stats = ctl.stats()
            assert stats["pending_high_water"] <= 201, stats
            assert stats["dropped"] >= 10_000 - 201
            recorder.catch_up()
            wait_until(lambda: ctl.stats()["pending"] == 0 and len(recorder.of(events.Pad, start))
                       == 10_000 - ctl.stats()["dropped"])
        pads_in = recorder.of(events.Pad, start)
        assert 200 <= len(pads_in) <= 201
        assert [(p.pad, p.velocity) for p in pads_in[:3]] == [(0, 1), (1, 2), (2, 3)]   # the first kept
        drops = [r for r in caplog.records if "dropped" in r.getMessage()]
        assert len(drops) == 1 and "\n" not in drops[0].getMessage()
    finally:
        pads.close()


@pytest.mark.timeout(60)
def test_malformed_messages_are_dropped_counted_and_logged_once(jack, manager, caplog):
    make, recorder = manager
    ctl = make()
    pads = Device(jack, "MPD218 bad", "MPD218 Port A")
    try:
        connected(recorder, pads)
        start = len(recorder.events)
        with caplog.at_level(logging.WARNING, logger=controllers.__name__):
            pads.send(0x99, 0x80, 1)           # a data byte with the top bit set
            pads.send(0x99, 36)                # too short
            pads.send(0x99, 37, 90)
            recorder.wait_for(lambda e: isinstance(e, events.Pad), start=start)
        assert recorder.of(events.Pad, start) == [events.Pad(1, 90, recorder.of(events.Pad, start)[0].t)]
        assert ctl.stats()["malformed"] == 2
        bad = [r.getMessage() for r in caplog.records if "malformed" in r.getMessage()]
        assert len(bad) == 1 and "99 80 01" in bad[0]
    finally:
        pads.close()


@pytest.mark.timeout(60)
def test_a_port_that_fails_to_open_is_logged_once_and_retried(jack, manager, monkeypatch, caplog):
    make, recorder = manager
    real_open, tries = midi.open_input, []

    def flaky_open(query, *args, **kwargs):
        tries.append(query)
        if len(tries) <= 3:
            raise midi.UserError(f"no MIDI input port matches '{query}'")
        return real_open(query, *args, **kwargs)

    monkeypatch.setattr(midi, "open_input", flaky_open)
    with caplog.at_level(logging.WARNING, logger=controllers.__name__):
        ctl = make(scan_interval_s=0.05)
        pads = Device(jack, "MPD218 flaky", "MPD218 Port A")
        try:
            connected(recorder, pads)
            assert len(tries) == 4 and [d.port for d in ctl.devices()] == [pads.port]
            # Nothing was announced for the failed tries: no flapping.
            assert [e.present for e in recorder.of(events.Device)] == [True]
        finally:
            pads.close()
    failures = [r.getMessage() for r in caplog.records if "did not open" in r.getMessage()]
    assert len(failures) == 1 and pads.port in failures[0]


@pytest.mark.timing
@pytest.mark.timeout(60)
def test_our_own_ports_and_skipped_ports_are_left_alone(jack, manager):
    make, recorder = manager
    ctl = make()
    ours = midi.open_virtual_output("out", api="jack", client_name=jack.client_name("ctl") + "-app")
    through = Device(jack, "Midi Through", "Midi Through Port-0")
    keys = Device(jack, "KeyStep", "KeyStep 32 MIDI 1")
    try:
        came = recorder.wait_for(lambda e: isinstance(e, events.Device), timeout=APPEAR_S)
        assert came.profile == "generic-keyboard" and came.name == keys.port
        connected(recorder, keys)
        assert [d.port for d in ctl.devices()] == [keys.port]
    finally:
        ours.close()
        through.close()
        keys.close()


@pytest.mark.timeout(60)
def test_a_grid_whose_led_port_comes_later_gets_its_leds_then(jack, manager, led_sink, caplog):
    make, recorder = manager
    sink = led_sink("Launchpad Mini MK3 late in")
    with caplog.at_level(logging.WARNING, logger=controllers.__name__):
        ctl = make(scan_interval_s=0.05)
        pad = Device(jack, "Launchpad Mini MK3 late", "LPMiniMK3 MIDI")
        try:
            connected(recorder, pad)
            wait_until(lambda: any("no LEDs yet" in r.getMessage() for r in caplog.records))
            assert [d.grid for d in ctl.devices()] == [False]
            sink.open()
            assert sink.wait(65)[0] == bytes.fromhex("F0 00 20 29 02 0D 0E 01 F7")
            assert [d.grid for d in ctl.devices()] == [True]
        finally:
            ctl.close()
            pad.close()
    waits = [r.getMessage() for r in caplog.records if "no LEDs yet" in r.getMessage()]
    assert len(waits) == 1


@pytest.mark.timing
@pytest.mark.timeout(120)
def test_the_bench_measures_latency_and_hot_plug_times(jack):
    from reverie.app.bench.controllers import run

    result = run(seconds=0.2, hotplug_cycles=2, server=jack)    # one JACK server a process
    assert result["notes"] == 40 and result["hotplug_cycles"] == 2
    for name in ("send_to_stamp", "stamp_to_emit", "send_to_emit"):
        p50, p99, top = (result[f"{name}_ms_{k}"] for k in ("p50", "p99", "max"))
        assert 0 <= p50 <= p99 <= top, result
    # Loose bounds for a shared machine; the figures themselves are the bench's business.
    assert result["send_to_emit_ms_p50"] < 50
    assert 0 < result["appear_ms_median"] <= result["appear_ms_max"] < 1000 * APPEAR_S
    assert 0 < result["vanish_ms_median"] <= result["vanish_ms_max"] < 1000 * APPEAR_S
    assert result["dropped"] == result["malformed"] == 0
