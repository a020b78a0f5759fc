"""Real time on the box: memory locked against page faults, and who runs at what priority.

`lock_memory()` calls `mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)` when RLIMIT_MEMLOCK
allows it (unlimited, as the service's LimitMEMLOCK=infinity sets, or a process that may
lock any amount), so that no page the box has touched is ever paged out and faulted in again
late. MCL_ONFAULT locks pages as they are first touched instead of filling every mapping at
once: without it every thread's 8 MiB stack and every malloc arena is made resident (the
box measured 189 MiB resident instead of 66 MiB). A kernel without MCL_ONFAULT (before 4.4)
gets MCL_CURRENT | MCL_FUTURE. With a finite limit it locks nothing: MCL_FUTURE would make
every allocation past the limit fail. Either way it says so in one log line.

`freeze_heap()` collects once and moves every object alive into the collector's permanent
generation (`gc.freeze`) when the box has started: what start-up made lives as long as the
box, so a full collection later scans only what came since. A full collection of the started
box otherwise held the GIL for 10-35 ms on the development machine (43 000 objects), and the
threads that stamp pad hits and MIDI notes on arrival waited that long. `thaw_heap()` gives
them back to the collector when the box stops.

`raise_priority(tids, priority)` puts threads of this process (PortAudio's ALSA callback
thread, which PortAudio starts at SCHED_FIFO 1) at a real-time priority within RLIMIT_RTPRIO;
`thread_ids()` and `scheduling(tid)` read the threads and their policy, so the box can say
what its audio thread got (docs/audio.md).
"""
from __future__ import annotations

import ctypes
import gc
import logging
import os
import resource

log = logging.getLogger(__name__)

MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT = 1, 2, 4    # <sys/mman.h>, Linux
CAP_IPC_LOCK = 14                       # <linux/capability.h>
AUDIO_PRIORITY = 70                     # SCHED_FIFO: above MIDI out (1), as JACK's -P 70 on a Pi
POLICIES = {os.SCHED_OTHER: "SCHED_OTHER", os.SCHED_FIFO: "SCHED_FIFO", os.SCHED_RR: "SCHED_RR",
            getattr(os, "SCHED_BATCH", 3): "SCHED_BATCH", getattr(os, "SCHED_IDLE", 5): "SCHED_IDLE"}


def _may_lock_everything() -> bool:
    soft, _ = resource.getrlimit(resource.RLIMIT_MEMLOCK)
    return soft == resource.RLIM_INFINITY or _has_capability(CAP_IPC_LOCK)


def _has_capability(cap: int) -> bool:
    """Whether the effective capability set holds `cap` (/proc/self/status, CapEff)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> cap & 1)
    except (OSError, ValueError):
        pass
    return False


def lock_memory() -> bool:
    """Locks the process's memory, now and to come, when the limit allows; one log line
    either way. True when locked."""
    if not _may_lock_everything():
        soft, _ = resource.getrlimit(resource.RLIMIT_MEMLOCK)
        log.warning("memory not locked: RLIMIT_MEMLOCK is %d KiB (the service sets "
                    "LimitMEMLOCK=infinity; elsewhere: ulimit -l unlimited)", soft // 1024)
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0 and \
            libc.mlockall(MCL_CURRENT | MCL_FUTURE) != 0:
        log.warning("memory not locked: mlockall failed (%s)", os.strerror(ctypes.get_errno()))
        return False
    log.info("memory locked (mlockall): %d MiB resident", resident_mib())
    return True


def resident_mib() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (OSError, ValueError, IndexError):
        return 0


def freeze_heap() -> int:
    """Collects, then freezes every object alive (out of every later collection); how many."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def thaw_heap() -> None:
    """The frozen objects back to the collector (the box stops: what it made can go)."""
    gc.unfreeze()


def raise_priority(tids, priority: int = AUDIO_PRIORITY) -> int:
    """SCHED_FIFO at `priority` for the threads `tids`, or at the highest RLIMIT_RTPRIO allows;
    the priority they got, 0 when none."""
    soft, _ = resource.getrlimit(resource.RLIMIT_RTPRIO)
    for prio in dict.fromkeys((priority, min(priority, soft))):
        if prio < 1:
            continue
        try:
            for tid in tids:
                os.sched_setscheduler(tid, os.SCHED_FIFO, os.sched_param(prio))
        except PermissionError:
            continue
        except OSError:         # a thread that has ended
            return 0
        return prio
    return 0


def thread_ids() -> set[int]:
    """The kernel ids of this process's threads."""
    try:
        return {int(t) for t in os.listdir("/proc/self/task")}
    except OSError:
        return set()


def scheduling(tid: int) -> tuple[str, int]:
    """(policy name, real-time priority) of a thread of this process."""
    try:
        policy = os.sched_getscheduler(tid)
        return POLICIES.get(policy, str(policy)), os.sched_getparam(tid).sched_priority
    except OSError:
        return "gone", 0


def describe_threads(tids) -> str:
    """"SCHED_FIFO 50" for real-time threads among `tids`, else "normal priority"."""
    found = sorted({f"{p} {prio}" for p, prio in map(scheduling, tids) if prio > 0})
    return ", ".join(found) or "normal priority"
