"""What the practice layer is asked to do: the configuration's [practice] section, as the UI
takes it (app/config.py checks the file and hands these over)."""
from __future__ import annotations

from dataclasses import dataclass

INTENTIONS = ("focus", "explore", "play", "relax", "finish", "learn", "listen")
TAGS = ("calm", "energised", "stuck", "sad", "anxious", "happy", "tired", "proud")


@dataclass(frozen=True)
class PracticeOptions:
    checkins: bool = True               # the prompts: check-in, check-out, the pacer; off: none at all
    idle_minutes: int = 20              # no input and the sequencer stopped this long: the session ends
    intentions: tuple[str, ...] = INTENTIONS
    tags: tuple[str, ...] = TAGS
    pacer: bool = False                 # offer the breathing pacer after the check-in
    pacer_minutes: int = 2              # 2..3
    pacer_tone: bool = False            # a soft tone follows the breath

    @property
    def idle_s(self) -> float:
        return self.idle_minutes * 60.0
