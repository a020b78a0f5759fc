"""The sound page's preset screen: the list turned puts each preset on the focused track at
once with its audition note (no undo entry), a push keeps it as ONE undo step, LEFT (or a
page key, another track) takes it back exactly; the instrument changes there; SAVE names a
preset of one's own; a track whose instrument is not installed shows it and plays silent."""
from __future__ import annotations

from golden import assert_golden
from scenes import MINIMAL, groove, image, playing, press, turn, ui

from reverie.base.events import Key, Knob, Pad
from reverie.project.model import Project
from reverie.sound.presets import load_library
from reverie.ui import effects as fx

LIB = load_library()
SAMPLER = LIB.of("sampler")
SYNTH = LIB.of("synth")


def on_presets(u=None):
    u = u or ui()
    press(u, "SOUND")
    press(u, "LEFT")
    assert u.view().header.title.startswith("PRST")
    return u


def test_turning_the_list_puts_each_preset_on_the_track_and_plays_it_with_no_undo_entry():
    u = on_presets()
    before = u.project
    out = turn(u, 1, 1)
    second = SAMPLER[1]
    track = u.project.tracks[0]
    assert (track.instrument, track.params, track.preset) == ("sampler", dict(second.params), second.name)
    assert (track.sample, track.bus) == (before.tracks[0].sample, before.tracks[0].bus)
    assert out[0] == fx.TrackSound(0) and out[-1] == fx.PlayNote(0, second.note, 100)
    assert not any(isinstance(e, fx.SetParam) for e in out)       # TrackSound posts them all
    assert u.context.history.labels() == [] and u.view().header.title == "TRY 2/9"
    out = turn(u, 1, 1)
    assert out[0] == fx.PlayNote(0, second.note, 0)               # the last one let go first
    assert u.project.tracks[0].params == dict(SAMPLER[2].params)
    assert u.project.tracks[1:] == before.tracks[1:] and u.project.patterns == before.patterns


def test_while_playing_the_audition_note_is_left_out():
    u = on_presets()
    playing(u)
    out = turn(u, 1, 1)
    assert fx.TrackSound(0) in out and not any(isinstance(e, fx.PlayNote) for e in out)


def test_a_push_keeps_it_as_one_undo_step_that_undo_takes_back():
    u = on_presets()
    before = u.project
    for _ in range(3):
        turn(u, 1, 1)
    kept = SAMPLER[3]
    out = press(u, "ENC2")
    assert out == [fx.PlayNote(0, kept.note, 0)]
    assert u.context.history.labels() == [f"sound {kept.name} T1"]
    assert u.project.tracks[0].preset == kept.name and u.view().header.title == "PRST 4/9"
    assert u.view().body.lines[1].in_use                        # the dot: the track's preset
    u.context.undo()
    assert u.project == before


def test_left_takes_it_back_exactly_and_keeps_redo():
    u = ui()
    press(u, "SOUND")
    turn(u, 1, 1)                                    # a parameter edit, undone: redo has it
    u.context.undo()
    before, labels = u.project, u.context.history.labels()
    press(u, "LEFT")
    turn(u, 1, 2)
    assert u.project is not before
    out = press(u, "LEFT")
    assert u.project is before                       # the very project that was there
    assert fx.TrackSound(0) in out and fx.PlayNote(0, SAMPLER[2].note, 0) in out
    assert u.context.history.can_redo and u.context.history.labels() == labels
    assert u.view().header.title == "PRST 3/9"


def test_right_and_a_page_key_take_it_back_too():
    u = on_presets()
    before = u.project
    turn(u, 1, 1)
    press(u, "RIGHT")
    assert u.project is before and u.view().header.title == "SAMP 1/3"
    press(u, "LEFT")
    turn(u, 1, 1)
    out = press(u, "MIXER")
    assert u.project is before and u.page_name == "MIXER" and fx.TrackSound(0) in out


def test_focusing_another_track_takes_it_back():
    u = on_presets()
    before = u.project
    turn(u, 1, 1)
    u.handle(Key("FUNC", "press"))
    u.handle(Pad(2, 100))
    u.handle(Pad(2, 0))
    u.handle(Key("FUNC", "release"))
    assert u.context.track == 2
    out = turn(u, 1, 1)
    assert u.project.tracks[0] is before.tracks[0]              # T1 as it was
    assert fx.TrackSound(0) in out and fx.TrackSound(2) in out
    assert u.project.tracks[2].preset == SAMPLER[2].name        # the list goes on, on T3


def test_the_instrument_changes_on_enc1_and_a_push_keeps_instrument_and_preset():
    u = on_presets()
    out = turn(u, 0, 1)
    t = u.project.tracks[0]
    assert (t.instrument, t.params, t.preset) == ("synth", dict(SYNTH[0].params), SYNTH[0].name)
    assert out[:1] == [fx.TrackSound(0)] and fx.ProjectEdited() in out
    assert out[-1] == fx.PlayNote(0, SYNTH[0].note, 100)
    assert u.view().body.instrument == "synth"
    press(u, "ENC1")
    assert u.context.history.labels() == [f"sound {SYNTH[0].name} T1"]
    saved = Project.from_dict(u.project.to_dict())
    assert saved.tracks[0].instrument == "synth" and saved.tracks[0].preset == SYNTH[0].name


def test_an_instrument_that_cannot_take_the_tracks_locks_is_refused_with_one_line():
    p = groove()
    d = p.to_dict()
    d["patterns"]["A01"]["tracks"][0]["steps"][2] = {"locks": {"start": 0.5}}
    u = on_presets(ui(project=Project.from_dict(d)))
    before = u.project
    assert turn(u, 0, 1) == []
    assert u.project is before and u.view().body.instrument == "sampler"
    assert u.context.message == "T1 locks start in A01, which synth does not have: clear those locks first"


def test_save_names_a_preset_of_ones_own_from_a_word_and_the_first_free_number():
    u = ui()
    press(u, "SOUND")
    turn(u, 0, 1)                                    # filter: bandpass, on the sampler's screen 1
    before = u.project
    press(u, "LEFT")
    turn(u, 1, 100)                                  # past the presets: SAVE
    assert u.project is before                       # SAVE puts back the track's own sound
    turn(u, 2, 1)
    assert u.view().header.title == "SAVE"
    assert u.view().body.lines[-1].text == "SAVE Warm 1" and u.view().body.lines[-1].chosen
    out = press(u, "ENC2")
    assert out == [fx.SavePreset("sampler", "Warm 1", tuple(before.tracks[0].params.items()))]


def test_a_track_whose_instrument_is_not_installed_shows_it_and_can_take_another():
    d = groove().to_dict()
    d["tracks"][0]["instrument"] = "example.chime"
    d["tracks"][0]["params"] = {"brightness": 0.5}
    d["patterns"]["A01"]["tracks"][0] = {"steps": [{}]}
    u = ui(project=Project.from_dict(d))
    press(u, "SOUND")
    v = u.view().body
    assert v.instrument == "example.chime" and v.note == "not installed:\nit plays silent" and v.lines == ()
    assert_golden(image(u), "sound-presets-missing")
    before = u.project
    assert u.handle(Knob(-1, 0.5, key="cutoff_hz")) == []        # a learned knob: one line
    assert u.context.message == "T1: example.chime is not installed; it plays silent"
    assert u.handle(Knob(0, 0.5)) == [] and u.project is before
    turn(u, 0, 1)
    assert u.project.tracks[0].instrument == "sampler"
    press(u, "ENC1")
    assert u.project.tracks[0].params == dict(SAMPLER[0].params)


def test_golden_screens():
    u = on_presets()
    assert_golden(image(u), "sound-presets")
    turn(u, 0, 1)
    turn(u, 1, 2)
    assert_golden(image(u), "sound-presets-trying")
    turn(u, 1, 100)
    assert_golden(image(u), "sound-presets-save")


def test_one_encoder_clicks_over_instrument_list_and_name_and_a_double_click_keeps():
    u = ui(MINIMAL)
    press(u, "SOUND")
    u.handle(Key("ENC1", "press"))                   # hold and turn: LEFT
    turn(u, 0, -1)
    u.handle(Key("ENC1", "release"))
    assert u.view().header.title.startswith("PRST")
    press(u, "ENC1")                                 # a click: the list
    assert u.view().body.focus == 1
    turn(u, 0, 1)
    assert u.project.tracks[0].preset == SAMPLER[1].name
    assert_golden(image(u), "sound-presets-minimal")
    u.handle(Key("ENC1", "double"))
    assert u.context.history.labels() == [f"sound {SAMPLER[1].name} T1"]


def test_the_list_follows_the_focused_track_and_its_instrument():
    d = groove().to_dict()
    d["tracks"][2] = {"name": "Lead", "instrument": "synth", "preset": SYNTH[4].name,
                      "params": dict(SYNTH[4].params)}
    u = on_presets(ui(project=Project.from_dict(d)))
    u.handle(Key("FUNC", "press"))
    u.handle(Pad(2, 100))
    u.handle(Pad(2, 0))
    u.handle(Key("FUNC", "release"))
    v = u.view()
    assert v.body.instrument == "synth" and v.header.title == f"PRST 5/{len(SYNTH)}"
    assert [line.in_use for line in v.body.lines] == [False, True, False]
    turn(u, 1, 1)
    assert u.project.tracks[2].preset == SYNTH[5].name and u.project.tracks[0].instrument == "sampler"


def test_steps_held_on_the_pattern_page_lock_even_from_the_preset_screen():
    u = on_presets()
    press(u, "PATTERN")
    u.handle(Pad(4, 100))
    press(u, "SOUND")
    assert u.view().header.title == "LOCK S5"
    u.handle(Pad(4, 0))
    assert u.view().header.title.startswith("PRST")
