"""The multisample instrument through the engine, in physical units, with sets written as real
files (soundfile), imported by the importer and loaded by load_set: the zone a key and velocity
pick at every boundary, round robin in order and at random, tuning by FFT within 1 cent (the
file's root, transpose, tune and its own rate against the engine's), loops sample-exact, loop
sustain, block-size invariance, no NaN, no clicks at note-on, note-off and steal, no zipper
noise when the level moves."""
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))
from enginekit import neutral_engine, render  # noqa: E402
from reverie.core.defs import SIZES  # noqa: E402
from reverie.sound.instruments import INSTRUMENTS  # noqa: E402
from reverie.sound.multisample import import_multisample, load_zone_map  # noqa: E402
from reverie.sound.multisample.play import FACTORY_SETS, factory_sets, load_set  # noqa: E402

SR = 48000
SPEC = INSTRUMENTS["multisample"]


def write(folder: Path, name: str, x, rate=SR) -> None:
    x = np.asarray(x, np.float64)
    sf.write(folder / name, np.column_stack([x, x]), rate, subtype="FLOAT")


def imported(tmp_path, sfz: str, files: dict, rate=SR):
    """Writes `files` (name -> mono signal) and the SFZ, imports the set; (loaded set, library)."""
    src = tmp_path / "src"
    src.mkdir(parents=True, exist_ok=True)
    for name, x in files.items():
        write(src, name, x, rate)
    (src / "set.sfz").write_text(sfz)
    result = import_multisample(src / "set.sfz", tmp_path / "lib", engine_rate=SR)
    assert result.skipped == [] and result.not_understood == []
    return load_set("set", library=tmp_path / "lib"), tmp_path / "lib"


def engine(loaded, values=None):
    eng = neutral_engine(float(SR))
    eng.set_program(0, loaded.program)
    merged = {s.key: s.default for s in SPEC} | (values or {})
    for key, value in merged.items():
        eng.set_param(0, SPEC[key].id, SPEC[key].check(value))
    render(eng, 64)
    return eng


def level_of(eng, note, velocity, frames=256):
    """The output level while one note-on sounds its zones' constants, once the filter has
    settled on them; its note-off ends them (3 ms release)."""
    eng.note_on(0, note, velocity)
    out = render(eng, frames)
    eng.note_off(0, note)
    render(eng, 2048)
    return float(np.median(np.abs(out[150:200, 0])))


def steps(x):
    return np.abs(np.diff(x[:, 0].astype(np.float64)))


# --- which zones sound ---------------------------------------------------------------------------

LEVELS = {"a.wav": 0.1, "b.wav": 0.2, "c.wav": 0.3, "d.wav": 0.4}
SPLIT = ("<group> amp_veltrack=0\n"
         "<region> sample=a.wav lokey=0 hikey=59 lovel=1 hivel=63\n"
         "<region> sample=b.wav lokey=0 hikey=59 lovel=64 hivel=127\n"
         "<region> sample=c.wav lokey=60 hikey=71 lovel=1 hivel=127\n"
         "<region> sample=d.wav lokey=72 hikey=100 lovel=100 hivel=127\n")


def test_the_zone_a_key_and_velocity_pick_is_exact_at_every_boundary(tmp_path):
    loaded, _ = imported(tmp_path, SPLIT, {k: np.full(8192, v) for k, v in LEVELS.items()})
    eng = engine(loaded)
    gain = level_of(eng, 65, 100) / 0.3              # the track's gain on a zone's constant
    samples = {rel: LEVELS[Path(rel).name] for rel in loaded.zone_map.samples}
    for note in (0, 58, 59, 60, 61, 70, 71, 72, 73, 99, 100, 101, 127):
        for vel in (1, 2, 62, 63, 64, 65, 98, 99, 100, 101, 126, 127):
            want = sum(samples[z.sample] for z in loaded.zone_map.lookup(note, vel, 0))
            assert level_of(eng, note, vel) == pytest.approx(want * gain, abs=1e-6), (note, vel)


def test_layers_sound_together_and_a_gap_is_a_silent_trig(tmp_path):
    sfz = SPLIT + "<region> sample=a.wav key=65 amp_veltrack=0\n"
    loaded, _ = imported(tmp_path, sfz, {k: np.full(8192, v) for k, v in LEVELS.items()})
    eng = engine(loaded)
    single = level_of(eng, 64, 100)
    assert level_of(eng, 65, 100) == pytest.approx(single * 0.4 / 0.3, rel=1e-5)    # c + a
    silent = eng.stats()["silent_trigs"]
    assert level_of(eng, 110, 100) == 0.0
    assert eng.stats()["silent_trigs"] == silent + 1


def test_round_robin_cycles_in_order_per_note(tmp_path):
    sfz = ("<group> amp_veltrack=0 key=60 seq_length=3\n"
           "<region> sample=a.wav seq_position=1\n<region> sample=b.wav seq_position=2\n"
           "<region> sample=c.wav seq_position=3\n"
           "<group> amp_veltrack=0\n<region> sample=d.wav key=62\n")
    loaded, _ = imported(tmp_path, sfz, {k: np.full(8192, v) for k, v in LEVELS.items()})
    eng = engine(loaded)
    got = []
    for k in range(7):
        got.append(level_of(eng, 60, 100))
        level_of(eng, 62, 100)                      # another note does not move 60's turn
    gain = got[0] / 0.1
    assert np.allclose(np.array(got) / gain, [0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.1], atol=1e-6)
    # a new program (the set loaded again) starts at the first turn
    eng.set_program(0, loaded.program.copy())
    assert level_of(eng, 60, 100) == pytest.approx(got[0], abs=1e-7)


def test_random_round_robin_plays_every_turn_not_in_order(tmp_path):
    sfz = ("<group> amp_veltrack=0 key=60 seq_length=3\n"
           "<region> sample=a.wav seq_position=1\n<region> sample=b.wav seq_position=2\n"
           "<region> sample=c.wav seq_position=3\n")
    loaded, _ = imported(tmp_path, sfz, {k: np.full(8192, v) for k, v in LEVELS.items() if k != "d.wav"})
    eng = engine(loaded, {"round_robin": "random"})
    levels = np.array([level_of(eng, 60, 100) for _ in range(60)])
    turns = list(np.round(levels / levels.min()).astype(int))
    counts = np.bincount(turns, minlength=4)[1:]
    assert (counts >= 10).all(), counts                 # each about 20 of 60
    in_order = all((b - a) % 3 == 1 for a, b in zip(turns, turns[1:]))
    assert not in_order


# --- pitch --------------------------------------------------------------------------------------

def sine(freq, rate, seconds):
    n = int(seconds * rate)
    return 0.5 * np.sin(2 * np.pi * freq * np.arange(n) / rate)


def peak_hz(x, rate):
    """The strongest frequency, by a Hann-windowed FFT and a parabola through the log peak."""
    n = len(x)
    spec = np.abs(np.fft.rfft(x * np.hanning(n)))
    k = int(np.argmax(spec))
    a, b, c = np.log(spec[k - 1:k + 2])
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * rate / n


@pytest.mark.parametrize("file_rate", [48000, 44100, 96000])
def test_tuning_is_within_one_cent(tmp_path, file_rate):
    """pitch_keycenter 57, transpose 2, tune +30 cents, note 64: 7 semitones and 30 cents above
    the file's 441 Hz, whatever rate the file has (the engine runs at 48 kHz)."""
    sfz = ("<region> sample=s.wav lokey=40 hikey=80 pitch_keycenter=57 transpose=2 tune=30 "
           "amp_veltrack=0 loop_mode=loop_continuous loop_start=0 loop_end=%d\n")
    period = file_rate / 441.0
    x = sine(441.0, file_rate, 0.5)
    whole = int(round(int(len(x) / period) * period))   # a loop of whole periods (at 44.1 kHz exact)
    loaded, _ = imported(tmp_path, sfz % (whole - 1), {"s.wav": x[:whole]}, rate=file_rate)
    eng = engine(loaded)
    eng.note_on(0, 64, 100)
    out = render(eng, SR * 2)
    want = 441.0 * 2 ** ((64 - 57 + 2) / 12 + 30 / 1200)
    got = peak_hz(out[SR // 2:, 0].astype(np.float64), SR)
    assert abs(1200 * np.log2(got / want)) < 1.0, (got, want)


# --- loops --------------------------------------------------------------------------------------

def reference_engine(tmp_path, x):
    """The same voice playing `x` straight through (no loop): what a loop must sound like."""
    loaded, _ = imported(tmp_path / "ref", "<region> sample=r.wav key=60 amp_veltrack=0\n", {"r.wav": x})
    return engine(loaded)


def test_a_loop_plays_the_file_s_loop_region_repeated_sample_exactly(tmp_path):
    rng = np.random.default_rng(7)
    x = 0.3 * rng.standard_normal(4000)
    ls, le = 1000, 1777                                   # end exclusive; SFZ's loop_end is inclusive
    loaded, _ = imported(tmp_path, "<region> sample=s.wav key=60 amp_veltrack=0 loop_mode=loop_continuous "
                                   f"loop_start={ls} loop_end={le - 1}\n", {"s.wav": x})
    eng = engine(loaded)
    eng.note_on(0, 60, 100)
    out = render(eng, 12000)
    ref = reference_engine(tmp_path, np.concatenate([x[:le]] + [x[ls:le]] * 15))
    ref.note_on(0, 60, 100)
    want = render(ref, 12000)
    assert np.max(np.abs(want)) > 0.1
    assert np.max(np.abs(out - want)) < 1e-6


def test_loop_sustain_plays_on_to_the_end_after_note_off(tmp_path):
    x = np.concatenate([np.full(1000, 0.1), np.full(1000, 0.2), np.full(2000, 0.4)])
    loaded, _ = imported(tmp_path, "<region> sample=s.wav key=60 amp_veltrack=0 loop_mode=loop_sustain "
                                   "loop_start=1000 loop_end=1999 ampeg_release=10\n", {"s.wav": x})
    eng = engine(loaded)
    eng.note_on(0, 60, 100)
    held = render(eng, 9600)
    gain = held[900, 0] / 0.1
    assert np.allclose(held[1500:, 0] / gain, 0.2, atol=1e-4)      # loops on the 0.2 part
    eng.note_off(0, 60)
    after = render(eng, 4800)
    assert np.max(after[:, 0] / gain) > 0.3                         # reached the part after the loop
    assert np.max(np.abs(after[-100:])) == 0.0                      # and ended


# --- behaviour ----------------------------------------------------------------------------------

def tone_set(tmp_path, release_s=0.05):
    sfz = ("<group> loop_mode=loop_continuous loop_start=0 loop_end=47999 ampeg_release=%g\n"
           "<region> sample=s.wav lokey=11 hikey=127 pitch_keycenter=69 lovel=1 hivel=90\n"
           "<region> sample=s.wav lokey=11 hikey=127 pitch_keycenter=69 lovel=91 hivel=127 volume=-3\n"
           "<region> sample=q.wav key=10 volume=-144 loop_mode=loop_continuous\n" % release_s)
    return imported(tmp_path, sfz, {"s.wav": sine(440.0, SR, 1.0), "q.wav": sine(440.0, SR, 1.0)})[0]


def scenario(eng):
    f = eng.frame
    eng.note_on(0, 57, 100, frame=f + 100)
    eng.note_on(0, 64, 80, frame=f + 3001)
    eng.set_param(0, SPEC["cutoff_hz"].id, 3000.0, f + 5003)
    eng.note_off(0, 57, frame=f + 9000)
    eng.set_param(0, SPEC["level_db"].id, -6.0, f + 12001)
    eng.note_on(0, 60, 120, frame=f + 12500)
    eng.note_off(0, 64, frame=f + 16000)
    eng.note_off(0, 60, frame=f + 19000)


@pytest.mark.parametrize("block", [1, 64, 65, 128, 512])
def test_block_size_invariance(tmp_path, block):
    loaded = tone_set(tmp_path)
    whole = engine(loaded)
    scenario(whole)
    want = render(whole, 24000, 24000)
    eng = engine(loaded)
    scenario(eng)
    got = render(eng, 24000, block)
    assert np.isfinite(got).all() and np.max(np.abs(want)) > 0.05
    assert got.tobytes() == want.tobytes()


def test_no_click_at_note_on_note_off_and_steal(tmp_path):
    """Bound, for a 440 Hz tone at -9 dBFS: around a note-on (attack 0: the file's own start), a
    note-off (the shortest release, 3 ms) and a steal (the 5 ms fade), no frame-to-frame step
    exceeds 1.25 times the held tone's own largest step (a cut would be about 20 times it)."""
    loaded = tone_set(tmp_path, release_s=0.0)
    eng = engine(loaded)
    eng.note_on(0, 69, 100, frame=eng.frame + 1000)
    start = render(eng, 24000)
    held = steps(start[12000:])
    bound = 1.25 * held.max()
    assert held.max() > 0.01 and steps(start).max() <= bound
    eng.note_off(0, 69)
    off = render(eng, 4800)
    assert steps(off).max() <= bound and np.max(np.abs(off[-100:])) == 0.0
    # steal: the tone, then silent voices (key 10: -144 dB) until one more takes its place
    eng.note_on(0, 69, 100)
    render(eng, 4800)
    for k in range(SIZES["POLYPHONY"] - 1):
        eng.note_on(0, 10, 100)
    before = render(eng, 256)
    assert np.max(np.abs(before[-64:])) > 0.1           # the tone still sounds: not stolen yet
    steals = eng.stats()["steals"]
    eng.note_on(0, 10, 100)
    stolen = render(eng, 4800)
    assert eng.stats()["steals"] == steals + 1
    assert steps(stolen).max() <= bound and np.max(np.abs(stolen[-100:])) < 1e-5   # the -144 dB voices


def test_a_level_change_ramps_without_zipper_noise(tmp_path):
    """Bound: while the level falls 12 dB at once, no step exceeds the held tone's largest."""
    loaded = tone_set(tmp_path)
    eng = engine(loaded)
    eng.note_on(0, 69, 100)
    held = steps(render(eng, 12000)[6000:]).max()
    eng.set_param(0, SPEC["level_db"].id, -12.0)
    moved = render(eng, 4800)
    assert steps(moved).max() <= held * 1.0001
    assert np.max(np.abs(moved[-480:])) == pytest.approx(0.25 * np.max(np.abs(moved[:480])), rel=0.02)


def test_velocity_follows_the_zone_s_tracking_times_the_instrument_s(tmp_path):
    loaded, _ = imported(tmp_path, "<region> sample=a.wav key=60\n",
                         {"a.wav": np.full(256, 0.4)})
    full = engine(loaded)
    assert level_of(full, 60, 64) == pytest.approx(level_of(full, 60, 127) * 64 / 127, rel=1e-5)
    none = engine(loaded, {"velocity": 0})
    assert level_of(none, 60, 20) == pytest.approx(level_of(none, 60, 127), rel=1e-6)


def test_a_bad_buffer_is_refused_in_one_line(tmp_path):
    loaded = tone_set(tmp_path)
    eng = neutral_engine(float(SR))
    bad = loaded.program.copy()
    bad = bad[:-64]                                 # its last sample cut short
    with pytest.raises(ValueError) as e:
        eng.set_program(0, bad)
    assert "\n" not in str(e.value)


def test_the_zone_map_read_back_is_what_plays(tmp_path):
    loaded, lib = imported(tmp_path, SPLIT, {k: np.full(8192, v) for k, v in LEVELS.items()})
    assert load_zone_map(lib / "set") == loaded.zone_map


# --- factory sets and presets -------------------------------------------------------------------

PRESETS = Path(__file__).resolve().parents[2] / "firmware" / "reverie" / "sound" / "presets" / "multisample"


def track_peak(eng, frames, block=256):
    """The track's own peak (before the master's limiter could hide an overshoot), and the output."""
    out, peak = np.zeros((frames, 2), np.float32), 0.0
    for start in range(0, frames, block):
        eng.render(out[start:start + block])
        peak = max(peak, eng.track_peak(0))
    return peak, out


@pytest.mark.parametrize("ref", factory_sets())
def test_each_factory_set_plays_below_0_dbfs_at_default_settings(ref):
    """Loudest case: velocity 127, a four-note chord on each of its zones' keys."""
    loaded = load_set(ref)
    eng = engine(loaded)
    for root in (36, 48, 60, 72, 84):
        for n in (0, 4, 7, 12):
            eng.note_on(0, root + n, 127)
        peak, out = track_peak(eng, SR // 2)
        for n in (0, 4, 7, 12):
            eng.note_off(0, root + n)
        tail_peak, tail = track_peak(eng, SR)
        assert np.isfinite(out).all() and np.isfinite(tail).all()
        assert 0.05 < max(peak, tail_peak) < 1.0, (root, peak)
    assert len(factory_sets()) >= 2 and sum(p.stat().st_size for p in FACTORY_SETS.rglob("*")) < 300_000


@pytest.mark.parametrize("path", sorted(PRESETS.glob("*.toml")), ids=lambda p: p.stem)
def test_each_preset_renders_not_silent_below_0_dbfs(path):
    preset = tomllib.loads(path.read_text())
    assert preset["instrument"] == "multisample" and 1 <= len(preset["name"]) <= 12
    loaded = load_set(preset["multisample"])
    eng = engine(loaded, preset.get("params", {}))
    note = preset.get("note", 60)
    for vel in (40, 127):
        eng.note_on(0, note, vel)
        peak, out = track_peak(eng, SR)
        eng.note_off(0, note)
        tail_peak, tail = track_peak(eng, 2 * SR)
        assert np.isfinite(out).all() and np.isfinite(tail).all()
        assert 0.01 < peak < 1.0 and tail_peak < 1.0
        assert np.max(np.abs(tail[-480:])) < 1e-4          # it ends


def test_at_least_four_presets_name_factory_sets():
    refs = [tomllib.loads(p.read_text())["multisample"] for p in PRESETS.glob("*.toml")]
    assert len(refs) >= 4 and all(r in factory_sets() for r in refs)


def test_one_shot_ignores_the_note_off_and_a_zone_pans_as_a_balance(tmp_path):
    sfz = ("<region> sample=a.wav key=60 amp_veltrack=0 loop_mode=one_shot pan=-50\n"
           "<region> sample=a.wav key=61 amp_veltrack=0\n")
    loaded, _ = imported(tmp_path, sfz, {"a.wav": np.full(4800, 0.4)})
    eng = engine(loaded)
    eng.note_on(0, 61, 100)
    centre = render(eng, 2400)[1200]
    eng.note_off(0, 61)
    render(eng, 4800)
    eng.note_on(0, 60, 100)
    played = render(eng, 1200)
    eng.note_off(0, 60)
    after = render(eng, 6000)
    left, right = played[1000]
    assert left == pytest.approx(centre[0], rel=1e-5) and right == pytest.approx(0.5 * centre[1], rel=1e-5)
    assert after[1000, 0] == pytest.approx(left, rel=1e-5)        # still playing after the note-off
    assert np.max(np.abs(after[-200:])) < 1e-6                    # ends with the sample (4800 frames)
