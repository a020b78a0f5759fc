"""The log under systemd: native journal datagrams with structured fields, read back from a
socket the test binds where journald's would be."""
import logging
import os
import socket

from reverie.app.logs import journal_handler, send_log_to, under_journal


def parse_journal_datagram(data: bytes) -> dict[str, str]:
    """journald's native protocol: KEY=value lines, or KEY\\n<u64 length><bytes>\\n."""
    fields, i = {}, 0
    while i < len(data):
        nl = data.index(b"\n", i)
        line = data[i:nl]
        if b"=" in line:
            key, _, value = line.partition(b"=")
            fields[key.decode()] = value.decode()
            i = nl + 1
        else:
            size = int.from_bytes(data[nl + 1:nl + 9], "little")
            fields[line.decode()] = data[nl + 9:nl + 9 + size].decode()
            i = nl + 9 + size + 1
    return fields


def test_records_reach_the_journal_with_their_fields(tmp_path):
    path = tmp_path / "journal.socket"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(2)
    handler = journal_handler(path)
    log = logging.getLogger("reverie.test.journal")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("audio device lost: %s", "USB Audio", extra={"device": "USB Audio", "xruns": 3})
        fields = parse_journal_datagram(server.recv(65536))
        try:
            raise ValueError("bad sample")
        except ValueError:
            log.exception("loading failed")
        failed = parse_journal_datagram(server.recv(65536))
    finally:
        log.removeHandler(handler)
        server.close()
    assert fields["MESSAGE"] == "audio device lost: USB Audio"
    assert fields["PRIORITY"] == "4"
    assert fields["SYSLOG_IDENTIFIER"] == "reverie"
    assert fields["EXTRA_DEVICE"] == "USB Audio" and fields["EXTRA_XRUNS"] == "3"
    assert fields["CODE_FUNC"] == "test_records_reach_the_journal_with_their_fields"
    assert failed["PRIORITY"] == "3"
    assert "ValueError: bad sample" in failed["TRACEBACK"]


def test_without_a_journal_socket_there_is_no_handler(tmp_path):
    assert journal_handler(tmp_path / "missing.socket") is None


def test_journal_stream_must_be_this_stderr(tmp_path):
    f = open(tmp_path / "stderr", "w")
    st = os.fstat(f.fileno())
    assert under_journal({"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"}, f)
    assert not under_journal({"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino + 1}"}, f)
    assert not under_journal({}, f)
    assert not under_journal({"JOURNAL_STREAM": "garbage"}, f)
    f.close()
