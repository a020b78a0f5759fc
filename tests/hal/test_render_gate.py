"""The render gate: one engine, several drivers, exactly one renders, never two at once."""
import ctypes
import threading

import numpy as np
import pytest

from reverie.hal.audio.render_gate import RenderGate
from audio_helpers import tone_engine
from reverie.sound.buses import make_engine

PERIOD = 128

# PaStreamCallback, as PortAudio and the JACK client call it
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong,
                            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p)


def block():
    return np.full((PERIOD, 2), 7.0, dtype=np.float32)    # not silence: the gate must write it


def test_only_the_owner_renders_the_others_get_silence():
    engine = tone_engine()
    gate = RenderGate(engine)
    device, fallback = gate.slot("device"), gate.slot("fallback")
    assert gate.owner == 0
    out = block()
    assert device.render(out) is False                  # nobody owns the engine yet
    assert not out.any() and engine.frame == 0
    gate.give(device)
    assert device.owns and not fallback.owns
    for _ in range(10):
        assert device.render(block()) is True
    out = block()
    assert fallback.render(out) is False
    assert not out.any()
    assert engine.frame == 10 * PERIOD
    assert (device.calls, device.frames, device.silent) == (11, 10 * PERIOD, PERIOD)
    assert (fallback.calls, fallback.frames, fallback.silent) == (1, 0, PERIOD)


def test_the_gate_plays_what_the_engine_plays():
    gate = RenderGate(tone_engine())
    slot = gate.slot("device")
    gate.give(slot)
    through_gate = np.concatenate([b for b in (block() for _ in range(8)) if slot.render(b)])
    direct = np.zeros((8 * PERIOD, 2), dtype=np.float32)
    tone_engine().render(direct)
    np.testing.assert_array_equal(through_gate, direct)
    assert np.sqrt(np.mean(direct[PERIOD:] ** 2)) > 0.17


def test_a_c_driver_calls_the_gate_with_its_slot_as_user_data():
    engine = tone_engine()
    gate = RenderGate(engine)
    slot = gate.slot("device")
    gate.give(slot)
    callback = CALLBACK(slot.callback_address)
    out = block()
    assert callback(None, out.ctypes.data, PERIOD, None, 0, slot.userdata_address) == 0
    assert engine.frame == PERIOD and slot.frames == PERIOD
    assert np.abs(out).max() > 0.1


def test_a_block_of_the_wrong_shape_is_refused():
    gate = RenderGate(tone_engine())
    slot = gate.slot("x")
    with pytest.raises(ValueError, match="3 channels"):
        slot.render(np.zeros((PERIOD, 3), dtype=np.float32))
    with pytest.raises(ValueError):
        slot.render(np.zeros((PERIOD, 2), dtype=np.float64))


def test_two_threads_handing_the_engine_back_and_forth_never_render_at_once():
    """Two drivers call without pause while the owner flips thousands of times: every frame
    the engine counts was rendered by exactly one of them (a render that overlapped another
    would lose or double the engine's frame counter)."""
    engine = make_engine(48000)
    gate = RenderGate(engine)
    slots = [gate.slot("a"), gate.slot("b")]
    stop = threading.Event()

    def drive(slot):
        callback = CALLBACK(slot.callback_address)
        out = np.zeros((64, 2), dtype=np.float32)
        while not stop.is_set():
            callback(None, out.ctypes.data, 64, None, 0, slot.userdata_address)

    threads = [threading.Thread(target=drive, args=(s,)) for s in slots]
    for t in threads:
        t.start()
    flips = 0
    while flips < 4000 or min(s.frames for s in slots) == 0:
        gate.give(slots[flips % 2])
        flips += 1
    stop.set()
    for t in threads:
        t.join()
    assert engine.frame == slots[0].frames + slots[1].frames
    assert min(s.frames for s in slots) > 0 and min(s.silent for s in slots) > 0
    assert all(s.calls * 64 == s.frames + s.silent for s in slots)
