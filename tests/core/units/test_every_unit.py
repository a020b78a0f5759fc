"""What every DSP unit does (docs/units.md, "How a unit is tested"): the same output in blocks
of any size, finite and bounded output for any parameter, no click at note on, no zipper noise
when a parameter moves in steps. One scenario per unit: scenarios.py."""
import numpy as np
import pytest

from scenarios import SCENARIOS
from unitkit import BLOCKS, SR, finite, max_step, render_in_blocks, strongest_non_harmonic_db

INVARIANCE_FRAMES = 20000


@pytest.fixture(scope="module", params=SCENARIOS, ids=repr)
def scenario(request):
    return request.param


def render(scenario, frames, block, changes=None):
    unit = scenario.new()
    return render_in_blocks(lambda out, **kw: scenario.call(unit, out, **kw), frames, block,
                            changes or scenario.changes, **scenario.inputs)


@pytest.fixture(scope="module")
def whole(scenario):
    """The scenario rendered in one block."""
    return render(scenario, INVARIANCE_FRAMES, INVARIANCE_FRAMES)


@pytest.mark.parametrize("block", BLOCKS)
def test_the_output_does_not_depend_on_the_block_size(scenario, whole, block):
    assert np.any(whole != 0.0)
    got = render(scenario, INVARIANCE_FRAMES, block)
    assert np.array_equal(got, whole), (
        f"{scenario}: blocks of {block} differ from one block from frame "
        f"{int(np.argmax(got != whole))}, by up to {np.max(np.abs(got - whole)):.3g}")


def test_extreme_parameters_give_finite_bounded_output(scenario):
    for extreme in scenario.extremes:
        changes = [(0, {**scenario.changes[0][1], **extreme})]
        out = render(scenario, 4096, 4096, changes)
        assert finite(out), f"{scenario} {extreme}: NaN or infinity"
        assert np.max(np.abs(out)) <= scenario.bound, f"{scenario} {extreme}: {np.max(np.abs(out))}"
        # and a later sane block is sane again
        changes.append((2048, scenario.changes[0][1]))
        assert finite(render(scenario, 4096, 512, changes))


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.note_on], ids=repr)
def test_a_note_on_never_clicks(scenario):
    """A note on (reset) in the middle of sound: the largest frame-to-frame step around it is
    no larger than the largest step the unit's output makes anywhere else (or its stated bound).
    Units whose reset restarts a phase (oscillators, wavetable, FM operator), clears a sounding
    filter (ladder), jumps by design (glide) or starts copies at once (unison) are tested on
    their own (test_osc.py, test_ladder.py, ...)."""
    unit = scenario.new()
    kw = {k: v for k, v in scenario.changes[0][1].items()}
    cut = 6001
    first = np.zeros(cut, np.float32)
    second = np.zeros(12000, np.float32)
    inputs = {k: v[:cut] for k, v in scenario.inputs.items()}
    scenario.call(unit, first, **kw, **inputs)
    scenario.note_on(unit)
    inputs = {k: v[cut:cut + len(second)] for k, v in scenario.inputs.items()}
    scenario.call(unit, second, **kw, **inputs)
    out = np.concatenate([[0.0], first, second])       # from silence: the first frame counts
    cut += 1
    around = max_step(out[cut - 40:cut + 200])
    own = max(max_step(out[:cut - 40]), max_step(out[cut + 200:]))
    bound = scenario.click_bound if scenario.click_bound is not None else own * 1.01 + 1e-6
    assert around <= bound, f"{scenario}: a step of {around:.4f} at the note on, {own:.4f} elsewhere"


def zipper_render(scenario, block):
    """The scenario's sweep parameter following a 1 Hz sine between its two values, set once
    per `block` frames: block 1 is the smooth path, 32 the steps a control rate makes."""
    param, lo, hi = scenario.sweep
    unit = scenario.new()
    frames = 4096 + 48000
    base = dict(scenario.changes[0][1])
    inputs = {k: v for k, v in scenario.inputs.items() if k == "inp"}
    out = np.zeros(frames, np.float32)
    for start in range(0, frames, block):
        base[param] = lo + (hi - lo) * (0.5 + 0.5 * np.sin(2 * np.pi * 1.0 * start / SR))
        scenario.call(unit, out[start:start + block], **base,
                      **{k: v[start:start + block] for k, v in inputs.items()})
    return out[4096:]


# Zipper noise: what a parameter moving in 32-frame steps (as a control rate moves it) adds to
# the same movement made frame by frame, in dB under the output.
ZIPPER_DB = -60.0


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.sweep], ids=repr)
def test_a_parameter_moving_in_steps_makes_no_zipper_noise(scenario):
    smooth = zipper_render(scenario, 1).astype(float)
    stepped = zipper_render(scenario, 32).astype(float)
    zipper = 10 * np.log10(np.sum((stepped - smooth) ** 2) / np.sum(smooth ** 2))
    print(f"{scenario}: zipper {zipper:.1f} dB")
    assert zipper <= ZIPPER_DB, f"{scenario}: {zipper:.1f} dB"
