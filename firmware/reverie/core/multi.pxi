# Multisample programs on the control side: packing a compiled program, its zones and their
# samples into one buffer (multi.pxd), and checking such a buffer before the engine reads it.
# Included in engine.pyx.

from reverie.core.multi cimport MultiTable, MultiZone

ZONE_MODES = {"no_loop": ZONE_NO_LOOP, "one_shot": ZONE_ONE_SHOT, "loop_continuous": ZONE_LOOP,
              "loop_sustain": ZONE_LOOP_SUSTAIN}


cdef int64_t _align(int64_t n, int64_t to):
    return (n + to - 1) // to * to


def pack_multi(program, zones, samples):
    """One buffer: the compiled multisample `program` (a packed Program), then its zone table
    and the frames of `samples` (each a (frames, 2) float32 array, the file's own rate).
    `zones`: dicts with "sample" (an index into samples), "key_lo", "key_hi", "vel_lo",
    "vel_hi", "seq_length", "seq_position", "mode" (a ZONE_MODES name), "start", "end",
    "loop_start", "loop_end" (the file's frames), "rate" (Hz), "pitch_off" (semitones),
    "gain_l", "gain_r", "vel_track", "attack_ms", "decay_ms", "sustain", "release_ms".
    ValueError (one line) when something does not fit; the result passes multi_check."""
    prog = np.ascontiguousarray(program, dtype=np.uint8)
    if prog.ndim != 1 or prog.shape[0] != sizeof(Program):
        raise ValueError(f"a program is {sizeof(Program)} bytes, not {prog.nbytes}")
    frames = [np.ascontiguousarray(s, dtype=np.float32) for s in samples]
    for f in frames:
        if f.ndim != 2 or f.shape[1] != 2 or f.shape[0] < 1:
            raise ValueError("a multisample's sample is (frames, 2) float32, at least one frame")
    by_key = [[i for i, z in enumerate(zones) if z["key_lo"] <= k <= z["key_hi"]] for k in range(128)]
    n_index = sum(len(b) for b in by_key)
    table = _align(sizeof(Program), 64)
    zoff = _align(table + sizeof(MultiTable), 64)
    ioff = _align(zoff + len(zones) * sizeof(MultiZone), 64)
    offs, end = [], _align(ioff + 4 * max(n_index, 1), 64)
    for f in frames:
        offs.append(end)
        end = _align(end + f.nbytes, 64)
    arr = np.zeros(end, np.uint8)
    arr[:sizeof(Program)] = prog
    for f, off in zip(frames, offs):
        arr[off:off + f.nbytes] = f.reshape(-1).view(np.uint8)
    cdef unsigned char[::1] view = arr
    cdef Program *p = <Program *>&view[0]
    cdef MultiTable *mt = <MultiTable *>&view[table]
    cdef MultiZone *zs = <MultiZone *>&view[zoff]
    cdef int32_t *index = <int32_t *>&view[ioff]
    if p.n_ops != 1 or p.ops[0].kind != UNIT_MULTI:
        raise ValueError("not a multisample program")
    p.ops[0].conf = <int32_t>table
    mt.bytes = end
    mt.n_zones = len(zones)
    mt.n_index = n_index
    mt.zones = zoff
    mt.index = ioff
    n = 0
    for k in range(128):
        mt.first[k] = n
        mt.count[k] = len(by_key[k])
        for i in by_key[k]:
            index[n] = i
            n += 1
    for i, z in enumerate(zones):
        s = int(z["sample"])
        if not 0 <= s < len(frames):
            raise ValueError(f"zone {i} names sample {s}; there are {len(frames)}")
        zs[i].data = offs[s]
        zs[i].frames = frames[s].shape[0]
        zs[i].start = z["start"]
        zs[i].end = z["end"]
        zs[i].loop_start = z["loop_start"]
        zs[i].loop_end = z["loop_end"]
        zs[i].mode = ZONE_MODES[z["mode"]]
        zs[i].vel_lo = z["vel_lo"]
        zs[i].vel_hi = z["vel_hi"]
        zs[i].seq_length = z["seq_length"]
        zs[i].seq_position = z["seq_position"]
        zs[i].rate = z["rate"]
        zs[i].pitch_off = z["pitch_off"]
        zs[i].gain_l = z["gain_l"]
        zs[i].gain_r = z["gain_r"]
        zs[i].vel_track = z["vel_track"]
        zs[i].attack_ms = z["attack_ms"]
        zs[i].decay_ms = z["decay_ms"]
        zs[i].sustain = z["sustain"]
        zs[i].release_ms = z["release_ms"]
    multi_check(arr)
    return arr


def multi_check(arr):
    """Raises ValueError (one line) unless `arr` is a multisample program whose every offset,
    zone and sample lies inside it: the engine then reads it without a check of its own."""
    if arr.ndim != 1 or arr.shape[0] < sizeof(Program) + sizeof(MultiTable):
        raise ValueError(f"a program is {sizeof(Program)} bytes, not {arr.nbytes}")
    cdef unsigned char[::1] view = arr
    cdef int64_t n = view.shape[0]
    cdef const Program *p = <const Program *>&view[0]
    cdef const MultiTable *mt
    cdef const MultiZone *z
    cdef const int32_t *index
    cdef int64_t t = p.ops[0].conf if p.n_ops >= 1 else 0
    if p.n_ops != 1 or p.ops[0].kind != UNIT_MULTI or t < <int64_t>sizeof(Program) or t % 8 \
            or t + <int64_t>sizeof(MultiTable) > n:
        raise ValueError(f"a program is {sizeof(Program)} bytes, not {arr.nbytes}")
    mt = <const MultiTable *>&view[t]
    if mt.bytes != n or mt.n_zones < 0 or mt.n_index < 0 or mt.zones < t or mt.zones % 8 \
            or mt.zones + mt.n_zones * <int64_t>sizeof(MultiZone) > n or mt.index < t or mt.index % 4 \
            or mt.index + 4 * <int64_t>mt.n_index > n:
        raise ValueError("a multisample program's zone table does not fit its buffer")
    index = <const int32_t *>&view[mt.index]
    for k in range(128):
        if mt.first[k] < 0 or mt.count[k] < 0 or mt.first[k] + mt.count[k] > mt.n_index:
            raise ValueError(f"a multisample program's key {k} lies outside its index")
    for k in range(mt.n_index):
        if not 0 <= index[k] < mt.n_zones:
            raise ValueError("a multisample program's index names a zone it does not have")
    for k in range(mt.n_zones):
        z = <const MultiZone *>&view[mt.zones + k * <int64_t>sizeof(MultiZone)]
        if z.data < t or z.data % 4 or z.frames < 1 or z.data + 8 * z.frames > n:
            raise ValueError(f"zone {k}'s sample does not fit the buffer")
        if not (0 <= z.start < z.end <= z.frames):
            raise ValueError(f"zone {k} plays {z.start}..{z.end} of {z.frames} frames")
        if z.mode == ZONE_LOOP or z.mode == ZONE_LOOP_SUSTAIN:
            if not (z.start <= z.loop_start and z.loop_start + 2 <= z.loop_end <= z.end):
                raise ValueError(f"zone {k}'s loop {z.loop_start}..{z.loop_end} is not inside {z.start}..{z.end}")
        elif not ZONE_NO_LOOP <= z.mode <= ZONE_ONE_SHOT:
            raise ValueError(f"zone {k} has no loop mode {z.mode}")
        if not (1 <= z.seq_position <= z.seq_length) or not (0 <= z.vel_lo <= z.vel_hi <= 127):
            raise ValueError(f"zone {k}'s turn or velocities do not fit")
        for x in (z.pitch_off, z.gain_l, z.gain_r, z.vel_track, z.attack_ms, z.decay_ms, z.sustain, z.release_ms):
            if not (-1.0e6 <= x <= 1.0e6):
                raise ValueError(f"zone {k} holds a number that is not finite")
        if not (1000.0 <= z.rate <= 768000.0):
            raise ValueError(f"zone {k}'s rate {z.rate:g} Hz is outside 1000..768000")
