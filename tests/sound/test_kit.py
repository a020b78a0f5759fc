"""reverie.sound.kit: the synthesised factory kit is deterministic, small, loadable, and its
looped sounds carry loop points and root notes that load_sample reads back."""
import numpy as np
import pytest
import soundfile as sf

from reverie.base.errors import UserError
from reverie.sound.kit import FACTORY_KIT_NAMES, KitSound, build_factory_kit, kit_wav_bytes
from reverie.sound.samples import describe, load_sample

LOOPED = {"bass": 36, "pad": 60}


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return build_factory_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture(scope="module")
def loaded(kit):
    return {name: load_sample(path) for name, path in kit.items()}


def spectral_centroid_hz(mono, rate=48000):
    power = np.abs(np.fft.rfft(mono)) ** 2
    return float(np.sum(np.fft.rfftfreq(len(mono), 1 / rate) * power) / np.sum(power))


def test_kit_has_every_sound_in_order(kit):
    assert list(kit) == FACTORY_KIT_NAMES
    assert FACTORY_KIT_NAMES[:5] == ["kick", "snare", "closed_hat", "open_hat", "clap"]
    assert [path.name for path in kit.values()] == [f"{name}.wav" for name in FACTORY_KIT_NAMES]


def test_files_are_48k_24_bit_short_and_small(kit):
    for path in kit.values():
        info = sf.info(path)
        assert (info.format, info.subtype, info.samplerate) == ("WAV", "PCM_24", 48000)
        assert 0.1 <= info.duration <= 1.5, path.name
    assert sum(path.stat().st_size for path in kit.values()) < 2 * 2**20


def test_every_sound_loads_cleanly_near_full_scale(loaded):
    for name, sample in loaded.items():
        assert sample.notes == [], name
        assert 0.4 < np.max(np.abs(sample.data)) <= 0.9, name
        if name not in LOOPED:  # looped sounds end on their loop, by design
            assert np.abs(sample.data[-1]).max() < 1e-3, name  # fades out: no click


def test_build_is_deterministic(tmp_path, kit):
    again = build_factory_kit(tmp_path / "again")
    for name in FACTORY_KIT_NAMES:
        assert again[name].read_bytes() == kit[name].read_bytes(), name


def test_build_rewrites_only_missing_or_changed_files(tmp_path):
    kit = build_factory_kit(tmp_path)
    before = {name: (path.stat().st_ino, path.stat().st_mtime_ns) for name, path in kit.items()}
    original_snare = kit["snare"].read_bytes()
    kit["snare"].write_bytes(b"not a snare")
    kit["clap"].unlink()
    build_factory_kit(tmp_path)
    assert kit["snare"].read_bytes() == original_snare
    assert kit["clap"].is_file()
    for name in ("kick", "closed_hat", "open_hat", "bass", "pad"):
        path = kit[name]
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == before[name], name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in kit.values())


@pytest.mark.parametrize("name,root_note", LOOPED.items())
def test_looped_sounds_carry_loop_and_root_note(loaded, kit, name, root_note):
    sample = loaded[name]
    assert sample.root_note == root_note
    assert 0 < sample.loop_start < sample.loop_end == sample.frames
    assert sample.loop_end - sample.loop_start > 0.5 * 48000
    info = describe(kit[name])
    assert (info["loop_start"], info["loop_end"], info["root_note"]) == \
        (sample.loop_start, sample.loop_end, root_note)


@pytest.mark.parametrize("name", LOOPED)
def test_loops_are_seamless(loaded, name):
    sample = loaded[name]
    # Jumping from loop_end - 1 back to loop_start must look like stepping to the next frame.
    before_start = sample.data[sample.loop_start - 1]
    assert np.array_equal(sample.data[sample.loop_end - 1], before_start)


def test_bass_is_pitched_at_its_root_note_and_band_limited(loaded):
    bass = loaded["bass"]
    loop = bass.data[bass.loop_start:bass.loop_end, 0]
    spectrum = np.abs(np.fft.rfft(loop))
    hz = np.fft.rfftfreq(len(loop), 1 / 48000)
    assert hz[np.argmax(spectrum)] == pytest.approx(65.406, abs=0.1)  # C2 = MIDI 36
    assert spectrum[hz > 7000].max() < 1e-4 * spectrum.max()


def test_pad_is_a_c_major_chord_in_stereo(loaded):
    pad = loaded["pad"]
    loop = pad.data[pad.loop_start:pad.loop_end]
    assert not np.array_equal(loop[:, 0], loop[:, 1])
    spectrum = np.abs(np.fft.rfft(loop[:, 0]))
    hz = np.fft.rfftfreq(len(loop), 1 / 48000)
    strongest = sorted(hz[np.argsort(spectrum)[-3:]])
    assert strongest == pytest.approx([261.6, 327.0, 392.4], abs=0.5)  # C4, just E4, G4


def test_drums_have_their_character(loaded):
    centroid = {name: spectral_centroid_hz(loaded[name].data[:, 0]) for name in loaded}
    assert centroid["kick"] < 1000 < centroid["snare"] < centroid["closed_hat"]
    assert centroid["clap"] < centroid["open_hat"]

    def seconds_above(name, level=0.01):
        audible = np.nonzero(np.abs(loaded[name].data[:, 0]) > level)[0]
        return audible[-1] / 48000

    assert seconds_above("open_hat") > 3 * seconds_above("closed_hat")


def test_written_smpl_chunk_reads_back(tmp_path):
    frames = 3001  # odd, so the data chunk needs its pad byte
    audio = np.sin(np.arange(frames) * 2 * np.pi * 10 / 1000) * 0.5
    path = tmp_path / "tone.wav"
    path.write_bytes(kit_wav_bytes(KitSound(audio, loop=(1000, 3000), root_note=43)))
    sample = load_sample(path)
    assert (sample.loop_start, sample.loop_end, sample.root_note) == (1000, 3000, 43)
    assert sample.notes == []
    assert np.max(np.abs(sample.data[:, 0] - audio)) < 2**-23


def test_unwritable_destination_is_a_user_error(tmp_path):
    blocker = tmp_path / "kit"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(UserError, match="cannot write the factory kit") as caught:
        build_factory_kit(blocker)
    assert "\n" not in str(caught.value)
