# cython: boundscheck=False, wraparound=False
"""The engine's Python face, run on the control side: `Engine` posts commands, renders
offline, reads telemetry and statistics, and hands the audio callback to a stream.
`AudioEngine` (audio_engine.pxi) holds the state, the sound, rendering and the callback;
`Engine` adds the sequencer's commands and read-outs.

The real-time parts are C, inline, compiled into this one extension module (docs/engine.md
lists the files): render.pxd (the one render path), callback.pxd (the audio callback),
command.pxd and apply_commands.pxd (what a command carries, and applying it), the voices
(voice*.pxd), the buses (mixer.pxd, fx.pxd, dsp.pxd) and the sequencer (seq_*.pxd). The
audio side never takes the GIL, never allocates, never locks and never does I/O.
"""
from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t
from libc.string cimport memset
from libc.math cimport llround

import threading

import numpy as np
cimport numpy as cnp

from reverie.core.defs cimport *
from reverie.core.dsp cimport db_to_gain
from reverie.core.state cimport *
from reverie.core.seq_state cimport *
from reverie.core.command cimport *
from reverie.core.state_init cimport state_new, state_free
from reverie.core.mixer cimport master_design, param_internal
from reverie.core.render cimport engine_render
from reverie.core.callback cimport pa_callback, now_ns
from reverie.core.seq_time cimport seq_set_anchor, seq_read_anchor
from reverie.core.capture cimport capture_ring_span, capture_ring_copy, capture_ring_write
from cpython.mem cimport PyMem_Malloc, PyMem_Free

cnp.import_array()


include "audio_engine.pxi"
include "program.pxi"
include "multi.pxi"


cdef class Engine(AudioEngine):
    """The audio engine with its step sequencer. Create it, post commands, and either render
    offline with `render()` or hand `callback_address`/`userdata_address` to an audio stream.
    The sound, rendering and statistics are AudioEngine's (audio_engine.pxi); here are the
    sequencer's commands and what it is doing (docs/sequencer.md).
    """

    def seq_set_pattern(self, int slot, buf, int64_t frame=-1):
        """Puts a compiled pattern (reverie.seq.compile) in a slot, replacing what was there;
        the playing pattern can be replaced while it plays."""
        if not 0 <= slot < PATTERN_SLOTS:
            raise ValueError(f"pattern slot {slot} is outside 0..{PATTERN_SLOTS - 1}")
        arr = np.ascontiguousarray(buf).view(np.uint8).reshape(-1)
        if arr.nbytes < sizeof(SeqPattern):
            raise ValueError(f"a compiled pattern has at least {sizeof(SeqPattern)} bytes, not {arr.nbytes}")
        cdef const unsigned char[::1] view = arr
        cdef const SeqPattern *p = <const SeqPattern *>&view[0]
        if p.n_locks < 0 or arr.nbytes < sizeof(SeqPattern) + p.n_locks * sizeof(SeqLock):
            raise ValueError("the compiled pattern is shorter than its lock table")
        cdef Command c = new_command(CMD_SEQ_PATTERN, frame)
        c.args.pattern.slot = slot
        c.args.pattern.pattern = p
        c.args.pattern.token = self._hold(arr)
        return self._post_holding(&c, c.args.pattern.token)

    def seq_arrangement(self, rows, bint loop=False, int64_t frame=-1):
        """A chain or song: rows of (slot, repeats, mute mask, tempo in BPM or 0)."""
        rows = list(rows)
        if len(rows) > MAX_ROWS:
            raise ValueError(f"an arrangement has at most {MAX_ROWS} rows, not {len(rows)}")
        arr = np.zeros((max(1, len(rows)), 4), dtype=np.int32)
        for i, (slot, repeats, mutes, bpm) in enumerate(rows):
            if not 0 <= slot < PATTERN_SLOTS:
                raise ValueError(f"row {i}: pattern slot {slot} is outside 0..{PATTERN_SLOTS - 1}")
            arr[i] = (slot, max(1, int(repeats)), int(mutes),
                      int(round(min(<double>TEMPO_MAX_BPM, max(<double>TEMPO_MIN_BPM, bpm)) * 1000)) if bpm else 0)
        cdef const int32_t[:, ::1] view = arr
        cdef Command c = new_command(CMD_SEQ_ROWS, frame)
        c.args.rows.rows = <const SeqRow *>&view[0, 0]
        c.args.rows.n_rows = len(rows)
        c.args.rows.loop = loop
        c.args.rows.token = self._hold(arr)
        return self._post_holding(&c, c.args.rows.token)

    def seq_play(self, int slot=0, int64_t frame=-1, int count_in_bars=0):
        """Starts slot `slot` (or, with slot -1, the arrangement's first row) from its start."""
        cdef Command c = new_command(CMD_SEQ_PLAY, frame)
        c.args.play.slot = slot
        c.args.play.count_in_bars = count_in_bars
        return self._post(&c)

    def seq_stop(self, int64_t frame=-1):
        return self._signal(CMD_SEQ_STOP, frame)

    def seq_continue(self, int64_t frame=-1):
        return self._signal(CMD_SEQ_CONTINUE, frame)

    def seq_tempo(self, double bpm, int64_t frame=-1):
        if not TEMPO_MIN_BPM <= bpm <= TEMPO_MAX_BPM:
            raise ValueError(f"tempo {bpm:g} BPM is outside {TEMPO_MIN_BPM}..{TEMPO_MAX_BPM}")
        cdef Command c = new_command(CMD_SEQ_TEMPO, frame)
        c.args.tempo_bpm = bpm
        return self._post(&c)

    def seq_locate(self, int64_t tick, int64_t frame=-1):
        cdef Command c = new_command(CMD_SEQ_LOCATE, frame)
        c.args.tick = tick
        return self._post(&c)

    def seq_queue(self, int slot, bint immediate=False, int64_t frame=-1):
        if not 0 <= slot < PATTERN_SLOTS:
            raise ValueError(f"pattern slot {slot} is outside 0..{PATTERN_SLOTS - 1}")
        cdef Command c = new_command(CMD_SEQ_QUEUE, frame)
        c.args.queue.slot = slot
        c.args.queue.immediate = immediate
        return self._post(&c)

    def seq_fill(self, bint on, int64_t frame=-1):
        cdef Command c = new_command(CMD_SEQ_FILL, frame)
        c.args.on = on
        return self._post(&c)

    def seq_mute(self, int track, bint on, int64_t frame=-1):
        cdef Command c = new_command(CMD_SEQ_MUTE, frame)
        c.args.mute.track = track
        c.args.mute.on = on
        return self._post(&c)

    def seq_seed(self, uint32_t seed, int64_t frame=-1):
        cdef Command c = new_command(CMD_SEQ_SEED, frame)
        c.args.seed = seed
        return self._post(&c)

    def seq_track(self, int track, int kind, int channel=0, int port=ALL_PORTS, int64_t frame=-1):
        cdef Command c = new_command(CMD_SEQ_TRACK, frame)
        c.args.seq_track.track = track
        c.args.seq_track.kind = kind
        c.args.seq_track.channel = channel
        c.args.seq_track.port = port
        return self._post(&c)

    def seq_metronome(self, bint on, double level_db=-12.0, int64_t frame=-1):
        cdef Command c = new_command(CMD_SEQ_METRONOME, frame)
        c.args.metronome.on = on
        c.args.metronome.level_db = level_db
        return self._post(&c)

    def seq_clock_out(self, bint on, int64_t frame=-1):
        cdef Command c = new_command(CMD_SEQ_CLOCK_OUT, frame)
        c.args.on = on
        return self._post(&c)

    # --- reading the sequencer ------------------------------------------------------------

    def seq_anchor(self):
        """The sequencer's mapping in force, (tick, frame, rem, K, D): tick T sounds at
        frame + ceil((rem + (T - tick) * K) / D) (docs/sequencer.md), read whole under its
        seqlock while the audio thread may be changing it."""
        cdef int64_t tick, frame, rem, K, D
        with nogil:
            seq_read_anchor(&self.st.seq, &tick, &frame, &rem, &K, &D)
        return tick, frame, rem, K, D

    def tick_at(self, int64_t frame):
        """The sequencer tick at `frame` (the last tick at or before it), by the mapping in force."""
        tick, f0, rem, K, D = self.seq_anchor()
        return tick + ((frame - f0) * D - rem) // K

    def frame_at(self, int64_t tick):
        """The frame on which `tick` sounds, by the mapping in force."""
        t0, frame, rem, K, D = self.seq_anchor()
        return frame - ((-(rem + (tick - t0) * K)) // D)

    def seq_state(self):
        """What the sequencer is doing (read without locking: for display)."""
        cdef Seq *q = &self.st.seq
        return {
            "playing": bool(q.playing),
            "tempo_bpm": q.millibpm / 1000.0,
            "pattern": q.slot,
            "pass_start": q.pass_start,
            "pass_end": q.pass_end,
            "row": q.row,
            "repeat": q.repeat,
            "arranging": bool(q.arranging),
            "queued": q.queued,
            "fill": bool(q.fill),
            "steps": [q.tracks[k].step_now for k in range(MAX_TRACKS)],
            "loops": [q.tracks[k].loop for k in range(MAX_TRACKS)],
            "late": q.late,
            "midi_dropped": q.midi_dropped,
        }

    def poll_midi(self):
        """The MIDI messages the sequencer made since the last call: (frame, port, bytes)."""
        cdef MidiEvent *e
        out = []
        while True:
            e = <MidiEvent *>spsc_peek(&self.st.midi)
            if e == NULL:
                break
            out.append((e.frame, e.port, bytes(e.data[:e.size])))
            spsc_pop(&self.st.midi)
        return out


def seq_layout():
    """numpy dtypes of the compiled pattern structs, from the C structs' own offsets, so the
    layout is defined once (seq_state.pxd)."""
    cdef SeqStep s
    cdef SeqLock l
    cdef SeqTrackPat t
    cdef SeqPattern p
    cdef size_t bs = <size_t>&s, bl = <size_t>&l, bt = <size_t>&t, bp = <size_t>&p
    step = np.dtype({
        "names": ["trig", "n_notes", "notes", "velocity", "prob", "cond", "cond_a", "cond_b",
                  "retrig_rate", "micro", "length", "retrig_len", "retrig_vel", "first_lock", "n_locks",
                  "flags"],
        "formats": ["u1", "u1", ("u1", STEP_NOTES), "u1", "u1", "u1", "u1", "u1", "u1", "i2", "u2",
                    "u2", "i2", "u2", "u2", "u1"],
        "offsets": [<size_t>&s.trig - bs, <size_t>&s.n_notes - bs, <size_t>&s.notes - bs,
                    <size_t>&s.velocity - bs, <size_t>&s.prob - bs, <size_t>&s.cond - bs,
                    <size_t>&s.cond_a - bs, <size_t>&s.cond_b - bs, <size_t>&s.retrig_rate - bs,
                    <size_t>&s.micro - bs, <size_t>&s.length - bs, <size_t>&s.retrig_len - bs,
                    <size_t>&s.retrig_vel - bs, <size_t>&s.first_lock - bs, <size_t>&s.n_locks - bs,
                    <size_t>&s.flags - bs],
        "itemsize": sizeof(SeqStep)})
    lock = np.dtype({"names": ["target", "value"], "formats": ["i4", "f4"],
                     "offsets": [<size_t>&l.target - bl, <size_t>&l.value - bl],
                     "itemsize": sizeof(SeqLock)})
    track = np.dtype({"names": ["length", "speed", "steps"],
                      "formats": ["i4", "i4", (step, MAX_STEPS)],
                      "offsets": [<size_t>&t.length - bt, <size_t>&t.speed - bt, <size_t>&t.steps - bt],
                      "itemsize": sizeof(SeqTrackPat)})
    pattern = np.dtype({"names": ["length", "swing", "n_locks", "tracks"],
                        "formats": ["i4", "i4", "i4", (track, MAX_TRACKS)],
                        "offsets": [<size_t>&p.length - bp, <size_t>&p.swing - bp,
                                    <size_t>&p.n_locks - bp, <size_t>&p.tracks - bp],
                        "itemsize": sizeof(SeqPattern)})
    return {"step": step, "lock": lock, "track": track, "pattern": pattern}


# --- the seqlocks under load (tests and `reverie bench seqlock`) ----------------------------
# A fresh engine used for nothing else: these overwrite its anchors. The writer goes through
# the audio thread's own writers, the reader through the readers Engine uses, each in a loop
# without the GIL, so two Python threads run them truly at once.

def write_anchors(Engine engine, uint64_t[::1] stop):
    """Rewrites both anchors until `stop[0]` is set: the n-th write puts the clock anchor at
    (n, 1000 n + 7) and the sequencer's at tick n, frame 3 n + 1, rem n % 1000 (each a
    whole, checkable snapshot). Returns the number of writes."""
    cdef int64_t n = 0
    cdef EngineState *st = engine.st
    cdef uint64_t *flag = &stop[0]
    with nogil:
        while not atomic_load_u64(flag):
            n += 1
            anchor_write(st, n, <uint64_t>(1000 * n + 7))
            seq_set_anchor(&st.seq, n, 3 * n + 1, n % 1000)
    return n


def read_anchors(Engine engine, int64_t changes_wanted, int64_t most, uint64_t[::1] stop):
    """Reads both anchors until it has seen `changes_wanted` different ones (or made `most`
    reads), then sets `stop[0]`. Returns (reads, torn snapshots, changes seen), a snapshot
    being torn when its parts do not come from one write of write_anchors()."""
    cdef int64_t reads = 0, frame, tick, sframe, rem, K, D, torn = 0, changes = 0, last = -1
    cdef uint64_t ns
    cdef EngineState *st = engine.st
    with nogil:
        while changes < changes_wanted and reads < most:
            anchor_read(st, &frame, &ns)
            if frame > 0 and ns != <uint64_t>(1000 * frame + 7):
                torn += 1
            seq_read_anchor(&st.seq, &tick, &sframe, &rem, &K, &D)
            if tick > 0 and (sframe != 3 * tick + 1 or rem != tick % 1000):
                torn += 1
            if frame != last:
                changes += 1
                last = frame
            reads += 1
        atomic_store_u64(&stop[0], 1)
    return reads, torn, changes


# --- the capture ring under load (tests and `reverie bench capture`) ------------------------
# A fresh engine used for nothing else, its ring started and never rendered: the writer
# goes through the audio thread's own capture_ring_write, the reader through the copy
# Engine.capture_copy uses, each in a loop without the GIL on its own thread. Every frame
# written says which frame it is (left: f mod 2^24, exact in a float; right: minus that),
# so a frame read torn or overwritten shows.

def capture_write_race(Engine engine, int64_t block, uint64_t[::1] stop):
    """Writes blocks of `block` frames, each frame saying its number, until `stop[0]` is
    set. Returns the frames written."""
    cdef float *buf = <float *>PyMem_Malloc(2 * block * sizeof(float))
    if buf == NULL:
        raise MemoryError()
    cdef int64_t f = engine.st.frame, j
    cdef float v
    cdef EngineState *st = engine.st
    cdef uint64_t *flag = &stop[0]
    with nogil:
        while not atomic_load_u64(flag):
            for j in range(block):
                v = <float>((f + j) & 0xFFFFFF)
                buf[2 * j] = v
                buf[2 * j + 1] = -v
            capture_ring_write(&st.capture, buf, f, block)
            f += block
    PyMem_Free(buf)
    return f - engine.st.frame


def capture_read_race(Engine engine, int64_t count, int64_t reads_wanted, uint64_t[::1] stop):
    """Copies the newest `count` frames again and again (`reads_wanted` copies that found
    the writer ahead of the last), checks every frame the copy calls whole, then sets
    `stop[0]`. Returns (copies, bad frames, copies cut short by the writer, frames checked)."""
    cdef int64_t first, end, whole, f, last_end = -1, reads = 0, bad = 0, cut = 0, checked = 0
    cdef float *buf = <float *>PyMem_Malloc(2 * count * sizeof(float))
    if buf == NULL:
        raise MemoryError()
    cdef EngineState *st = engine.st
    with nogil:
        while reads < reads_wanted:
            capture_ring_span(&st.capture, &first, &end)
            if end == last_end or end - first < count:
                continue
            last_end = end
            first = end - count
            whole = capture_ring_copy(&st.capture, buf, first, count)
            if whole > first:
                cut += 1
            for f in range(whole, end):
                checked += 1
                if buf[2 * (f - first)] != <float>(f & 0xFFFFFF) or buf[2 * (f - first) + 1] != -<float>(f & 0xFFFFFF):
                    bad += 1
            reads += 1
        atomic_store_u64(&stop[0], 1)
    PyMem_Free(buf)
    return reads, bad, cut, checked


def capture_write_cost(Engine engine, int64_t block, int64_t blocks):
    """ns per frame of capture_ring_write for `blocks` blocks of `block` frames of a varying
    signal into the engine's ring (started, never rendered): the cost it adds per callback."""
    cdef float *buf = <float *>PyMem_Malloc(2 * block * sizeof(float))
    if buf == NULL:
        raise MemoryError()
    cdef int64_t f = engine.st.frame, j, k
    cdef uint64_t t0, t
    cdef EngineState *st = engine.st
    for j in range(2 * block):
        buf[j] = <float>j * <float>1e-4
    with nogil:
        t0 = now_ns()
        for k in range(blocks):
            capture_ring_write(&st.capture, buf, f, block)
            f += block
        t = now_ns() - t0
    PyMem_Free(buf)
    return t / <double>(block * blocks)
