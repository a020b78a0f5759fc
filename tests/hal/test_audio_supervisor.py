"""The supervised audio output against a fake sound card: a thread that calls the render
gate's C callback at real-time pace, as PortAudio's callback thread does, and that can be
unplugged (it stops and says so), hung (it stops and says nothing) and plugged back in.
The JACK server case, with the real client, is tests/hal/test_jack_output.py and
tests/app/test_audio_recovery.py."""
import ctypes
import threading
import time

import numpy as np
import pytest
import soundfile

from reverie.hal.audio.output import AudioOutput, AudioSettings, NoAudioDevice
from reverie.hal.audio.supervisor import AudioSupervisor, RecordSettings
from reverie.sound.buses import make_engine

RATE, PERIOD = 48000, 128
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong,
                            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p)
FAST = dict(poll_s=0.01, retry_s=0.05, stall_s=0.2, first_callback_s=1.0)


class FakeCard(AudioOutput):
    """A sound card: its own thread calls the callback every period with a fresh buffer."""

    def __init__(self, world, slot, settings):
        super().__init__(slot, settings)
        self.world = world
        self.description = f"fake card {world.opened}"
        self._callback = CALLBACK(slot.callback_address)
        self._halt = threading.Event()
        self._thread = None
        self.unplugged = False
        self.peaks: list[float] = []

    @property
    def failure(self) -> str:
        return "the card was unplugged" if self.unplugged and self._running else ""

    def _start(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        out = np.zeros((PERIOD, 2), dtype=np.float32)
        deadline = time.monotonic()
        while not self._halt.is_set() and not self.world.hung and not self.unplugged:
            self._callback(None, out.ctypes.data, PERIOD, None, 0, self.engine.userdata_address)
            self.peaks.append(float(np.abs(out).max()))
            deadline += PERIOD / RATE
            self._halt.wait(max(0.0, deadline - time.monotonic()))

    def _stop(self):
        self._halt.set()
        self._thread.join()

    def _close(self):
        self.world.closed += 1


class World:
    """Whether the card is plugged in; every card opened."""

    def __init__(self, present=True):
        self.present = present
        self.hung = False
        self.opened = 0
        self.closed = 0
        self.rescans = 0
        self.cards: list[FakeCard] = []

    def open(self, slot, settings, quiet=False):
        if not self.present:
            raise NoAudioDevice("no audio output device found")
        self.opened += 1
        self.cards.append(FakeCard(self, slot, settings))
        return self.cards[-1]

    def rescan(self):
        self.rescans += 1

    def unplug(self):
        self.present = False
        self.cards[-1].unplugged = True


def wait_for(condition, timeout_s=5.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def loud_engine():
    """A sine at 0.25 on track 0, looping, so a silent block means the gate gave silence."""
    t = np.arange(6400) / RATE
    x = (0.25 * np.sin(2 * np.pi * 750.0 * t)).astype(np.float32)
    from reverie.core.defs import LoopMode, TrackParam
    engine = make_engine(RATE)
    engine.set_sample(0, np.stack([x, x], axis=1))
    engine.set_param(0, TrackParam.P_LOOP_MODE, LoopMode.LOOP_FORWARD)
    engine.note_on(0, 60, 127, frame=1)
    return engine


def supervised(world, record=RecordSettings(), **tuning):
    """The supervisor on the fake card; the kernel's card list says whether it is plugged in."""
    settings = AudioSettings(device="fake", period_frames=PERIOD)
    return AudioSupervisor(loud_engine(), settings, record, opener=world.open, **{**FAST, **tuning},
                           cards=lambda: "0 [Fake]: fake card" if world.present else "",
                           rescan=world.rescan)


@pytest.mark.timeout(30, method="thread")
def test_a_card_that_is_unplugged_leaves_the_engine_running_on_the_fallback_clock_and_comes_back():
    world = World()
    sup = supervised(world).start()
    try:
        card = world.cards[0]
        assert sup.device is card and not sup.health().silent
        assert wait_for(lambda: sup.engine.frame > RATE // 10)
        assert max(card.peaks[10:]) > 0.2                 # the card plays the engine
        world.unplug()
        assert wait_for(lambda: sup.health().silent)
        h = sup.health()
        assert h.losses == 1 and h.last_loss_unix == pytest.approx(time.time(), abs=5)
        assert sup.take_notices() == ["audio device lost: the card was unplugged — playing on silently"]
        # silent, but the engine's clock goes on at real-time pace
        frame, t = sup.engine.frame, time.monotonic()
        time.sleep(0.3)
        advanced_s = (sup.engine.frame - frame) / RATE
        assert 0.5 * (time.monotonic() - t) < advanced_s < 1.5 * (time.monotonic() - t)
        assert sup.health().fallback_frames >= sup.engine.frame - frame
        assert world.closed == 1                           # the dead card was let go
        # plugged back in: the next try opens it and it plays the engine again
        world.present = True
        plugged = time.monotonic()
        assert wait_for(lambda: not sup.health().silent)
        assert time.monotonic() - plugged < 3.0
        assert sup.take_notices() == ["audio back: fake card 2"]
        new_card = world.cards[1]
        assert wait_for(lambda: len(new_card.peaks) > 50)
        assert max(new_card.peaks[-20:]) > 0.2
        fallback = sup.health().fallback_frames
        time.sleep(0.1)
        assert sup.health().fallback_frames == fallback    # the fallback clock has stopped
    finally:
        sup.close()
    assert world.closed == 2


@pytest.mark.timeout(30, method="thread")
def test_a_card_whose_callbacks_stop_without_a_word_is_lost_after_the_stall_time():
    world = World()
    sup = supervised(world, stall_s=0.2).start()
    try:
        assert wait_for(lambda: sup.engine.frame > 0)
        world.hung = True                 # the callback thread is stuck, the stream says nothing
        hung = time.monotonic()
        assert wait_for(lambda: sup.health().silent)
        assert 0.2 <= time.monotonic() - hung < 1.5
        notice, = sup.take_notices()
        assert notice.startswith("audio device lost: no audio callback for 0.")
        world.hung = False
        assert wait_for(lambda: not sup.health().silent)
    finally:
        sup.close()


@pytest.mark.timeout(30, method="thread")
def test_the_fallback_clock_catches_up_from_the_last_callback_so_the_engine_keeps_time():
    world = World()
    sup = supervised(world, stall_s=0.3).start()
    try:
        assert wait_for(lambda: sup.engine.frame > RATE // 10)
        started = time.monotonic() - sup.engine.frame / RATE
        world.hung = True
        assert wait_for(lambda: sup.health().silent)
        time.sleep(0.2)
        # frames played against time since the first callback: no hole where the stall was
        behind_s = (time.monotonic() - started) - sup.engine.frame / RATE
        assert -0.05 < behind_s < 0.1
    finally:
        sup.close()


@pytest.mark.timeout(30, method="thread")
def test_no_card_at_start_plays_silently_writes_nothing_and_takes_the_card_when_it_comes(tmp_path):
    world = World(present=False)
    sup = supervised(world).start()
    try:
        assert sup.health().silent and sup.device is None
        assert sup.take_notices() == ["no audio device: no audio output device found — playing on silently"]
        assert wait_for(lambda: sup.engine.frame > RATE // 5)
        assert sup.health().losses == 0 and sup.recording is None
        # PortAudio is re-initialised once, then only when the card list changes
        time.sleep(0.3)
        assert world.rescans == 1 and world.opened == 0
        world.present = True
        assert wait_for(lambda: not sup.health().silent)
    finally:
        sup.close()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.timeout(30, method="thread")
def test_without_a_card_a_recording_is_made_when_asked_and_ends_when_the_card_comes(tmp_path):
    world = World(present=False)
    sup = supervised(world, RecordSettings(folder=tmp_path / "recordings", max_bytes=2**20)).start()
    try:
        assert wait_for(lambda: sup.engine.frame > RATE // 2)
        path = sup.recording.path
        assert sup.health().recording == str(path)
        world.present = True
        assert wait_for(lambda: not sup.health().silent)
        assert sup.recording is None
    finally:
        sup.close()
    assert path.parent == tmp_path / "recordings" and path.suffix == ".wav"
    assert [p.name for p in path.parent.iterdir()] == [path.name]          # no .part left
    info = soundfile.info(path)
    assert (info.samplerate, info.channels, info.subtype) == (RATE, 2, "PCM_24")
    assert info.frames >= RATE // 2
    audio, _ = soundfile.read(path, dtype="float32")
    assert np.abs(audio[RATE // 10:]).max() > 0.2        # what the engine played


@pytest.mark.timeout(30, method="thread")
def test_a_card_that_opens_but_never_calls_back_is_closed_and_tried_again():
    world = World()
    world.hung = True
    sup = supervised(world, first_callback_s=0.1, rescan_s=0.05).start()
    try:
        assert sup.health().silent
        assert sup.take_notices() == ["no audio device: fake card 1 gave no audio callback — playing on silently"]
        assert wait_for(lambda: world.opened >= 3)
        assert world.closed >= 2 and sup.health().silent
        world.hung = False
        assert wait_for(lambda: not sup.health().silent)
    finally:
        sup.close()


def test_close_is_idempotent_and_reports_what_played(caplog):
    world = World()
    sup = supervised(world).start()
    sup.close()
    sup.close()
    assert sup.description == "fake card 1"
    assert world.closed == 1
    assert sup.gate.owner == 0
