"""`reverie render PROJECT --out FILE.wav`: plays a project offline into a WAV file.

The render is deterministic: the same project and options give the same bytes, and the
block size changes nothing but speed. The WAV is written to a temp file and renamed when
complete, so a failed render leaves no file behind.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from reverie.base.errors import UserError

TAIL_SECONDS = 2.0        # after the last pass, for releases, delay and reverb to ring out
MAX_SECONDS = 1800.0      # keeps a float WAV at 192 kHz under the 4 GB WAV limit
WRITE_FRAMES = 1 << 16    # frames collected before each write to the file


def add_parser(subparsers):
    p = subparsers.add_parser(
        "render", help="render a project offline to a WAV file",
        description="Render a project offline to a WAV file, sample-exact and deterministic.")
    p.add_argument("project", help="project folder, its project.json, or factory:demo (the shipped demo)")
    p.add_argument("--out", required=True, metavar="FILE.wav", help="the WAV file to write")
    p.add_argument("--seconds", type=float, metavar="S",
                   help="length (default: the pattern times its loops plus a 2 s tail)")
    p.add_argument("--block-size", type=int, default=256, metavar="N",
                   help="frames per engine call (default 256; the output is the same for any N)")
    p.add_argument("--sample-rate", type=int, default=48000, metavar="R", help="Hz (default 48000)")
    p.add_argument("--float", action="store_true", help="write 32-bit float instead of 24-bit PCM")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file, for its [samples] limits (default ~/.config/reverie/config.toml)")
    return p


def run(args) -> int:
    import soundfile as sf

    from reverie.app.config import load_config
    from reverie.base.files import atomic_path
    from reverie.project.store import load_project, project_folder

    if not 8000 <= args.sample_rate <= 192000:
        raise UserError(f"--sample-rate {args.sample_rate} is outside 8000..192000 Hz")
    if not 1 <= args.block_size <= 1 << 20:
        raise UserError(f"--block-size {args.block_size} is outside 1..{1 << 20} frames")
    if args.seconds is not None and not 0 < args.seconds <= MAX_SECONDS:
        raise UserError(f"--seconds {args.seconds:g} is outside 0..{MAX_SECONDS:g}")
    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir():
        raise UserError(f"cannot write {out}: give a file name in an existing folder")
    limits = load_config(args.config).samples.limits()
    folder = project_folder(args.project)
    if out.resolve().is_relative_to(folder.resolve()):
        # project.json, its samples and its saved history live there: a WAV must not replace them
        raise UserError(f"--out {out} is inside the project folder {folder}; write the WAV "
                        "somewhere else (nothing was written)")
    project = load_project(folder)
    blocks = render_project(project, folder, args.sample_rate, args.seconds, args.block_size,
                            limits=limits)
    frames = 0
    try:
        with atomic_path(out) as tmp:
            with sf.SoundFile(tmp, "w", args.sample_rate, 2, "FLOAT" if args.float else "PCM_24",
                              format="WAV") as f:
                for audio in blocks:
                    f.write(audio)
                    frames += len(audio)
            _clear_peak_time(tmp)
    except (OSError, sf.SoundFileError) as exc:
        raise UserError(f"cannot write {out} ({getattr(exc, 'strerror', None) or exc})") from None
    print(f"rendered {frames / args.sample_rate:.2f} s of {project.name!r} to {out}")
    return 0


def _clear_peak_time(path) -> None:
    """Zeroes the time stamp libsndfile puts in a float WAV's PEAK chunk, so the same render
    gives the same bytes at any time of day."""
    with open(path, "r+b") as f:
        offset = 12   # after "RIFF", the size and "WAVE"
        while True:
            f.seek(offset)
            header = f.read(8)
            if len(header) < 8 or header[:4] == b"data":
                return
            if header[:4] == b"PEAK":
                f.seek(offset + 12)   # the chunk's version (4 bytes) comes before the time
                f.write(bytes(4))
                return
            size = int.from_bytes(header[4:], "little")
            offset += 8 + size + size % 2   # chunks are padded to an even length


def render_project(project, folder, sample_rate: int, seconds: float | None = None,
                   block_size: int = 256, factory_dir=None, limits=None):
    """Loads the project into a new engine and returns an iterator over the rendered audio:
    (frames, 2) float32 arrays, each valid until the next. Frame 0 is the first step's
    onset: the engine's look-ahead (the limiter's, `lookahead_frames`) is rendered and
    dropped before the first frame given, so every sound sits on its step's frame.

    The engine's own sequencer plays the project's pattern, chain or song once through
    (the same code that plays it live); without `seconds`, the render ends TAIL_SECONDS
    after the sequencer stops. Its samples are held to `limits` (sound.samples.SampleLimits;
    None: the loader's defaults)."""
    from reverie.sound.buses import make_engine
    from reverie.project.sounds import load_sounds
    from reverie.seq.load import SETTLE_SECONDS, apply_project
    from reverie.project.sounds import sound_slots
    from reverie.seq.driver import Sequencer

    engine = make_engine(sample_rate)
    apply_project(engine, project, load_sounds(project, folder, sample_rate, factory_dir, limits))
    seq = Sequencer(engine, project, sound_slots(project))
    seq.load(once=True)
    engine.render(np.zeros((round(SETTLE_SECONDS * sample_rate), 2), dtype=np.float32))
    start = engine.frame
    seq.play(frame=start)
    ahead = engine.lookahead_frames
    engine.render(np.zeros((ahead, 2), dtype=np.float32))   # a step's sound comes out this late
    return _blocks(engine, start, None if seconds is None else start + ahead + round(seconds * sample_rate),
                   round(TAIL_SECONDS * sample_rate) + ahead, round(MAX_SECONDS * sample_rate), block_size)


def _blocks(engine, start: int, end: int | None, tail: int, most: int, block_size: int):
    from reverie.core.defs import Telem

    # A whole number of blocks per write, so every engine call is block_size frames.
    buf = np.zeros((block_size * max(1, WRITE_FRAMES // block_size), 2), dtype=np.float32)
    filled = 0
    while end is None or engine.frame < end:
        n = block_size if end is None else min(block_size, end - engine.frame)
        n = min(n, len(buf) - filled)
        engine.render(buf[filled:filled + n])
        filled += n
        if end is None:
            stops = [f for kind, _, f in engine.poll() if kind == Telem.TEL_TRANSPORT_STOPPED]
            if stops:
                end = stops[0] + tail
            elif engine.frame - start > most:
                raise UserError(f"the project plays for more than {MAX_SECONDS:.0f} s; "
                                f"render at most {MAX_SECONDS:.0f} s with --seconds")
        if filled == len(buf) or engine.frame == end:
            yield buf[:filled]
            filled = 0
