"""What the engine's full command ring refused. The ring is drained by the audio thread at
every block; it fills when that thread stops (the audio device went away) or under a flood.
A post to a full ring fails at once and is counted (design §3); nothing here ever raises or
waits. What happens to the refused command depends on what it is:

- **state** (a track, bus or master parameter, the sample in a slot, a compiled pattern, the
  tempo, a sequencer track, the metronome, the arrangement, a mute, fill, a note off) is kept
  here, the newest per key, and posted again oldest first by `retry()` (every control tick,
  and before new effects): when the ring takes commands again, the engine plays what the
  project says. A note off is state too: a note that was let go must end.
- **moments** (a note on, play, stop, continue, a queued pattern) are dropped and counted:
  played seconds later they would be wrong. The screen says so; the musician plays again.
"""
from __future__ import annotations

from typing import Callable, Hashable

Post = Callable[[], bool]


class Backlog:
    def __init__(self):
        self.waiting: dict[Hashable, Post] = {}   # key -> its newest refused post, oldest key first
        self.refused = 0        # posts the full ring refused
        self.dropped = 0        # of those, moments let go
        self.retried = 0        # state posted again once the ring had room

    def state(self, key: Hashable, post: Post) -> bool:
        """Posts a piece of state; if refused, keeps it (replacing an older value of `key`)."""
        if post():
            self.waiting.pop(key, None)    # an older value still waiting is superseded
            return True
        self.refused += 1
        self.waiting.pop(key, None)        # the newest value goes to the back of the line
        self.waiting[key] = post
        return False

    def moment(self, posted: bool) -> bool:
        """Counts a refused moment; it is not tried again."""
        if not posted:
            self.refused += 1
            self.dropped += 1
        return posted

    def retry(self) -> int:
        """Posts what waits, oldest first, until the ring refuses one; how many went."""
        sent = 0
        while self.waiting:
            key = next(iter(self.waiting))
            if not self.waiting[key]():
                break
            del self.waiting[key]
            sent += 1
        self.retried += sent
        return sent

    def __len__(self) -> int:
        return len(self.waiting)
