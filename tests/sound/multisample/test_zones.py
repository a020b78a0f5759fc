"""The zone map model: its JSON form read back exactly, every bad value refused in one line
naming the file and the value, and the lookup a note-on makes (keys, velocities, round robin)."""
import json

import pytest

from reverie.base.errors import UserError
from reverie.sound.multisample.zones import (MAX_ZONES, ZONE_FILE, SampleFile, Zone, ZoneMap, load_zone_map,
                                              save_zone_map)

SAMPLES = {"a.wav": SampleFile(48000, 48000, 2), "sub/b.flac": SampleFile(1000, 44100, 1)}


def zmap(*zones):
    return ZoneMap("Keys", tuple(zones), SAMPLES, {"kind": "sfz"})


def test_a_zone_map_saved_and_loaded_is_the_same(tmp_path):
    m = zmap(Zone("a.wav", 0, 59, 48, 1, 64, loop_mode="loop_sustain", loop_start=10, loop_end=47000,
                  tune_cents=-12.5, volume_db=-3, pan=-0.25, velocity_track=0.5, attack_ms=2, decay_ms=300,
                  sustain=0.7, release_ms=450),
             Zone("sub/b.flac", 60, 127, 60, 65, 127, seq_length=3, seq_position=2, offset=5, end=900,
                  transpose=-12))
    path = save_zone_map(m, tmp_path)
    assert path == tmp_path / ZONE_FILE
    assert load_zone_map(tmp_path) == m
    text = path.read_text()
    assert '{"sample": "sub/b.flac", "key_lo": 60, "vel_lo": 65, "seq_length": 3' in text   # defaults left out
    assert json.loads(text)["version"] == 1


def valid():
    return {"format": "reverie-multisample", "version": 1, "name": "Keys",
            "samples": {"a.wav": {"frames": 100, "rate": 48000, "channels": 1}},
            "zones": [{"sample": "a.wav", "key_lo": 10, "key_hi": 20}]}


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(version=2), "m.json: version 2 is not supported; this Reverie reads version 1; update Reverie to open it"),
    (lambda d: d.update(format="sfz"), 'm.json: format must be "reverie-multisample", not "sfz"'),
    (lambda d: d["zones"][0].update(key_lo=130), "m.json: zones[0].key_lo = 130 is outside 0..127"),
    (lambda d: d["zones"][0].update(key_lo=30), "m.json: zones[0]: key_lo 30 is above key_hi 20"),
    (lambda d: d["zones"][0].update(vel_lo=True), "m.json: zones[0].vel_lo must be a whole number from 0 to 127, not true"),
    (lambda d: d["zones"][0].update(seq_length=2, seq_position=3), "m.json: zones[0]: seq_position 3 is beyond seq_length 2"),
    (lambda d: d["zones"][0].update(loop_mode="pingpong"), 'm.json: zones[0].loop_mode must be one of "no_loop", '),
    (lambda d: d["zones"][0].update(loop_mode="loop_continuous"), "m.json: zones[0]: loop_mode loop_continuous needs loop_start and loop_end"),
    (lambda d: d["zones"][0].update(loop_start=10, loop_end=101), "m.json: zones[0]: the loop 10..101 does not fit the sample's 100 frames"),
    (lambda d: d["zones"][0].update(loop_start=10), "m.json: zones[0]: loop_start and loop_end come together or not at all"),
    (lambda d: d["zones"][0].update(offset=100), "m.json: zones[0]: offset 100 and end 100 do not fit the sample's 100 frames"),
    (lambda d: d["zones"][0].update(tune_cents=float("nan")), "m.json: zones[0].tune_cents must be a number from -9600 to 9600 cents, not nan"),
    (lambda d: d["zones"][0].update(sample="../a.wav"), 'm.json: zones[0].sample = "../a.wav" must be a plain path inside the folder'),
    (lambda d: d["zones"][0].update(sample="b.wav"), 'm.json: zones[0].sample = "b.wav" is not one of the samples listed'),
    (lambda d: d["samples"].update({"/etc/passwd": {"frames": 1, "rate": 48000, "channels": 1}}), 'm.json: samples."/etc/passwd" = "/etc/passwd" must be a plain path'),
    (lambda d: d["zones"][0].update(colour="red"), "m.json: unknown key zones[0].colour; known: sample, key_lo"),
    (lambda d: d.update(zones=[]), "m.json: zones must be a list of 1 to 4096 zones, not []"),
])
def test_a_bad_value_is_one_line_naming_it(change, message):
    d = valid()
    change(d)
    with pytest.raises(UserError) as e:
        ZoneMap.from_dict(d, "m.json")
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_no_more_zones_than_the_limit():
    d = valid()
    d["zones"] = d["zones"] * (MAX_ZONES + 1)
    with pytest.raises(UserError, match="zones must be a list of 1 to 4096 zones"):
        ZoneMap.from_dict(d, "m.json")


def test_a_folder_without_a_zone_map_is_one_line(tmp_path):
    with pytest.raises(UserError, match=f"no {ZONE_FILE} in it"):
        load_zone_map(tmp_path)
    (tmp_path / ZONE_FILE).write_text("{nope")
    with pytest.raises(UserError, match="not valid JSON"):
        load_zone_map(tmp_path)


def test_lookup_by_key_and_velocity():
    low = Zone("a.wav", 0, 59, vel_lo=0, vel_hi=127)
    soft = Zone("a.wav", 60, 72, vel_lo=1, vel_hi=63)
    loud = Zone("a.wav", 60, 72, vel_lo=64, vel_hi=127)
    m = zmap(low, soft, loud)
    assert m.lookup(59, 100) == [low]
    assert m.lookup(60, 63) == [soft] and m.lookup(60, 64) == [loud]
    assert m.lookup(72, 127) == [loud] and m.lookup(73, 127) == []


def test_round_robin_takes_turns_with_the_counter_and_layers_play_together():
    turns = [Zone("a.wav", 36, 36, seq_length=3, seq_position=p) for p in (1, 2, 3)]
    layer = Zone("sub/b.flac", 36, 36)                     # no round robin: every time
    m = zmap(*turns, layer)
    assert [m.lookup(36, 100, c) for c in range(7)] == [
        [turns[0], layer], [turns[1], layer], [turns[2], layer], [turns[0], layer],
        [turns[1], layer], [turns[2], layer], [turns[0], layer]]
