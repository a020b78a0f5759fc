"""The practice layer through the UI: sessions start, go idle and end; the check-in and the
check-out are answered with encoders, pads and a typed keyboard, or skipped with one press
that still does what it always does; the journal writes they ask for. Golden screens of every
prompt: tests/ui/golden/practice-*.png (tests/ui/golden.py says how to regenerate)."""
import pytest

from reverie.base.events import Key
from reverie.ui import effects as fx
from reverie.ui.draw import render
from reverie.ui.practice import layer
from reverie.ui.practice.effects import BreathTone, EndSession
from reverie.ui.practice.prompts import MoodView, PacerView, TagsView, WheelView, WordsView

from golden import assert_golden
from practicekit import Driven
from scenes import MINIMAL

IDLE_MIN = 20


def notes(out):
    return [e for e in out if isinstance(e, fx.PlayNote) and e.velocity]


# --- starting, answering, skipping ------------------------------------------------------

def test_power_on_asks_how_you_feel_and_an_encoder_answers():
    d = Driven().on()
    v = d.shown()
    assert isinstance(v, MoodView) and v.value is None and d.ui.view().header.title == "CHECK-IN"
    d.turn(1)
    assert d.shown().value == 5                      # the first click lands in the middle
    d.turn(2)
    d.press("ENC1")
    assert isinstance(d.shown(), WordsView)          # then an intention
    d.turn(1)
    d.press("ENC1")
    assert not d.practice.prompting and d.ui.view().header.title == "SAMP 1/3"   # the page again
    d.tick(31)
    record = d.last()
    assert (record.mood_before, record.intention, record.ended_at) == (7, "explore", None)


def test_play_skips_the_check_in_and_plays_at_once():
    d = Driven().on()
    out = d.press("PLAY")
    assert fx.Transport("play") in out and not d.practice.prompting


def test_a_page_key_skips_and_opens_its_page():
    d = Driven().on()
    d.press("MIXER")
    assert d.ui.page_name == "MIXER" and not d.practice.prompting


def test_a_pad_tapped_on_its_own_answers_and_still_plays():
    d = Driven().on()
    out = d.hit(2)
    assert notes(out) == [fx.PlayNote(2, 60, 100, d.now)]       # the sound did not wait
    assert isinstance(d.shown(), WordsView)
    d.hold("ENC1")                                   # a long push: still one answer
    assert d.practice.clock.session.mood_before == 3


def test_pads_in_a_run_are_playing_and_the_prompt_steps_aside():
    d = Driven().on()
    d.practice.clock.session.touched = True
    d.hit(12)                                        # pad 13: not a mood, skips (and plays)
    assert not d.practice.prompting
    d2 = Driven().on()
    d2.hit(0)
    assert isinstance(d2.shown(), WordsView)         # pad 1: mood 1
    d3 = Driven().on()
    d3.practice._last_hit = d3.now - 0.3             # a hit just before: playing
    out = d3.hit(4)
    assert notes(out) and not d3.practice.prompting and d3.practice.clock.session.mood_before is None


def test_shift_shows_help_over_a_prompt_without_answering_it():
    d = Driven().on()
    d.event(Key("SHIFT", "press", d.now))
    d.press("PLAY")
    assert d.practice.prompting and d.ui.view().overlay is not None
    assert not any(isinstance(e, fx.Transport) for e in d.effects)


def test_an_intention_spelled_on_the_character_wheel_with_one_encoder():
    d = Driven(caps=MINIMAL).on()
    d.turn(3)
    d.press("ENC1")
    d.turn(7)                                        # past the seven words to "spell…"
    d.press("ENC1")
    assert isinstance(d.shown(), WheelView) and d.shown().current == "a"
    for ch in "go":
        d.turn("abcdefghijklmnopqrstuvwxyz".index(ch) - "abcdefghijklmnopqrstuvwxyz".index(d.shown().current))
        d.press("ENC1")
    d.turn(-15)                                      # back from "o" past "a" to DEL
    assert d.shown().current == "DEL"
    d.press("ENC1")
    d.turn(-1)
    assert d.shown().current == "OK"
    d.press("ENC1")
    assert not d.practice.prompting and d.practice.clock.session.intention == "g"


def test_an_intention_typed_on_a_usb_keyboard():
    d = Driven().on()
    d.key("7")
    d.key("Return")
    d.type("Slow groovx")
    assert isinstance(d.shown(), WheelView) and d.shown().typing
    d.key("BackSpace")
    d.type("e")
    d.key("Return")
    s = d.practice.clock.session
    assert (s.mood_before, s.intention) == (7, "Slow groove")


# --- idle, done, power -------------------------------------------------------------------

def test_idle_ends_the_session_at_the_last_input_and_asks_again():
    d = Driven(idle_minutes=IDLE_MIN).on()
    d.press("PLAY")                                  # skip; plays
    d.tick(60, playing=True, pattern="A01", tempo_bpm=120.0)
    d.tick(30, playing=True, tempo_bpm=126.5)
    d.tick(1, playing=False)
    last_play = d.now
    d.tick(IDLE_MIN * 60 - 2, step=5)
    assert d.practice.clock.session is not None      # not yet
    d.tick(5, step=1)
    assert d.practice.clock.session is None
    record = d.last()
    assert record.end_reason == "idle" and record.ended_at is not None
    assert record.seconds == pytest.approx(last_play - 100.0, abs=1.01)
    assert (record.patterns, record.tempo_min, record.tempo_max) == (("A01",), 120.0, 126.5)
    assert isinstance(d.shown(), MoodView) and d.ui.view().header.title == "CHECKOUT"
    d.tick(layer.CHECKOUT_WAIT_S, step=10)
    assert not d.practice.prompting                  # nobody there: it goes away


def test_the_sequencer_playing_keeps_the_session_open():
    d = Driven(idle_minutes=IDLE_MIN, checkins=False).on()
    d.hit(0)
    d.tick(IDLE_MIN * 60 * 2, step=10, playing=True)
    assert d.practice.clock.session is not None


def test_after_an_idle_end_the_next_input_starts_a_new_session_with_its_check_in():
    d = Driven(idle_minutes=IDLE_MIN).on()
    d.press("PLAY")
    first = d.practice.session_id
    d.tick(IDLE_MIN * 60 + 1, step=10)
    d.tick(layer.CHECKOUT_WAIT_S + 1, step=10)
    d.hit(5)                                         # plays, and a session begins
    assert d.practice.session_id not in (None, first)
    assert isinstance(d.shown(), MoodView) and d.ui.view().header.title == "CHECK-IN"


def test_done_on_the_journal_page_ends_the_session_and_the_check_out_is_answered():
    d = Driven().on()
    d.hit(3)                                         # mood 4
    d.press("ENC1")                                  # intention: focus
    d.hit(0)
    d.hit(1)
    d.tick(120, playing=False)
    d.ui.open_page("JOURNAL")
    out = d.press("ENC1")                            # done for now
    assert not any(isinstance(e, EndSession) for e in out)
    assert d.last().end_reason == "done" and d.last().ended_at is not None
    d.turn(4)                                        # 5 + 4 - 1 = 8
    d.press("ENC1")
    assert isinstance(d.shown(), TagsView)
    d.press("ENC1")                                  # calm
    d.turn(5)
    d.press("ENC1")                                  # happy
    d.turn(10)
    d.press("ENC1")                                  # done
    assert isinstance(d.shown(), WheelView)
    d.type("kick felt good")
    d.key("Return")
    record = d.last()
    assert not d.practice.prompting
    assert (record.mood_before, record.mood_after, record.tags, record.note) == (4, 8, ("calm", "happy"), "kick felt good")
    assert record.notes_played == 3 and record.sounds == ("factory:closed-hat", "factory:kick", "factory:snare")


def test_a_skipped_check_out_keeps_what_was_typed():
    d = Driven().on()
    d.press("PLAY")
    d.hit(0)
    d.done()
    d.press("ENC1")                                  # no mood chosen: skips the rest
    assert not d.practice.prompting and d.last().mood_after is None


def test_the_power_key_asks_first_then_switches_off():
    d = Driven().on()
    d.hit(0)
    d.press("ENC1")
    out = d.hold("POWER")
    assert fx.Shutdown() not in out and isinstance(d.shown(), MoodView)
    assert d.last().end_reason == "power"
    d.turn(2)
    d.press("ENC1")
    out = d.press("STOP")                            # one press: the rest skipped, then off
    assert fx.Shutdown() in out and d.last().mood_after == 6


def test_the_power_key_held_again_or_left_alone_switches_off():
    d = Driven().on()
    d.hit(0)
    d.hold("POWER")
    assert fx.Shutdown() in d.hold("POWER")
    d2 = Driven().on()
    d2.hit(0)
    d2.hold("POWER")
    out = d2.tick(layer.POWER_WAIT_S + 1)
    assert fx.Shutdown() in out


def test_with_check_ins_off_the_power_key_stops_at_once_and_the_session_is_kept():
    d = Driven(checkins=False).on()
    assert not d.practice.prompting
    d.hit(0)
    d.tick(90, playing=True, pattern="A01", tempo_bpm=100.0)
    assert fx.Shutdown() in d.hold("POWER")
    out = d.practice.stop(d.now)
    record = out[-1].record
    assert out[-1].final and record.end_reason == "stop" and not record.checkins
    assert record.mood_before is None and record.notes_played == 1 and record.seconds == pytest.approx(90, abs=0.5)


def test_a_box_switched_on_and_left_alone_keeps_no_session():
    d = Driven(idle_minutes=IDLE_MIN).on()
    d.tick(IDLE_MIN * 60 + 10, step=10)
    assert d.writes() == [] and not d.practice.prompting and d.practice.clock.session is None


def test_no_prompt_comes_within_a_minute_of_the_last_one():
    d = Driven(idle_minutes=1).on()
    d.hit(0)
    d.press("ENC1")
    d.tick(61)
    d.press("PLAY")                                  # skips the idle check-out, plays on
    assert not d.practice.prompting and d.practice.clock.session is not None


# --- the journal writes -------------------------------------------------------------------

def test_an_open_session_is_written_every_30_s_while_playing_and_at_once_when_answered():
    d = Driven().on()
    d.hit(0)                                         # mood 1: written at once
    assert d.tick(0) and d.last().mood_before == 1
    times = []
    for _ in range(600):
        if d.tick(0.5, step=0.5, playing=True):
            times.append(d.now)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps and max(gaps) <= layer.CHECKPOINT_S + 0.5 and min(gaps) >= layer.CHECKPOINT_S


def test_stop_writes_the_last_state_as_final():
    d = Driven().on()
    d.hit(0)
    d.tick(10)
    out = d.practice.stop(d.now)
    assert len(out) == 1 and out[0].final and out[0].record.end_reason == "stop"


# --- goldens ---------------------------------------------------------------------------------

def screen(d):
    return render(d.ui.view())


def test_golden_check_in_mood():
    d = Driven().on()
    assert_golden(screen(d), "practice-mood-empty")
    d.turn(3)
    assert_golden(screen(d), "practice-mood")


def test_golden_intention_words():
    d = Driven().on()
    d.hit(6)
    d.turn(1)
    assert_golden(screen(d), "practice-intention")


def test_golden_character_wheel():
    d = Driven().on()
    d.hit(6)
    d.turn(7)
    d.press("ENC1")
    for ch in "slow":
        d.turn(ord(ch) - ord(d.shown().current))
        d.press("ENC1")
    d.turn(-15)
    assert d.shown().current == "h"
    assert_golden(screen(d), "practice-wheel")


def test_golden_check_out_tags():
    d = Driven().on()
    d.hit(6)
    d.at(60)
    d.done()
    d.at(5)
    d.hit(7)
    assert isinstance(d.shown(), TagsView)
    d.press("ENC1")
    d.turn(3)
    d.press("ENC1")
    d.turn(2)
    assert_golden(screen(d), "practice-tags")


def test_golden_pacer_breathing_in_and_out():
    d = Driven(pacer=True, intentions=()).on()
    d.hit(6)
    d.tick(0)
    start = d.now
    d.tick(2.5, step=0.5)
    v = d.shown()
    assert isinstance(v, PacerView) and v.phase == "in" and v.size == pytest.approx(0.5, abs=0.02)
    assert_golden(screen(d), "practice-pacer-in")
    d.tick(start + 9.0 - d.now, step=0.5)
    v = d.shown()
    assert v.phase == "out" and v.size < 0.15
    assert_golden(screen(d), "practice-pacer-out")


# --- the pacer's rate ---------------------------------------------------------------------------

def test_the_pacer_breathes_six_times_a_minute_and_its_tone_follows():
    d = Driven(pacer=True, pacer_tone=True, pacer_minutes=3, intentions=()).on()
    d.hit(6)
    tones = [e for e in d.tick(0) if isinstance(e, BreathTone)]
    start, peaks, sizes = d.now, [], []
    while d.practice.prompting and d.now - start < 200:
        sizes.append((d.now, d.shown().size))
        tones += [e for e in d.tick(0.1, step=0.1) if isinstance(e, BreathTone)]
    for (t0, a), (t1, b), (t2, c) in zip(sizes, sizes[1:], sizes[2:]):
        if None not in (a, b, c) and b >= a and b > c:
            peaks.append(t1)
    per_minute = 60.0 * (len(peaks) - 1) / (peaks[-1] - peaks[0])
    assert per_minute == pytest.approx(6.0, rel=0.05)
    ins = [e for e in tones if e.phase == "in"]
    assert len(ins) == 18 and tones[-1] == BreathTone("off")     # 3 minutes, then let go
    assert not d.practice.prompting and d.now - start == pytest.approx(180, abs=0.2)
