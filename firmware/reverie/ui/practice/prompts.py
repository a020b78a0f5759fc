"""The prompts of a check-in and a check-out, each a small state machine with a view:

  MoodPrompt    1..10: turn an encoder and push, or tap pads 1-10; typed 1-9 and 0 (10)
  WordsPrompt   an intention from the word list, "spell..." (the character wheel) or "skip";
                typing on a USB keyboard starts a typed line at once
  WheelPrompt   a short line: spelled on the character wheel (turn, push adds) or typed
  TagsPrompt    tags from the list: turn, push marks or unmarks, "done" ends
  PacerPrompt   the breathing pacer, which ends by itself after its minutes

The layer (layer.py) routes events: a turn and an encoder's push go to the prompt; a pad hit,
a keyboard note or any other key press skips the rest of the check-in or check-out and still
does what it always does, so sound never waits for a prompt."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from reverie.ui.practice import pacer
from reverie.ui.practice.effects import BreathTone

STAY, NEXT, SKIP = "stay", "next", "skip"
MOOD_PADS = 10                          # pads 1..10 answer the mood
WHEEL_CHARS = "abcdefghijklmnopqrstuvwxyz 0123456789.,!?-'ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DEL, OK = "DEL", "OK"
WHEEL = (OK, DEL) + tuple(WHEEL_CHARS)
WHEEL_START = WHEEL.index("a")
SPELL, SKIP_ITEM, DONE = "spell…", "skip", "done"
INTENTION_CHARS = 32
NOTE_CHARS = 80


@dataclass(frozen=True)
class Outcome:
    action: str = STAY                  # STAY, NEXT (answered: `value`) or SKIP (the rest too)
    value: object = None
    through: bool = False               # the event also goes to the page (a pad still plays)
    replace: object = None              # another prompt takes this one's place


USED = Outcome()


# --- views ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MoodView:
    question: str
    value: int | None                   # None: not chosen yet


@dataclass(frozen=True)
class WordsView:
    question: str
    items: tuple[str, ...]
    at: int


@dataclass(frozen=True)
class WheelView:
    question: str
    text: str
    before: tuple[str, ...]             # the wheel's items left of the cursor, nearest last
    current: str
    after: tuple[str, ...]              # right of the cursor, nearest first
    typing: bool                        # a USB keyboard typed into it


@dataclass(frozen=True)
class TagsView:
    question: str
    items: tuple[str, ...]              # the tags, then "done"
    chosen: tuple[bool, ...]
    at: int


@dataclass(frozen=True)
class PacerView:
    phase: str                          # "in" or "out"
    size: float                         # 0..1
    remaining_s: int


# --- prompts -------------------------------------------------------------------------------

class Prompt(ABC):
    field = ""                          # the session field it answers ("" for none)
    title = "CHECK-IN"

    def push(self) -> Outcome:
        return Outcome(NEXT)

    def turn(self, detents: int) -> Outcome:
        return USED

    def pad(self, pad: int, run: bool) -> Outcome:
        return Outcome(SKIP, through=True)

    def typed(self, key: str) -> Outcome:
        return Outcome(SKIP) if key == "Escape" else USED

    def tick(self, now: float) -> tuple[Outcome | None, list]:
        return None, []

    @abstractmethod
    def view(self, now: float):
        """What the screen shows now: each kind of prompt draws its own."""


def _step(at: int, detents: int, count: int) -> int:
    return max(0, min(count - 1, at + detents))


class MoodPrompt(Prompt):
    def __init__(self, field: str, question: str, title: str):
        self.field, self.question, self.title = field, question, title
        self.value: int | None = None

    def turn(self, detents: int) -> Outcome:
        if detents:
            start = 5 - (1 if detents > 0 else -1) if self.value is None else self.value
            self.value = max(1, min(10, start + detents))
        return USED

    def push(self) -> Outcome:
        return Outcome(NEXT, self.value) if self.value is not None else Outcome(SKIP)

    def pad(self, pad: int, run: bool) -> Outcome:
        """A pad tapped on its own answers (and plays); one in a run of hits is playing, and
        the prompt steps aside."""
        if pad < MOOD_PADS and not run:
            self.value = pad + 1
            return Outcome(NEXT, pad + 1, through=True)
        return Outcome(SKIP, through=True)

    def typed(self, key: str) -> Outcome:
        if key.isdigit() and len(key) == 1:
            self.value = int(key) or 10
            return USED
        if key == "Return":
            return self.push()
        return super().typed(key)

    def view(self, now: float) -> MoodView:
        return MoodView(self.question, self.value)


class WheelPrompt(Prompt):
    def __init__(self, field: str, question: str, title: str, most: int, text: str = "", typing: bool = False):
        self.field, self.question, self.title, self.most = field, question, title, most
        self.text, self.typing = text[:most], typing
        self.at = WHEEL_START

    def turn(self, detents: int) -> Outcome:
        self.at = (self.at + detents) % len(WHEEL)
        return USED

    def push(self) -> Outcome:
        item = WHEEL[self.at]
        if item == OK:
            return Outcome(NEXT, self.text.strip())
        if item == DEL:
            self.text = self.text[:-1]
        elif len(self.text) < self.most:
            self.text += item
        return USED

    def typed(self, key: str) -> Outcome:
        self.typing = True
        if key == "Return":
            return Outcome(NEXT, self.text.strip())
        if key == "BackSpace":
            self.text = self.text[:-1]
        elif key == "Escape":
            return Outcome(SKIP)
        elif len(key) == 1 and key.isprintable() and len(self.text) < self.most:
            self.text += key
        return USED

    def skipped_value(self) -> str:
        """What a skip keeps: a line already spelled or typed is not thrown away."""
        return self.text.strip()

    def view(self, now: float) -> WheelView:
        n = len(WHEEL)
        before = tuple(WHEEL[(self.at - k) % n] for k in range(6, 0, -1))
        after = tuple(WHEEL[(self.at + k) % n] for k in range(1, 7))
        return WheelView(self.question, self.text, before, WHEEL[self.at], after, self.typing)


class WordsPrompt(Prompt):
    field = "intention"

    def __init__(self, words: tuple[str, ...], question: str = "an intention?"):
        self.question = question
        self.items = tuple(words) + (SPELL, SKIP_ITEM)
        self.at = 0

    def turn(self, detents: int) -> Outcome:
        self.at = _step(self.at, detents, len(self.items))
        return USED

    def push(self) -> Outcome:
        item = self.items[self.at]
        if item == SPELL:
            return Outcome(replace=self._wheel())
        return Outcome(NEXT, "" if item == SKIP_ITEM else item)

    def typed(self, key: str) -> Outcome:
        if len(key) == 1 and key.isprintable():
            return Outcome(replace=self._wheel(key, typing=True))
        return super().typed(key)

    def _wheel(self, text: str = "", typing: bool = False) -> WheelPrompt:
        return WheelPrompt("intention", "an intention:", self.title, INTENTION_CHARS, text, typing)

    def view(self, now: float) -> WordsView:
        return WordsView(self.question, self.items, self.at)


class TagsPrompt(Prompt):
    field = "tags"
    title = "CHECKOUT"

    def __init__(self, tags: tuple[str, ...], question: str = "any of these?"):
        self.question = question
        self.items = tuple(tags) + (DONE,)
        self.chosen = [False] * len(tags)
        self.at = 0

    def turn(self, detents: int) -> Outcome:
        self.at = _step(self.at, detents, len(self.items))
        return USED

    def push(self) -> Outcome:
        if self.at == len(self.items) - 1:
            return Outcome(NEXT, self.value())
        self.chosen[self.at] = not self.chosen[self.at]
        return USED

    def typed(self, key: str) -> Outcome:
        if key == "Return":
            return Outcome(NEXT, self.value())
        return super().typed(key)

    def value(self) -> tuple[str, ...]:
        return tuple(t for t, on in zip(self.items, self.chosen) if on)

    skipped_value = value

    def view(self, now: float) -> TagsView:
        return TagsView(self.question, self.items, tuple(self.chosen) + (False,), self.at)


class PacerPrompt(Prompt):
    """The breath: `minutes` long, then the check-in is over. With `tone`, each breath's
    in and out reach the engine as BreathTone effects (control/breath_tone.py)."""
    title = "BREATHE"

    def __init__(self, minutes: float, tone: bool):
        self.seconds = float(minutes) * 60.0
        self.tone = tone
        self.started: float | None = None
        self._phase: tuple[int, str] | None = None

    def begin(self, now: float) -> None:
        if self.started is None:
            self.started = now

    def push(self) -> Outcome:
        return Outcome(NEXT)

    def pad(self, pad: int, run: bool) -> Outcome:
        return Outcome(NEXT, through=True)

    def typed(self, key: str) -> Outcome:
        return Outcome(NEXT)

    def tick(self, now: float) -> tuple[Outcome | None, list]:
        self.begin(now)
        elapsed = now - self.started
        if elapsed >= self.seconds:
            return Outcome(NEXT), []
        b = pacer.breath(elapsed)
        out = []
        if self.tone and self._phase != (b.count, b.phase):
            left = (pacer.IN_S if b.phase == "in" else pacer.OUT_S) * (1.0 - b.progress)
            out.append(BreathTone(b.phase, round(left, 3)))
        self._phase = (b.count, b.phase)
        return None, out

    def finish(self) -> list:
        return [BreathTone("off")] if self.tone and self._phase is not None else []

    def view(self, now: float) -> PacerView:
        start = self.started if self.started is not None else now
        b = pacer.breath(now - start)
        return PacerView(b.phase, round(b.size, 3), max(0, int(self.seconds - (now - start) + 0.999)))
