"""The drums instrument through the engine's voice programs, in physical units: the note map,
the kick's pitch sweep and decay, the snare's modes and noise band, the hats' spectrum, the
tom's pitch, the clap's bursts, the hat choke in frames; block-size invariance, no NaN, the
onset ramp, one-shots that ignore note off, no click at a steal, no zipper, peaks below
0 dBFS, and every factory kit rendered."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from enginekit import limiter_delay, neutral_engine, render  # noqa: E402
from reverie.core.defs import DRUM_OF_NOTE, DRUM_TOM_RATIO, SIZES, DrumKind, MasterParam as M  # noqa: E402
from reverie.sound.instruments import INSTRUMENTS, program_for  # noqa: E402
from reverie.sound.instruments.drums import DRUMS, NOTES, TOM_NOTES, drum_of_note  # noqa: E402

SR = 48000.0
LATE = limiter_delay(SR)        # the limiter's look-ahead: the output is this many frames late
ONSET = 24                      # frames of every drum's onset ramp (0.5 ms)
# One drum alone, pure: a kick or a tom without click, noise or bend is a decaying sine.
PURE_KICK = {"kick_click": 0, "kick_sweep_oct": 0, "kick_decay_ms": 4000, "kick_tune_hz": 150,
             "velocity": 0}


def kit(values=None, master_db=0.0):
    eng = neutral_engine(SR)
    eng.set_program(0, program_for("drums"))
    eng.set_master(M.M_VOLUME, master_db)
    for s in DRUMS:
        eng.set_param(0, s.id, float((values or {}).get(s.key, s.default)))
    # the parameters settle (a new program's jump), and the master volume its 10 ms glide
    eng.render(np.zeros((4800, 2), np.float32))
    return eng


def set_(eng, key, value, frame=-1):
    eng.set_param(0, DRUMS[key].id, float(value), frame)


def hit(note, values=None, frames=48000, velocity=127):
    """One drum from a silent engine: the left channel, from the voice's first frame on."""
    eng = kit(values)
    eng.note_on(0, note, velocity, frame=eng.frame + 100)
    out = render(eng, frames + 100 + LATE)
    assert np.isfinite(out).all() and eng.stats()["faults"] == 0
    return out[100 + LATE:, 0].astype(np.float64)


def steps(x):
    return np.abs(np.diff(x))


def crossings(x):
    """Times (frames, interpolated) where x crosses zero, either way."""
    i = np.flatnonzero(np.signbit(x[:-1]) != np.signbit(x[1:]))
    return i + x[i] / (x[i] - x[i + 1])


def band_share(x, lo, hi=None):
    spec = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    sel = (f >= lo) & (f < (hi if hi is not None else SR))
    return spec[sel].sum() / spec.sum()


def envelope_db(x, frames=240):
    """Peak level per window of `frames` (5 ms), in dB."""
    n = len(x) // frames
    return 20 * np.log10(np.abs(x[:n * frames]).reshape(n, frames).max(axis=1) + 1e-30)


# --- the note map --------------------------------------------------------------------------

def test_the_note_picks_the_drum_general_midi_style():
    gm = {35: "kick", 36: "kick", 37: "snare", 38: "snare", 39: "clap", 40: "snare", 42: "chat",
          44: "chat", 46: "ohat", 49: "ohat", 51: "ohat", **{n: "tom" for n in TOM_NOTES}}
    for note, name in gm.items():
        assert drum_of_note(note) == name, note
    # other notes by pitch class: a pad's 60 is the kick, 54 (F#) a closed hat
    assert drum_of_note(60) == "kick" and drum_of_note(54) == "chat" and drum_of_note(0) == "kick"
    assert len(DRUM_OF_NOTE) == 128 and set(DRUM_OF_NOTE) == set(int(k) for k in DrumKind)
    assert INSTRUMENTS["drums"] is DRUMS


def test_a_note_plays_only_its_drum():
    eng = kit()
    eng.note_on(0, NOTES["kick"], 127)
    render(eng, 480)
    assert eng.stats()["voices"] == 1
    kick = hit(36)
    assert band_share(kick, 0, 200) > 0.95       # a kick, not a kick plus five others


# --- the kick -------------------------------------------------------------------------------

@pytest.mark.parametrize("tune, sweep, sweep_ms", [(50, 2, 200), (40, 3, 120), (80, 1, 400)])
def test_kick_pitch_sweep_follows_its_parameters(tune, sweep, sweep_ms):
    """The kick's pitch is tune * 2^(sweep * 10^(-3 t / sweep_ms)): it starts at tune * 2^sweep
    and falls to tune. Each half cycle's frequency (from zero crossings) matches the model's
    mean over it within 2 %, from the first half cycle (the start) to the last (the end)."""
    x = hit(36, {"kick_tune_hz": tune, "kick_sweep_oct": sweep, "kick_sweep_ms": sweep_ms,
                 "kick_click": 0, "kick_decay_ms": 4000}, frames=48000)
    t = crossings(x[:48000])
    t = t[t > 1]                                  # the sine starts at 0: its first crossing is its start
    t = np.concatenate([[0.0], t])
    model = lambda s: tune * 2 ** (sweep * 10 ** (-3 * s / (sweep_ms * 1e-3)))   # noqa: E731
    for a, b in zip(t[:-1], t[1:]):
        grid = np.linspace(a, b, 64) / SR
        want = np.mean(model(grid))
        assert 0.5 * SR / (b - a) == pytest.approx(want, rel=0.02), (a / SR, b / SR)
    first = 0.5 * SR / (t[1] - t[0])
    last = 0.5 * SR / (t[-1] - t[-2])
    assert first > 0.85 * tune * 2 ** sweep       # the first half cycle is already near the top
    assert last == pytest.approx(tune, rel=0.01)


@pytest.mark.parametrize("decay_ms", [100, 300, 1200])
def test_kick_decay_is_its_minus_60_db_time(decay_ms):
    """Decay is the time the kick takes to fall 60 dB below its peak: measured on the peak of
    each 5 ms window (a 150 Hz sine), within 10 %."""
    x = hit(36, PURE_KICK | {"kick_decay_ms": decay_ms}, frames=int(2 * decay_ms * 48))
    env = envelope_db(x)
    peak = env.max()
    below = np.flatnonzero(env < peak - 60)[0] * 5.0        # ms, the first window below
    assert below == pytest.approx(decay_ms, rel=0.10)


# --- snare, hats, tom, clap --------------------------------------------------------------

def test_snare_modes_and_noise_band():
    """Snappy 0: two membrane modes at tune and 1.59 x tune (after a quarter-octave drop
    in the first 30 ms). Snappy 1 with the modes short: the noise's energy is in the band
    around the tone (an octave either side of 4 kHz holds most of it)."""
    body = hit(38, {"snare_snappy": 0, "snare_decay_ms": 1500, "snare_tune_hz": 200}, frames=48000)
    seg = body[4800:4800 + 16384] * np.hanning(16384)
    spec = np.abs(np.fft.rfft(seg))
    f = np.fft.rfftfreq(16384, 1 / SR)
    strongest = f[np.argsort(spec)[::-1]]
    first = strongest[0]
    second = strongest[np.abs(strongest - first) > 50][0]
    assert first == pytest.approx(200, rel=0.01)
    assert second == pytest.approx(200 * 1.59, rel=0.01)
    noise = hit(38, {"snare_snappy": 1, "snare_decay_ms": 20, "snare_tone_hz": 4000}, frames=24000)
    assert band_share(noise[960:], 2000, 8000) > 0.6
    assert band_share(noise[960:], 0, 500) < 0.05


@pytest.mark.parametrize("note", [42, 46])
def test_hats_are_above_5_khz(note):
    x = hit(note, frames=24000)
    assert band_share(x, 5000) > 0.9
    assert np.abs(x).max() > 0.05


def test_open_hat_rings_longer_than_closed():
    closed, open_ = hit(42, frames=48000), hit(46, frames=48000)
    last = lambda x: np.flatnonzero(np.abs(x) > 1e-4)[-1] / SR     # noqa: E731
    assert last(closed) < 0.1 < 0.4 < last(open_)


@pytest.mark.parametrize("tune", [80, 110, 200])
@pytest.mark.parametrize("note", [41, 45, 50])
def test_tom_pitch_follows_its_tune_and_note(tune, note):
    """Bend 0 and no noise: a sine at tune x 2^((note - 45) / 6) (two semitones a note),
    within 0.2 %."""
    x = hit(note, {"tom_tune_hz": tune, "tom_bend_oct": 0, "tom_noise": 0, "tom_decay_ms": 4000}, frames=24000)
    t = crossings(x[2400:24000])
    hz = 0.5 * SR * (len(t) - 1) / (t[-1] - t[0])
    assert DRUM_TOM_RATIO[note] == pytest.approx(2 ** ((note - 45) / 6))
    assert hz == pytest.approx(tune * 2 ** ((note - 45) / 6), rel=0.002)


def test_tom_bend_falls_to_the_tune():
    x = hit(45, {"tom_tune_hz": 100, "tom_bend_oct": 1, "tom_noise": 0, "tom_decay_ms": 1000}, frames=48000)
    t = crossings(x)
    early = 0.5 * SR / np.diff(t[1:4]).mean()
    late = 0.5 * SR * (len(t[-40:]) - 1) / (t[-1] - t[-40])
    assert early > 180 and late == pytest.approx(100, rel=0.01)


@pytest.mark.parametrize("bursts, spread_ms", [(4, 10), (3, 15)])
def test_clap_bursts_at_their_spread(bursts, spread_ms):
    """Each burst starts spread_ms after the last: the level 1 ms into a burst is at least
    10 dB above the level 1 ms before it."""
    x = hit(39, {"clap_bursts": bursts, "clap_spread_ms": spread_ms, "clap_decay_ms": 300}, frames=24000)
    env = envelope_db(x, 24)        # 0.5 ms windows
    per = int(spread_ms * 2)        # windows a spread
    for b in range(1, bursts):
        assert env[b * per + 1:b * per + 3].max() > env[b * per - 3:b * per - 1].max() + 10
    assert env[bursts * per + 1:bursts * per + 3].max() < env[(bursts - 1) * per + 1:(bursts - 1) * per + 3].max()


# --- the hat choke --------------------------------------------------------------------------

def test_closed_hat_chokes_the_open_hat_within_5_ms():
    """An open hat (2 s) then a closed hat 100 ms later: the open hat fades out linearly over
    5 ms (240 frames); after those the output is the closed hat's alone, and while it fades no
    frame of the difference exceeds the open hat's level then."""
    def play(notes):
        eng = kit({"ohat_decay_ms": 2000})
        start = eng.frame + 100
        for note, at in notes:
            eng.note_on(0, note, 127, frame=start + at)
        out = render(eng, 24000)[:, 0].astype(np.float64)
        return out, eng
    both, eng = play([(46, 0), (42, 4800)])
    closed, _ = play([(42, 4800)])
    open_, _ = play([(46, 0)])
    cut = 100 + 4800 + LATE
    assert np.abs(both[cut + 240:] - closed[cut + 240:]).max() < 1e-6
    assert np.abs(open_[cut + 240:cut + 2400]).max() > 0.02         # unchoked it rings on
    fading = both[cut:cut + 240] - closed[cut:cut + 240]
    assert np.abs(fading).max() <= np.abs(open_[cut - 240:cut]).max() + 1e-6
    assert eng.stats()["voices"] == 0


def test_a_hat_chokes_only_hats_of_its_own_track():
    eng = neutral_engine(SR)
    for track in (0, 1):
        eng.set_program(track, program_for("drums"))
        for s in DRUMS:
            eng.set_param(track, s.id, float(s.default))
    set_(eng, "ohat_decay_ms", 2000)
    render(eng, 64)
    eng.note_on(0, 46, 127)
    eng.note_on(1, 46, 127)
    eng.note_on(0, 36, 127)
    render(eng, 4800)
    eng.note_on(0, 42, 127)
    render(eng, 2400)
    # track 0's open hat choked, its kick and track 1's open hat still sound; the closed hat too
    assert eng.stats()["voices"] == 3


# --- engine-level properties ---------------------------------------------------------------

def scenario(eng):
    """Every drum, parameter changes, a choke and notes off at fixed frames."""
    start = eng.frame
    for k, note in enumerate((36, 42, 38, 46, 39, 41, 45, 50, 42, 36)):
        eng.note_on(0, note, 60 + 6 * k, frame=start + 100 + 2111 * k)
    set_(eng, "kick_tune_hz", 70, frame=start + 5003)
    set_(eng, "level_db", -9, frame=start + 7001)
    set_(eng, "chat_tone_hz", 9000, frame=start + 9013)
    set_(eng, "snare_snap_ms", 400, frame=start + 4099)
    set_(eng, "clap_bursts", 2, frame=start + 8500)
    eng.note_off(0, 36, frame=start + 3000)
    eng.note_off(0, 46, frame=start + 12000)


@pytest.mark.parametrize("block", [1, 7, 64, 65, 128, 512])
def test_block_size_invariance(block):
    whole = kit()
    scenario(whole)
    want = render(whole, 36000, 36000)
    eng = kit()
    scenario(eng)
    got = render(eng, 36000, block)
    assert np.isfinite(got).all() and np.max(np.abs(want)) > 0.05
    assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize("name", list(NOTES))
def test_onset_ramp_and_no_nan(name):
    """Bound at note on: every drum opens over 0.5 ms (24 frames): frame k of a voice is at
    most (k + 1) / 24 of the drum's peak. What follows the ramp is the drum as designed (the
    kick's click, the noise's grain, the clap's bursts): its steps are the sound, not a fault."""
    x = hit(NOTES[name], frames=24000)
    level = np.abs(x).max()
    ramp = (np.arange(ONSET) + 1) / ONSET * level
    assert (np.abs(x[:ONSET]) <= ramp + 1e-7).all()
    assert np.isfinite(x).all() and level > 0.02


def test_note_off_changes_nothing():
    """Drums are one-shots: a note off (a pad let go, a step's gate) leaves every sample as it was."""
    def play(off):
        eng = kit()
        for note in NOTES.values():
            eng.note_on(0, note, 100)
            if off:
                eng.note_off(0, note, frame=eng.frame + 300)
        return render(eng, 24000)
    assert play(True).tobytes() == play(False).tobytes()


def test_no_click_at_voice_steal():
    """Bound: a stolen drum fades out linearly over 5 ms, so stealing changes the sum by at
    most its level / 240 a frame: the largest step after the steal stays within the held
    toms' own largest step plus that."""
    poly = SIZES["POLYPHONY"]
    eng = kit({"tom_bend_oct": 0, "tom_noise": 0, "tom_decay_ms": 4000, "tom_level_db": -48, "level_db": 0,
               "velocity": 0})
    for k in range(poly):
        eng.note_on(0, TOM_NOTES[k % len(TOM_NOTES)], 100)
    held = render(eng, 9600)
    assert eng.stats()["voices"] == poly
    eng.note_on(0, 45, 100)
    after = render(eng, 960)
    one_voice = 10 ** (-48 / 20)
    assert eng.stats()["steals"] == 1
    assert steps(after[:, 0]).max() <= steps(held[4800:, 0]).max() + one_voice / 240 + 1e-6


def test_no_zipper_when_the_level_moves():
    """The kit level swept along a 2 Hz sine (+-6 dB), a new value every control tick (32
    frames), on a 150 Hz kick held long (a pure decaying sine): the gain is ramped every frame,
    so everything 100 Hz or more from the tone stays 90 dB under it."""
    eng = kit(PURE_KICK | {"level_db": -12})
    eng.note_on(0, 36, 100)
    out = np.zeros((48000, 2), np.float32)
    for start in range(0, 48000, 32):
        set_(eng, "level_db", -12 + 6 * np.sin(2 * np.pi * 2 * start / SR))
        eng.render(out[start:start + 32])
    x = out[4800:, 0].astype(np.float64)
    spec = np.abs(np.fft.rfft(x * np.blackman(len(x)))) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    tone = spec[np.abs(f - 150) < 100].sum()
    far = spec[np.abs(f - 150) >= 100].sum()
    assert 10 * np.log10(far / tone) < -90


def peak_dbfs(notes, values=None, velocity=127):
    """The peak of the notes struck at once, in dBFS before the master: the master is turned
    down 20 dB so the limiter never acts, and 20 dB added back."""
    eng = kit(values, master_db=-20.0)
    for note in notes:
        eng.note_on(0, note, velocity)
    out = render(eng, 96000)
    assert np.isfinite(out).all() and eng.stats()["faults"] == 0
    return 20 * np.log10(np.abs(out).max() + 1e-30) + 20.0


@pytest.mark.parametrize("name", list(NOTES))
def test_each_drum_peaks_below_0_dbfs_at_defaults(name):
    assert -30 < peak_dbfs([NOTES[name]]) < 0


def test_kick_snare_and_hat_at_once_peak_below_0_dbfs_at_defaults():
    assert peak_dbfs([36, 38, 42]) < 0


# --- factory kits ------------------------------------------------------------------------------

PRESETS = sorted((Path(__file__).resolve().parents[2] / "firmware/reverie/sound/presets/drums").glob("*.toml"))


def read_preset(path):
    import tomllib
    with open(path, "rb") as f:
        data = tomllib.load(f)
    assert data["instrument"] == "drums" and 1 <= len(data["name"]) <= 12
    assert set(data) <= {"name", "instrument", "tags", "note", "params"}
    assert 0 <= data.get("note", 36) <= 127
    # every key is the spec's, every value in its range and units
    return {key: DRUMS[key].check(value, f"{path.name}: params") for key, value in data["params"].items()}


def test_at_least_ten_factory_kits_with_distinct_names():
    import tomllib
    names = [tomllib.loads(p.read_text())["name"] for p in PRESETS]
    assert len(PRESETS) >= 10 and len(set(names)) == len(names)


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_factory_kit_renders_every_drum(path):
    """Each drum of the kit, alone at full velocity: no NaN, not silent (above -40 dBFS),
    peak below 0 dBFS (before the master; peak_dbfs); kick, snare and closed hat at once too."""
    values = read_preset(path)
    for name, note in NOTES.items():
        peak = peak_dbfs([note], values)
        assert -40 < peak < 0, (name, peak)
    assert peak_dbfs([36, 38, 42], values) < 0


# --- the compiler and a kit of fewer drums ------------------------------------------------------

def test_the_compiler_refuses_drums_beside_other_outputs_or_without_levels():
    from reverie.sound.graph import GraphError, Instrument, Node, compile_graph
    kick = DRUMS.nodes[0]
    mixed = Instrument("mixed", DRUMS.spec, (kick, Node("amp", "adsr"), Node("osc", "noise"),
                                             Node("out", "out", ("osc", "amp"))))
    with pytest.raises(GraphError, match="drum nodes are the whole graph") as e:
        compile_graph(mixed)
    assert "\n" not in str(e.value)
    bare = Instrument("bare", DRUMS.spec, (Node("kick", "drum", params=kick.params[:5], conf=0),))
    with pytest.raises(GraphError, match="needs its level, kit level and velocity"):
        compile_graph(bare)


def test_a_note_no_drum_answers_ends_its_voice_at_once():
    """A kit of a kick alone: its snare note starts a voice that runs nothing and ends."""
    from reverie.sound.graph import Instrument, compile_graph
    eng = kit()
    eng.set_program(0, compile_graph(Instrument("kick", DRUMS.spec, DRUMS.nodes[:1])).program)
    render(eng, 64)
    eng.note_on(0, 38, 127)
    out = render(eng, 256)
    assert eng.stats()["voices"] == 0 and np.abs(out).max() == 0.0
    eng.note_on(0, 36, 127)
    assert np.abs(render(eng, 4800)).max() > 0.05


def test_velocity_scales_the_level_by_its_sensitivity():
    """VEL 1: a hit at 127 is 127/64 (5.95 dB) above one at 64; VEL 0: the same level."""
    def peak(sens, velocity):
        return np.abs(hit(36, PURE_KICK | {"velocity": sens}, frames=4800, velocity=velocity)).max()
    assert 20 * np.log10(peak(1, 127) / peak(1, 64)) == pytest.approx(20 * np.log10(127 / 64), abs=0.05)
    assert peak(0, 20) == pytest.approx(peak(0, 127), rel=1e-6)


def test_extreme_values_stay_finite_and_bounded():
    """Values past the spec's ranges (as a raw engine command could send): every drum stays
    finite and bounded (all six at once with the kit at +12 dB: below +20 dBFS before the
    master); a NaN or infinite parameter is clamped like the others; swept pitches stay below
    Nyquist, so the sine table is never read past its end."""
    eng = kit(master_db=-20.0)
    wild = {"kick_tune_hz": 1e6, "kick_sweep_oct": 50, "kick_sweep_ms": -5, "tom_tune_hz": 1e9,
            "tom_bend_oct": 1e3, "snare_tune_hz": float("nan"), "snare_tone_hz": 1e7,
            "clap_spread_ms": -1, "clap_bursts": 1e9, "chat_tune_st": 1e4, "ohat_tone_hz": float("inf"),
            "kick_decay_ms": 0, "level_db": 12}
    for key, value in wild.items():
        eng.set_param(0, DRUMS[key].id, value)
    render(eng, 256)
    for note in NOTES.values():
        eng.note_on(0, note, 127)
    out = render(eng, 48000)
    assert np.isfinite(out).all() and eng.stats()["faults"] == 0
    assert np.abs(out).max() < 1.0
