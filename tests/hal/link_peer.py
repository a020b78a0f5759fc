"""A Link peer for tests/hal/test_link.py, run as its own process. Prints JSON lines.

    link_peer.py peer NAME --tempo BPM [--set-tempo BPM [--play] --set-after S] --stop-after S
        Enables a LinkSession with start/stop sync and prints its state every --period-ms:
        monotonic time, beat, tempo, peers, playing. At --set-after it sets the tempo (and
        starts the transport with --play). --set-after and --stop-after count from the
        moment the first peer appears. Exits 2 if no peer appears within --max-seconds.
    link_peer.py probe off|on
        What a session leaves open: socket and inet socket counts, threads, whether aalink
        was imported. "off" uses every call of a disabled session; "on" reports after
        enable() (once Link's sockets appear, within 10 s), disable() (once they are gone)
        and close().

Run it inside a loopback-only network namespace: Link multicasts on every interface.
"""
import argparse
import json
import os
import sys
import time

from reverie.hal.link import LinkSession


def emit(**fields):
    # One write per line: lines of two peers sharing a pipe never interleave.
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def run_peer(args) -> int:
    session = LinkSession(tempo_bpm=args.tempo, start_stop_sync=True)
    session.enable()
    start = time.monotonic_ns()
    found = None
    tempo_set = args.set_tempo is None
    code = 0
    while True:
        snap = session.snapshot()
        emit(peer=args.name, event="state", t_ns=snap.time_ns, beat=snap.beat,
             tempo=snap.tempo_bpm, peers=snap.peers, playing=snap.playing)
        now = time.monotonic_ns()
        if found is None and snap.peers > 0:
            found = snap.time_ns
            emit(peer=args.name, event="found", t_ns=found, after_s=(found - start) / 1e9)
        if found is not None:
            since = (now - found) / 1e9
            if not tempo_set and since >= args.set_after:
                session.set_tempo(args.set_tempo)
                if args.play:
                    session.set_playing(True)
                tempo_set = True
                emit(peer=args.name, event="set_tempo", t_ns=time.monotonic_ns(), bpm=args.set_tempo)
            if since >= args.stop_after:
                break
        elif (now - start) / 1e9 > args.max_seconds:
            emit(peer=args.name, event="no_peer")
            code = 2
            break
        time.sleep(args.period_ms / 1000)
    session.close()
    emit(peer=args.name, event="closed")
    return code


def inet_inodes() -> set[str]:
    inodes = set()
    for table in ("udp", "udp6", "tcp", "tcp6", "raw", "raw6"):
        with open(f"/proc/self/net/{table}") as f:
            for row in list(f)[1:]:
                inodes.add(row.split()[9])
    return inodes


def open_sockets() -> dict:
    socks = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:     # the directory's own fd, closed while listing
            continue
        if target.startswith("socket:["):
            socks.append(target[8:-1])
    inet = inet_inodes()
    return {"sockets": len(socks), "inet": sum(s in inet for s in socks),
            "threads": len(os.listdir("/proc/self/task")), "aalink": "aalink" in sys.modules}


def wait_for(condition, timeout_s: float = 10.0) -> float:
    """Seconds until `condition()` held, polled every 5 ms; gives up after `timeout_s`."""
    start = time.monotonic()
    while not condition() and time.monotonic() - start < timeout_s:
        time.sleep(0.005)
    return time.monotonic() - start


def run_probe(args) -> int:
    session = LinkSession()
    if args.state == "off":
        session.set_tempo(133.5)
        session.set_quantum(3)
        emit(stage="used", tempo=session.tempo_bpm, peers=session.peers,
             enabled=session.enabled, snapshot=session.snapshot(), beat=session.beat_now(),
             playing=session.playing, **open_sockets())
        session.disable()
        session.close()
        emit(stage="closed", **open_sockets())
        return 0
    emit(stage="before", **open_sockets())
    session.enable()
    waited = wait_for(lambda: open_sockets()["inet"] > 0)   # Link opens them on its own thread
    emit(stage="enabled", enabled=session.enabled, waited_s=waited, **open_sockets())
    session.disable()
    waited = wait_for(lambda: open_sockets()["inet"] == 0)
    emit(stage="disabled", enabled=session.enabled, waited_s=waited, **open_sockets())
    session.close()
    emit(stage="closed", **open_sockets())
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    peer = sub.add_parser("peer")
    peer.add_argument("name")
    peer.add_argument("--tempo", type=float, default=120.0)
    peer.add_argument("--set-tempo", type=float)
    peer.add_argument("--play", action="store_true")
    peer.add_argument("--set-after", type=float, default=1.5)
    peer.add_argument("--stop-after", type=float, default=3.5)
    peer.add_argument("--max-seconds", type=float, default=20.0)
    peer.add_argument("--period-ms", type=float, default=20.0)
    probe = sub.add_parser("probe")
    probe.add_argument("state", choices=("off", "on"))
    args = parser.parse_args()
    return run_peer(args) if args.command == "peer" else run_probe(args)


if __name__ == "__main__":
    sys.exit(main())
