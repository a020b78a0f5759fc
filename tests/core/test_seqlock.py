"""The seqlocks around the clock anchor and the sequencer's tick/frame mapping (seqlock.h):
a reader on another thread never takes half of one write and half of another.

The writer and the readers are the engine's own (the audio callback's anchor_write and
seq_set_anchor; anchor_read and seq_read_anchor, which Engine.clock_anchor() and
Engine.seq_anchor() use), each looping without the GIL on its own thread, so they truly
race (app/bench/seqlock.py). x86 keeps stores in order by itself: here this checks the
protocol and the compiler barriers; `reverie bench seqlock` runs it far longer (and, on a
Pi, on ARM)."""
from reverie.app.bench.seqlock import race

CHANGES = 10_000          # different anchors the reader must see while the writer writes


def test_no_reader_ever_takes_a_torn_anchor():
    r = race(CHANGES, most_reads=10**9)
    assert r["anchors_seen"] == CHANGES             # it read while the writer wrote
    assert r["torn_reads"] == 0 and r["torn_python_reads"] == 0
    assert r["final_anchor_whole"]
