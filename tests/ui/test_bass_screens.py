"""A bass track on the sound page and under held steps: its screens, and the step's accent
and slide beside the sound's accent amounts without two fields of one label."""
from scenes import press, ui

from reverie.base.events import Pad
from reverie.project.model import Project
from reverie.ui import selection
from reverie.ui.pages.held_edit import STEP_LAYERS


def test_the_bass_screens():
    names = [name for name, _ in selection.screens("bass")]
    assert names == ["OSC 1/1", "FILT 1/1", "FENV 1/1", "ACID 1/1", "AMP 1/1", "OUT 1/1"]
    acid = dict(selection.screens("bass"))["ACID 1/1"]
    assert [s.key for s in acid] == ["accent_db", "accent_oct", "accent_decay_oct", "slide_ms"]


def test_no_label_means_two_things_on_a_held_bass_step():
    """The step's ACNT and SLID (on/off) and the sound's ACDB, ACFQ, ACDC and GLID (amounts)."""
    from reverie.ui.step_fields import LABELS
    step_labels = {LABELS[f] for _, fields in STEP_LAYERS for f in fields}
    sound_labels = {s.label for _, run in selection.screens("bass") for s in run}
    assert {"ACNT", "SLID"} <= step_labels
    assert not {"ACNT", "SLID"} & sound_labels


def test_held_steps_on_a_bass_track_reach_the_acid_screen():
    u = ui(project=Project.from_dict({"format": "reverie-project", "version": 2,
                                      "tracks": [{"name": "Bass", "instrument": "bass"}]}))
    u.handle(Pad(0, 100))
    infos = [u.view().body.info]
    for _ in range(6):
        press(u, "RIGHT")
        infos.append(u.view().body.info)
    assert infos == ["S1 TRIG", "S1 MORE", "S1 ACCENT", "S1 OSC 1/1", "S1 FILT 1/1", "S1 FENV 1/1",
                     "S1 ACID 1/1"]
    assert [f.label for f in u.view().body.fields] == ["ACDB", "ACFQ", "ACDC", "GLID"]
