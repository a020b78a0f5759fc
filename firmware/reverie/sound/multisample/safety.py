"""The one folder an import may read: every path a set's files name (a sample, a
default_path, an #include) is resolved, symlinks and ".." included, and refused unless it
lands inside. Absolute paths are resolved the same way: /etc/passwd is outside, so refused.

The check and the read are a moment apart; a symlink swapped in between by another program
is not guarded against (the source is the musician's own folder or stick)."""
from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath


class Outside(Exception):
    """A path an import refuses: its message is one line."""


class SourceFolder:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def resolve(self, text: str, base: Path | None = None) -> Path:
        """The real path `text` names (relative to `base`, a folder inside, by default the
        root), or Outside. Backslashes are folder separators, as SFZ files from Windows
        write them; a missing file is found by another upper and lower case when only one
        matches (sets made on Windows or macOS often differ in case)."""
        if "\0" in text:
            raise Outside(f"{_shown(text)} is not a valid path")
        written = text.replace("\\", "/")
        if PureWindowsPath(text).drive:
            raise Outside(f"{_shown(text)} is a Windows drive path, outside the source folder")
        start = self.root if base is None else base
        real = self._within(start / written, text)     # an absolute `written` replaces `start`
        if not real.exists():
            other = self._other_case(real)
            if other is not None:
                real = self._within(other, text)
        return real

    def _within(self, path: Path, text: str) -> Path:
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:       # a symlink loop
            raise Outside(f"{_shown(text)} cannot be followed ({exc.__class__.__name__})") from None
        if real != self.root and not real.is_relative_to(self.root):
            raise Outside(f"{_shown(text)} leads outside the source folder {self.root}")
        return real

    def _other_case(self, real: Path) -> Path | None:
        """`real` with the case of each missing part changed to the one entry that matches."""
        parts = real.relative_to(self.root).parts
        here = self.root
        for part in parts:
            if (here / part).exists():
                here = here / part
                continue
            try:
                matches = [e for e in os.listdir(here) if e.lower() == part.lower()]
            except OSError:
                return None
            if len(matches) != 1:
                return None
            here = here / matches[0]
        return here

    def relative(self, real: Path) -> str:
        """A resolved path inside, relative to the root and "/" separated."""
        return real.relative_to(self.root).as_posix()


def _shown(text: str) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return f'"{text if len(text) <= 80 else text[:77] + "..."}"'
