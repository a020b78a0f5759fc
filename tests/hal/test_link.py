"""Ableton Link: LinkSession, alone and with real peers.

Every test that may start Link runs its processes inside a loopback-only network
namespace (`unshare -n`): Link multicasts on every interface it finds.
"""
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from reverie.base.errors import UserError
from reverie.hal import link as hal_link
from reverie.hal.link import LinkSession, LinkSnapshot
from reverie.sync import link_policy
from reverie.sync.link_policy import PHASE_TOLERANCE_BEATS, next_quantum_beat, wrap_phase

HERE = Path(__file__).resolve().parent
FIRMWARE = str(HERE.parent.parent / "firmware")
PEER = str(HERE / "link_peer.py")


def test_the_session_refuses_the_tempi_the_policy_clamps_to():
    # hal does not import sync: the two floors each name the engine's tempo range
    assert hal_link.TEMPO_RANGE_BPM == link_policy.TEMPO_RANGE_BPM
    assert hal_link.DEFAULT_QUANTUM_BEATS == link_policy.DEFAULT_QUANTUM_BEATS


def test_snapshot_maps_beats_and_monotonic_time_both_ways():
    snap = LinkSnapshot(time_ns=10_000_000_000, beat=9.5, tempo_bpm=120.0, quantum_beats=4.0,
                        peers=1, playing=False)
    assert snap.phase == 1.5
    assert snap.beat_at(10_500_000_000) == pytest.approx(10.5)
    assert snap.beat_at(9_000_000_000) == pytest.approx(7.5)
    assert snap.time_at(12.0) == 11_250_000_000
    assert snap.beat_at(snap.time_at(next_quantum_beat(snap.beat, 4))) == pytest.approx(12.0)


@pytest.mark.parametrize("call, text", [
    (lambda s: s.set_tempo(500), "tempo must be 20..300 BPM"),
    (lambda s: s.set_tempo(math.nan), "tempo must be 20..300 BPM"),
    (lambda s: s.set_tempo("fast"), "tempo must be 20..300 BPM, not 'fast'"),
    (lambda s: s.set_tempo(True), "tempo must be"),
    (lambda s: s.set_quantum(0), "quantum must be 1..16 beats"),
    (lambda s: LinkSession(tempo_bpm=10), "tempo must be 20..300 BPM"),
    (lambda s: LinkSession(quantum_beats=32), "quantum must be 1..16 beats"),
])
def test_session_refuses_bad_settings_and_keeps_the_old_ones(call, text):
    session = LinkSession(tempo_bpm=98.0)
    with pytest.raises(ValueError, match=text):
        call(session)
    assert session.tempo_bpm == 98.0 and session.quantum_beats == 4.0


def test_a_disabled_session_answers_without_link():
    session = LinkSession(tempo_bpm=98.0, quantum_beats=3)
    session.set_tempo(133.5)
    assert (session.enabled, session.peers, session.playing) == (False, 0, False)
    assert session.tempo_bpm == 133.5 and session.quantum_beats == 3.0
    assert session.snapshot() is None and session.beat_at(0) is None and session.beat_now() is None
    session.close()
    session.close()


def test_without_aalink_enable_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aalink", None)    # import aalink raises ImportError
    session = LinkSession()
    with pytest.raises(UserError, match="needs the aalink package"):
        session.enable()
    assert not session.enabled and session.snapshot() is None
    session.close()


def in_loopback_namespace(script: str, timeout_s: float) -> subprocess.CompletedProcess:
    """`script` (bash) inside a new network namespace that has only `lo`. `-r` (a user
    namespace, mapped to root inside) lets a user without privileges make one too."""
    return subprocess.run(
        ["unshare", "-rn", "bash", "-c", f"ip link set lo up && {script}"],
        capture_output=True, text=True, timeout=timeout_s,
        env={"PYTHONPATH": FIRMWARE, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})


def peer_command(*args) -> str:
    return " ".join([sys.executable, PEER, *map(str, args)])


def json_lines(done: subprocess.CompletedProcess) -> list[dict]:
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.timeout(60)
def test_a_disabled_session_opens_no_socket_and_starts_no_thread():
    lines = json_lines(in_loopback_namespace(peer_command("probe", "off"), timeout_s=30))
    used, closed = lines
    assert used["tempo"] == 133.5 and used["snapshot"] is None and used["enabled"] is False
    for stage in (used, closed):
        assert (stage["sockets"], stage["threads"], stage["aalink"]) == (0, 1, False), stage


@pytest.mark.timeout(60)
def test_enable_opens_link_sockets_disable_closes_them_close_stops_threads():
    # the same probe as above sees Link's sockets when there are some
    stages = {s["stage"]: s for s in
              json_lines(in_loopback_namespace(peer_command("probe", "on"), timeout_s=30))}
    assert stages["before"]["sockets"] == 0 and stages["before"]["aalink"] is False
    assert stages["enabled"]["enabled"] is True and stages["enabled"]["inet"] >= 1
    assert stages["disabled"]["enabled"] is False and stages["disabled"]["inet"] == 0
    assert (stages["closed"]["sockets"], stages["closed"]["threads"]) == (0, 1)


def phase_differences(mine, theirs, windows, quantum=4.0):
    """For each of `mine` inside a window, `theirs` nearest in time, brought to the same
    instant at its own tempo: the beat difference over the quantum."""
    diffs = []
    for s in mine:
        if not any(a <= s["t_ns"] <= b for a, b in windows):
            continue
        o = min(theirs, key=lambda o: abs(o["t_ns"] - s["t_ns"]))
        if abs(o["t_ns"] - s["t_ns"]) > 25_000_000:
            continue
        beat = o["beat"] + (s["t_ns"] - o["t_ns"]) * o["tempo"] / 60e9
        diffs.append(wrap_phase(s["beat"] - beat, quantum))
    return diffs


@pytest.mark.timing
@pytest.mark.timeout(60)
def test_two_processes_share_tempo_and_beat_phase_and_tempo_changes():
    script = (peer_command("peer", "A", "--tempo", 120, "--set-tempo", 133.5, "--play",
                           "--set-after", 1.5, "--stop-after", 3.5)
              + " & a=$!; " + peer_command("peer", "B", "--tempo", 100, "--stop-after", 3.5)
              + "; b=$?; wait $a; exit $(( $? | b ))")
    lines = json_lines(in_loopback_namespace(script, timeout_s=50))
    events = {(x["peer"], x["event"]): x for x in lines if x["event"] != "state"}
    states = {p: [x for x in lines if x["event"] == "state" and x["peer"] == p] for p in "AB"}
    assert ("A", "closed") in events and ("B", "closed") in events

    # they find each other
    found = max(events[("A", "found")]["t_ns"], events[("B", "found")]["t_ns"])
    assert events[("A", "found")]["after_s"] < 5 and events[("B", "found")]["after_s"] < 5
    set_at = events[("A", "set_tempo")]["t_ns"]
    settled = [s for p in "AB" for s in states[p] if found + 0.5e9 <= s["t_ns"] < set_at]
    assert len(settled) > 40
    assert all(s["peers"] == 1 and not s["playing"] for s in settled)

    # they agree on the tempo: one of the two they started with, whichever session won
    tempos = {round(s["tempo"], 3) for s in settled}
    assert len(tempos) == 1 and tempos <= {120.0, 100.0}, tempos

    # the change reaches the other peer within a second (Link carries whole us per beat)
    reached = next(s["t_ns"] for s in states["B"]
                   if s["t_ns"] >= set_at and abs(s["tempo"] - 133.5) < 1e-3)
    latency_s = (reached - set_at) / 1e9
    assert latency_s < 1.0
    # and so does the start of the transport (start/stop sync)
    started = next(s["t_ns"] for s in states["B"] if s["t_ns"] >= set_at and s["playing"])
    assert (started - set_at) / 1e9 < 1.0

    # they agree on the beat phase, before and after the change
    end = min(states["A"][-1]["t_ns"], states["B"][-1]["t_ns"])
    windows = [(found + 0.5e9, set_at - 0.1e9), (reached + 0.2e9, end)]
    diffs = phase_differences(states["B"], states["A"], windows)
    assert len(diffs) > 60
    worst = max(map(abs, diffs))
    print(f"\nLink on loopback: peers found after {events[('A', 'found')]['after_s']:.3f} s / "
          f"{events[('B', 'found')]['after_s']:.3f} s, tempo change seen after "
          f"{latency_s * 1000:.0f} ms (polled every 20 ms), phase difference over "
          f"{len(diffs)} readings: worst {worst:.6f} beat, "
          f"mean {sum(diffs) / len(diffs):+.6f} beat")
    assert worst < PHASE_TOLERANCE_BEATS     # 1 ms at 120 BPM
