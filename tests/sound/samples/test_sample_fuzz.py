"""Damaged sample files (absurd chunk sizes, cut short, stray bytes, chunks appended) load or
are refused in one line: never another exception, never an allocation the size of a lie."""
import io
import struct

import numpy as np
import soundfile as sf
from hypothesis import HealthCheck, event, given, settings, strategies as st

from reverie.base.errors import UserError
from reverie.sound.samples import load_sample


def base_wav() -> bytes:
    buf = io.BytesIO()
    sf.write(buf, np.random.default_rng(0).uniform(-0.5, 0.5, (300, 2)), 44100, format="WAV",
             subtype="PCM_16")
    data = bytearray(buf.getvalue())
    smpl = struct.pack("<9I", 0, 0, 0, 60, 0, 0, 0, 1, 0) + struct.pack("<6I", 0, 0, 10, 200, 0, 0)
    data += b"smpl" + struct.pack("<I", len(smpl)) + smpl
    struct.pack_into("<I", data, 4, len(data) - 8)
    return bytes(data)


BASE = base_wav()
SIZES = st.sampled_from([0, 1, 2**31, 0x7FFFFFFF, 0xFFFFFFFF]) | st.integers(0, 2**32 - 1)
EDITS = st.one_of(
    st.tuples(st.just("size"), st.integers(0, len(BASE) - 4), SIZES),
    st.tuples(st.just("cut"), st.integers(8, len(BASE) - 1), st.just(0)),
    st.tuples(st.just("byte"), st.integers(0, len(BASE) - 1), st.integers(0, 255)),
    st.tuples(st.just("chunk"), st.sampled_from([b"smpl", b"ds64", b"fmt ", b"data", b"LIST"]), SIZES))


def damaged(edits) -> bytes:
    data = bytearray(BASE)
    for kind, a, b in edits:
        if kind == "size" and a + 4 <= len(data):
            struct.pack_into("<I", data, a, b)
        elif kind == "cut":
            data = data[:a]
        elif kind == "byte" and a < len(data):
            data[a] = b
        elif kind == "chunk":
            data += a + struct.pack("<I", b) + bytes(24)
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDITS, min_size=1, max_size=4))
def test_a_damaged_wav_loads_or_is_refused_in_one_line(tmp_path, edits):
    path = tmp_path / "damaged.wav"
    path.write_bytes(damaged(edits))
    try:
        sample = load_sample(path, engine_rate=48000)
    except UserError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
        event("refused")
        return
    event("loaded")
    assert sample.data.dtype == np.float32 and sample.data.shape[1] == 2
    assert np.isfinite(sample.data).all() and len(sample.data) < 48000
