"""The micro-session timer's soft click (ui/flow.py): one quiet metronome click on the next
bar's downbeat. The metronome is switched on at that bar's first frame at CLICK_DB and back
to the project's own setting half a beat later, so exactly one click sounds. Nothing when
the transport is stopped (there is no bar) or when the metronome is on anyway (its clicks
are already heard)."""
from __future__ import annotations

from reverie.core.defs import SIZES

CLICK_DB = -24.0                    # the metronome's own is -12 dB: this one is soft
BEAT = SIZES["TICKS_PER_BEAT"]
BAR = 4 * BEAT                      # a 4/4 bar, counted from where play started


def soft_click(engine, project, state, moment) -> int:
    """Posts the click through the applier's backlog (`moment` for the click, `state` for
    the metronome put back); returns the frame it sounds on, -1 for none."""
    if project.metronome or not engine.seq_state()["playing"]:
        return -1
    tick = engine.tick_at(engine.frame)
    downbeat = (tick // BAR + 1) * BAR
    at, back = engine.frame_at(downbeat), engine.frame_at(downbeat + BEAT // 2)
    moment(engine.seq_metronome(True, CLICK_DB, at))
    state(("metronome",), lambda: engine.seq_metronome(project.metronome, frame=back))
    return at
