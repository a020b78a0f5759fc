"""P-locks, sample locks, pattern switches, chains, songs, transport and MIDI clock out."""
import numpy as np

from enginekit_path import constant, limiter_delay, neutral_engine
from reverie.core.defs import SIZES, Telem, TrackKind, TrackParam as P
from seqkit import START, STEP, PatternBuffer, ideal_frame, midi_engine, note_ons, play, run

LOCK_CC = SIZES["LOCK_CC"]


def audio_engine():
    eng = neutral_engine(48000)
    eng.set_sample(0, constant(0.25, 3000))
    eng.set_sample(1, constant(0.1, 3000))
    eng.set_param(0, P.P_SAMPLE, 0)
    eng.set_param(0, P.P_ATTACK, 0.0)
    return eng


def render_audio(eng, frames, block=256):
    out = np.zeros((frames, 2), dtype=np.float32)
    for s in range(0, frames, block):
        eng.render(out[s:s + block])
    return out[:, 0]


def test_p_locks_hold_on_their_step_only():
    eng = audio_engine()
    pb = PatternBuffer(4)
    pb.step(0, 0).step(0, 1, locks=[(P.P_LEVEL, -6.0206)]).step(0, 2).step(0, 3, locks=[(P.P_SAMPLE, 1)])
    play(eng, pb)
    out = render_audio(eng, START + 8 * 6000)
    d = limiter_delay(48000)
    levels = [float(out[START + d + n * 6000 + 1000]) for n in range(8)]
    np.testing.assert_allclose(np.array(levels) / levels[0], [1, 0.5, 1, 0.4] * 2, rtol=1e-4)
    # the lock starts on the trig's first sample: no sample of the step at the old level
    seg = out[START + d + 6000:START + d + 6000 + 3000]
    np.testing.assert_allclose(seg, levels[0] / 2, rtol=1e-4)


def test_a_knob_turned_during_a_lock_comes_back_with_the_next_trig():
    eng = audio_engine()
    pb = PatternBuffer(2)
    pb.track(0, 2).step(0, 0, locks=[(P.P_LEVEL, -6.0206)]).step(0, 1)
    play(eng, pb)
    eng.set_param(0, P.P_LEVEL, -12.0412, frame=START + 3000)   # while step 0's lock holds
    out = render_audio(eng, START + 12000)
    d = limiter_delay(48000)
    full = 0.25 * 100 / 127                                      # velocity 100, linear curve
    assert abs(out[START + d + 1000] - full / 2) < 1e-4          # locked
    assert abs(out[START + d + 6000 + 1000] - full / 4) < 1e-4   # the new base value


def test_a_trigless_lock_changes_the_sound_without_a_note():
    eng = audio_engine()
    eng.set_sample(0, constant(0.25, 12000))
    pb = PatternBuffer(4)
    pb.step(0, 0).step(0, 1, trig=False, locks=[(P.P_LEVEL, -6.0206)])
    play(eng, pb)
    out = render_audio(eng, START + 24000)
    d = limiter_delay(48000)
    full = 0.25 * 100 / 127
    assert abs(out[START + d + 5000] - full) < 1e-4
    assert abs(out[START + d + 7000] - full / 2) < 1e-4        # the voice of step 0, now locked
    hot = np.flatnonzero(np.abs(out) > 1e-3)
    assert hot[0] - d == START and np.all(np.diff(hot) == 1)  # one voice only: no new onset


def test_cc_locks_on_midi_tracks_go_out_before_the_note():
    eng = midi_engine()
    pb = PatternBuffer(2)
    pb.track(0, 2).step(0, 1, locks=[(LOCK_CC + 74, 90)])
    play(eng, pb)
    events = run(eng, 14000)
    at = [(f, b) for f, _, b in events if f == START + 6000]
    assert at == [(START + 6000, bytes([0xB0, 74, 90])), (START + 6000, bytes([0x90, 60, 100]))]


def test_queued_switch_waits_for_the_pass_end_and_immediate_does_not():
    for immediate in (False, True):
        eng = midi_engine()
        a, b = PatternBuffer(8), PatternBuffer(8)
        for i in range(8):
            a.step(0, i, notes=(40,))
            b.step(0, i, notes=(50,))
        eng.seq_set_pattern(1, b.build())
        play(eng, a, slot=0)
        eng.seq_queue(1, immediate=immediate, frame=START + 3 * 6000 + 10)
        got = [(f, n) for f, c, n, v in note_ons(run(eng, START + 16 * 6000 - 1))]
        switch = 4 if immediate else 8
        assert got == [(START + i * 6000, 40 if i < switch else 50) for i in range(16)]


def test_chain_and_song_rows_play_in_order_with_repeats_mutes_and_tempo():
    eng = midi_engine()
    for slot in range(3):
        pb = PatternBuffer(4)
        for k in (0, 1):
            pb.track(k, 4).step(k, 0, notes=(40 + slot,))
        eng.seq_set_pattern(slot, pb.build())
    eng.seq_arrangement([(0, 2, 0, 0), (1, 1, 0b10, 0), (2, 1, 0, 60.0)], loop=False)
    eng.seq_tempo(120)
    eng.seq_play(-1, frame=START)
    events = run(eng, 200000)
    tel = eng.poll()
    started = [(a, f) for kind, a, f in tel if kind == Telem.TEL_PATTERN_STARTED]
    assert [a for a, f in started] == [0, 0, 1, 2]
    bar = 4 * 6000
    assert [f for a, f in started] == [START, START + bar, START + 2 * bar, START + 3 * bar]
    ons = note_ons(events)
    assert [(f, c, n) for f, c, n, v in ons] == [
        (START, 0, 40), (START, 1, 40), (START + bar, 0, 40), (START + bar, 1, 40),
        (START + 2 * bar, 0, 41),                       # track 1 muted in row 2
        (START + 3 * bar, 0, 42), (START + 3 * bar, 1, 42)]
    # row 3 runs at 60 BPM: its pass is twice as long, then the song ends
    stopped = [f for kind, a, f in tel if kind == Telem.TEL_TRANSPORT_STOPPED]
    assert stopped == [START + 3 * bar + 2 * bar]
    assert not eng.seq_state()["playing"]


def test_a_looping_chain_goes_round():
    eng = midi_engine()
    for slot in range(2):
        pb = PatternBuffer(2)
        pb.track(0, 2).step(0, 0, notes=(40 + slot,))
        eng.seq_set_pattern(slot, pb.build())
    eng.seq_arrangement([(0, 1, 0, 0), (1, 1, 0, 0)], loop=True)
    eng.seq_play(-1, frame=START)
    notes = [n for f, c, n, v in note_ons(run(eng, START + 12 * 6000 - 1))]
    assert notes == [40, 41] * 3


def test_mute_stops_trigs_and_keeps_position():
    eng = midi_engine()
    pb = PatternBuffer(4)
    for i in range(4):
        pb.step(0, i, notes=(40 + i,))
    play(eng, pb)
    eng.seq_mute(0, True, frame=START + 6000)
    eng.seq_mute(0, False, frame=START + 3 * 6000 - 3000)
    assert [n for f, c, n, v in note_ons(run(eng, START + 4 * 6000 - 1))] == [40, 43]


def test_midi_clock_start_stop_continue_and_song_position():
    eng = midi_engine()
    eng.seq_clock_out(True)
    play(eng, PatternBuffer(16))
    eng.seq_stop(frame=START + 10 * 6000 + 700)
    eng.seq_continue(frame=START + 20 * 6000)
    events = run(eng, START + 26 * 6000)
    sys = [(f, b) for f, p, b in events if b[0] >= 0xF0]
    clocks = [f for f, b in sys if b == b"\xf8"]
    assert sys[0] == (START, b"\xfa") and clocks[0] == START
    # 24 ppqn: a clock every 1000 frames at 120 BPM, until the stop
    assert clocks[:61] == [START + 1000 * i for i in range(61)]
    stop = [f for f, b in sys if b == b"\xfc"]
    assert stop == [START + 10 * 6000 + 700]
    # continue resumes at the 16th at or before the stop (step 10), with its song position
    cont = START + 20 * 6000
    assert (cont, bytes([0xF2, 10, 0])) in sys and (cont, b"\xfb") in sys
    after = [f for f in clocks if f >= cont]
    assert after[:5] == [cont + 1000 * i for i in range(5)]


def test_count_in_clicks_and_starts_the_pattern_a_bar_later():
    eng = audio_engine()
    pb = PatternBuffer(4)
    play(eng, pb, count_in=1)
    eng.seq_set_pattern(0, PatternBuffer(4).step(0, 0).build())
    out = render_audio(eng, START + 6 * 24000)
    d = limiter_delay(48000)
    hot = np.flatnonzero(np.abs(out) > 1e-3)
    onsets = [i - d for j, i in enumerate(hot) if j == 0 or i - hot[j - 1] > 2000]
    # four clicks (one per beat; a click is a sine from phase 0, so its first sample is 0),
    # then the pattern's first step one bar after the start
    assert list(onsets[:5]) == [START + 24000 * i + 1 for i in range(4)] + [START + 96000]
