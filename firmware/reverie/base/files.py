"""Writing files so that a power cut never leaves half of one: every file Reverie writes goes
through `atomic_path` (a temp file beside the target, fsynced, renamed over it, and the
folder fsynced), so the target holds either the old content or the new one."""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path):
    """Yields a temp path beside `path`; on success it is fsynced and renamed onto `path`,
    on error it is removed and `path` is untouched."""
    path = Path(path)
    # Not mkstemp: its files are private (0600), and the rename would keep that mode.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.touch(exist_ok=False)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Makes a rename or a new file in `folder` durable."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def atomic_copy(source: Path, target: Path) -> None:
    """Copies the file `source` to `target` through `atomic_path`: `target` is either absent
    (or as it was) or a complete copy, never half of one."""
    import shutil

    with atomic_path(Path(target)) as tmp:
        shutil.copyfile(source, tmp)
