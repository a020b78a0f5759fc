"""sd_notify messages as systemd receives them: a unix datagram socket the test binds and
names in NOTIFY_SOCKET, as systemd does for a Type=notify service."""
import socket

import pytest

from reverie.hal.service import ServiceNotifier


@pytest.fixture(params=["path", "abstract"])
def notify_socket(request, tmp_path, monkeypatch):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if request.param == "path":
        address = str(tmp_path / "notify")
        sock.bind(address)
    else:
        address = f"@reverie-test-{id(sock)}"
        sock.bind("\0" + address[1:])
    sock.settimeout(1.0)
    monkeypatch.setenv("NOTIFY_SOCKET", address)
    yield address, sock
    sock.close()


def received(sock) -> list[str]:
    out = []
    sock.settimeout(0.05)
    while True:
        try:
            out.append(sock.recv(4096).decode())
        except TimeoutError:
            return out


def test_ready_status_watchdog_and_stopping_reach_the_socket(notify_socket):
    address, sock = notify_socket
    clock = [0]
    n = ServiceNotifier(address, watchdog_usec=2_000_000, audio_clock=lambda: clock[0])
    assert n.interval_s == 1.0
    n.ready("Demo groove")
    n.status("Demo groove, DSP 12%, 0 xruns")
    clock[0] = 5
    assert n.tick(now=100.0)            # the clock moved: ping
    assert not n.tick(now=100.5)        # half a period not over yet
    clock[0] = 9
    assert n.tick(now=101.0)
    n.stopping()
    assert received(sock) == ["READY=1\nSTATUS=Demo groove\nX_AUDIO_CALLBACKS=0",
                              "STATUS=Demo groove, DSP 12%, 0 xruns",
                              "WATCHDOG=1", "WATCHDOG=1", "STOPPING=1"]


def test_no_watchdog_while_the_audio_clock_stands_still(notify_socket):
    address, sock = notify_socket
    clock = [3]
    n = ServiceNotifier(address, watchdog_usec=1_000_000, audio_clock=lambda: clock[0])
    n.ready()
    for t in range(10):                 # 5 s of control ticks, audio stalled
        assert not n.tick(now=10.0 + t / 2)
    assert n.withheld == 10
    clock[0] = 4                        # the audio thread runs again
    assert n.tick(now=15.0)
    assert received(sock) == ["READY=1\nX_AUDIO_CALLBACKS=3", "WATCHDOG=1"]


def test_not_a_service_sends_nothing_and_never_pings():
    sent = []
    n = ServiceNotifier(None, watchdog_usec=1_000_000, audio_clock=lambda: 1, send=sent.append)
    n.ready()
    n.stopping()
    assert not n.tick(now=1e9) and n.interval_s is None
    assert sent == []
