"""Choosing a multisample track's set on the running box: the sound page lists the sets
(ListMultisamples on the worker), ENC4 and ENC3 pushes step through them as undoable edits,
and each change's LoadMultisample gives the track its set's program on the control thread; a
set that is not there is one notice and a silent track; undo brings the last set back."""
from dataclasses import replace

import numpy as np
import pytest

from reverie.app.rig import build_rig
from reverie.base.events import PRESS, Key
from reverie.control.multisample_sets import MultisampleSets
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project
from reverie.sound.buses import make_engine
from reverie.sound.multisample.play import factory_sets
from reverie.ui.context import changes
from reverie.ui.imports import ListMultisamples, LoadMultisample
from reverie.ui.pages.sound import SoundPage

RATE = 48000


@pytest.fixture
def rig(tmp_path):
    r = build_rig(make_engine(RATE), load_project(demo_project_path()), demo_project_path(),
                  rate=RATE, period=128, library=tmp_path / "projects", factory_dir=tmp_path / "factory")
    r.jobs.handlers.update(MultisampleSets(r, tmp_path / "lib").handlers())     # as app/boot.py wires it
    yield r
    r.jobs.close()


def carry_out(rig, effects):
    rig.applier.apply(list(effects))
    rig.jobs.wait(timeout=30)


def make_multisample(rig, ref):
    """Track 1 becomes a multisample track playing `ref` (an edit, as a preset would make it)."""
    ctx = rig.ui.context
    before = ctx.project

    def edit(p):
        tracks = list(p.tracks)
        tracks[0] = replace(tracks[0], instrument="multisample", multisample=ref, params={})
        return replace(p, tracks=tracks)
    ctx.history.apply(edit, label="multisample")
    return changes(before, ctx.project)


def sounds(rig, note=60):
    rig.engine.render(np.zeros((256, 2), np.float32))
    rig.engine.note_on(0, note, 110)
    out = np.zeros((9600, 2), np.float32)
    rig.engine.render(out)
    rig.engine.note_off(0, note)
    rig.engine.render(np.zeros((48000, 2), np.float32))
    return float(np.abs(out).max())


def test_a_new_set_reaches_the_engine_and_plays(rig):
    effects = make_multisample(rig, "factory:marimba")
    assert LoadMultisample(0, "factory:marimba") in effects
    carry_out(rig, effects)
    assert rig.engine.programs[0] is not None and rig.engine.programs[0].nbytes > 100_000
    assert rig.applier.notice == "T1: factory:marimba"
    assert sounds(rig) > 0.02


def test_a_missing_set_is_one_notice_and_a_silent_track(rig):
    carry_out(rig, make_multisample(rig, "gone"))
    assert rig.applier.notice == "T1 plays nothing: multisample 'gone' is not there; import it again (reverie import)"
    silent = rig.engine.stats()["silent_trigs"]
    assert sounds(rig) == 0.0 and rig.engine.stats()["silent_trigs"] == silent + 1


def test_the_sound_page_steps_through_the_sets_and_undo_goes_back(rig):
    carry_out(rig, make_multisample(rig, "factory:glass"))
    ctx, page = rig.ui.context, SoundPage()
    ctx.track = 0
    assert page.enter(ctx) == [ListMultisamples()]
    carry_out(rig, page.enter(ctx))
    assert ctx.multisets == tuple(factory_sets()) and len(ctx.multisets) == 3
    at = ctx.multisets.index("factory:glass")
    effects = page.key(ctx, Key("ENC4", PRESS, 0.0))
    after = ctx.multisets[(at + 1) % 3]
    assert ctx.project.tracks[0].multisample == after and LoadMultisample(0, after) in effects
    carry_out(rig, effects)
    assert rig.applier.notice == f"T1: {after}"
    back = ctx.undo()
    assert LoadMultisample(0, "factory:glass") in back and ctx.project.tracks[0].multisample == "factory:glass"
    assert page.key(ctx, Key("ENC3", PRESS, 0.0)) is not None
    assert ctx.project.tracks[0].multisample == ctx.multisets[(at - 1) % 3]


def test_the_pushes_are_not_taken_on_other_instruments(rig):
    ctx, page = rig.ui.context, SoundPage()
    ctx.track = 0
    assert ctx.project.tracks[0].instrument == "sampler"
    assert page.enter(ctx) == [] and page.key(ctx, Key("ENC4", PRESS, 0.0)) is None
