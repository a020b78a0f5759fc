"""Undo and redo: every edit goes back and forth exactly, the history is bounded and cheap,
and a refused edit changes nothing."""
import copy
import random
import tracemalloc

import pytest

from reverie.base.errors import UserError
from reverie.project import edit
from reverie.project.history import History, describe
from reverie.project.model import Project, Track
from reverie.project.pattern import SPEEDS, Pattern, Retrig, Step, TrackPattern, pattern_name


def project() -> Project:
    p = Project(tracks=[Track(f"T{i + 1}", sample="factory:kick") for i in range(4)])
    p = edit.set_step(p, "A01", 0, 0, Step(notes=(36,)))
    return edit.set_step(p, "A01", 2, 4, Step(notes=(60,), velocity=90))


def test_apply_undo_redo_and_labels():
    h = History(project())
    start = h.project
    assert not h.can_undo and not h.can_redo and h.undo_label is None
    h.apply(edit.set_field, "A01", 2, 4, "velocity", 110)
    assert h.project.pattern_at("A01").tracks[2].steps[4].velocity == 110
    assert h.undo_label == "undo: set velocity A01 T3 S5"
    h.apply(edit.set_lock, "A01", 2, 4, "cutoff_hz", 800, label="lock filter A01 T3 S5")
    assert h.labels() == ["lock filter A01 T3 S5", "set velocity A01 T3 S5"]
    assert h.undo() == "lock filter A01 T3 S5"
    assert h.redo_label == "redo: lock filter A01 T3 S5"
    assert h.undo() == "set velocity A01 T3 S5"
    assert h.project is start and not h.can_undo
    assert h.redo() == "set velocity A01 T3 S5"
    assert h.project.pattern_at("A01").tracks[2].steps[4].velocity == 110
    assert h.can_undo and h.can_redo


def test_nothing_to_undo_or_redo_is_one_line():
    h = History(project())
    for fn, says in ((h.undo, "nothing to undo"), (h.redo, "nothing to redo")):
        with pytest.raises(UserError, match=says):
            fn()


def test_a_new_edit_clears_redo():
    h = History(project())
    h.apply(edit.toggle_step, "A01", 0, 1)
    h.apply(edit.toggle_step, "A01", 0, 2)
    h.undo()
    assert h.can_redo
    h.apply(edit.set_swing, "A01", 60)
    assert not h.can_redo and h.labels() == ["set swing A01", "toggle step A01 T1 S2"]


def test_a_refused_edit_changes_nothing():
    h = History(project())
    h.apply(edit.toggle_step, "A01", 0, 1)
    h.undo()
    before, snapshot, revision = h.project, copy.deepcopy(h.project), h.revision
    with pytest.raises(UserError) as info:
        h.apply(edit.set_field, "A01", 2, 4, "velocity", 300)
    assert "\n" not in str(info.value) and "A01 T3 S5 velocity" in str(info.value)
    assert h.project is before and h.project == snapshot and h.revision == revision
    assert not h.can_undo and h.can_redo                      # redo survives a refused edit


def test_an_edit_that_changes_nothing_is_not_recorded():
    h = History(project())
    h.apply(edit.set_field, "A01", 2, 4, "velocity", 90)
    h.apply(edit.clear_step, "A01", 5, 5)
    assert not h.can_undo and h.revision == 0


def random_edit(rng: random.Random, clip):
    """An edit with random arguments; some are bad on purpose."""
    name = rng.choice(["A01", "A02", "B07", "P16"])
    track, index = rng.randrange(16), rng.randrange(18)        # 16, 17: no such step
    kind = rng.randrange(12)
    if kind == 0:
        return edit.toggle_step, (name, track, index)
    if kind == 1:
        field, value = rng.choice([("velocity", rng.randint(0, 130)), ("micro", rng.randint(-50, 50)),
                                   ("length", rng.choice([0.25, 1, 3.5, 200])), ("prob", rng.randint(0, 110)),
                                   ("notes", tuple(rng.sample(range(40, 80), rng.randint(1, 5)))),
                                   ("cond", rng.choice([None, "1:2", "fill", "bad"])),
                                   ("retrig", rng.choice([None, Retrig(rate=8), Retrig(rate=7)])),
                                   ("trig", rng.random() < 0.5), ("sample", "factory:snare")])
        return edit.set_field, (name, track, index, field, value)
    if kind == 2:
        return edit.set_lock, (name, track, index, rng.choice(["cutoff_hz", "drive", "nope"]),
                               rng.choice([None, 20, 500, 0.5, 99999]))
    if kind == 3:
        return edit.set_track_length, (name, track, rng.randint(0, 130))
    if kind == 4:
        return edit.set_track_speed, (name, track, rng.choice(SPEEDS + ("5/4",)))
    if kind == 5:
        return edit.set_pattern_length, (name, rng.choice([1, 7, 64, 1024, 2000]))
    if kind == 6:
        return edit.set_swing, (name, rng.randint(45, 80))
    if kind == 7:
        return edit.paste_steps, (name, track, index, clip)
    if kind == 8:
        return edit.paste_track, (name, track, clip)
    if kind == 9:
        return edit.paste_pattern, (name, clip)
    if kind == 10:
        return edit.nudge_steps, (name, track, index, rng.randint(1, 8), rng.randint(-60, 60))
    return rng.choice([(edit.shift_track, (name, track, rng.randint(-20, 20))),
                       (edit.clear_track, (name, track)), (edit.clear_pattern, (name,))])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_100_random_edits_undo_to_the_start_and_redo_to_the_end(seed):
    rng = random.Random(seed)
    h = History(project())
    start, snapshot = h.project, copy.deepcopy(h.project)
    states, refused = [start], 0
    while len(states) < 101:
        p = h.project
        clip = rng.choice([edit.copy_steps(p, "A01", rng.randrange(16), 0, rng.randint(1, 8)),
                           edit.copy_track(p, "A01", rng.randrange(16)), edit.copy_pattern(p, "A01")])
        fn, args = random_edit(rng, clip)
        try:
            h.apply(fn, *args)
        except UserError as exc:
            assert "\n" not in str(exc)
            assert h.project is p
            refused += 1
            continue
        if h.project is not p:
            states.append(h.project)
            Project.from_dict(h.project.to_dict())            # every state is a loadable project
    assert refused > 10
    end = h.project
    for expected in reversed(states[:-1]):
        h.undo()
        assert h.project is expected
    assert not h.can_undo and h.project == snapshot and start == snapshot   # nothing was mutated
    for expected in states[1:]:
        h.redo()
        assert h.project is expected
    assert h.project is end and not h.can_redo


def test_the_history_is_bounded():
    h = History(project(), depth=5)
    for swing in range(51, 61):
        h.apply(edit.set_swing, "A01", swing)
    assert len(h.labels()) == 5
    for _ in range(5):
        h.undo()
    assert h.project.pattern_at("A01").swing == 55 and not h.can_undo
    assert h.depth == 5 and History(project()).depth == 256


def test_a_deep_history_shares_structure():
    """256 edits of a full project keep 256 projects alive for little more than the parts
    each edit rebuilt: one step list, one pattern, one patterns dict."""
    full = Step(notes=(60, 64, 67), locks={"cutoff_hz": 500})
    pattern = Pattern(tracks=[TrackPattern(steps=[full] * 16) for _ in range(16)])
    p = Project(tracks=[Track(f"T{i + 1}") for i in range(16)])
    for slot in range(256):         # every slot its own pattern, as after loading a project
        p = edit.paste_pattern(p, pattern_name(slot), edit.Clipboard("pattern", pattern, "test"))
    h = History(p)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(256):
            h.apply(edit.set_field, "B03", i % 16, i % 16, "velocity", 1 + i % 127)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(h.labels()) == 256
    assert grown < 256 * 20_000, f"{grown / 256:.0f} bytes per edit"
    assert all(h.project.patterns[n] is p.patterns[n] for n in p.patterns if n != "B03")


def test_coalesced_edits_share_one_undo_entry():
    h = History(project())
    for v in range(91, 101):        # an encoder turned ten detents
        h.apply(edit.set_field, "A01", 2, 4, "velocity", v, coalesce="velocity A01 T3 S5")
    assert h.labels() == ["set velocity A01 T3 S5"]
    h.apply(edit.set_swing, "A01", 55)
    h.apply(edit.set_field, "A01", 2, 4, "velocity", 50, coalesce="velocity A01 T3 S5")
    assert len(h.labels()) == 3                      # interrupted: a new entry
    h.undo()
    h.apply(edit.set_field, "A01", 2, 4, "velocity", 60, coalesce="velocity A01 T3 S5")
    assert len(h.labels()) == 3                      # an undo ends the run too
    h.close()
    h.apply(edit.set_field, "A01", 2, 4, "velocity", 70, coalesce="velocity A01 T3 S5")
    assert len(h.labels()) == 4
    for _ in range(4):
        h.undo()
    assert h.project.pattern_at("A01").tracks[2].steps[4].velocity == 90


def test_reset_forgets_and_revision_counts_changes():
    h = History(project())
    h.apply(edit.set_swing, "A01", 55)
    h.undo()
    h.redo()
    assert h.revision == 3
    other = Project(name="Other")
    h.reset(other)
    assert h.project is other and not h.can_undo and not h.can_redo and h.revision == 4


def test_an_edit_must_return_a_project():
    h = History(project())
    with pytest.raises(TypeError):
        h.apply(lambda p: None)


def test_describe_makes_labels_from_the_edit():
    assert describe(edit.set_field, ("A01", 2, 4, "velocity", 110)) == "set velocity A01 T3 S5"
    assert describe(edit.set_lock, ("B02", 0, 15, "cutoff_hz", 800)) == "lock cutoff_hz B02 T1 S16"
    assert describe(edit.paste_track, ("C03", 9, None)) == "paste track C03 T10"
    assert describe(edit.set_swing, ("A01", 60)) == "set swing A01"
