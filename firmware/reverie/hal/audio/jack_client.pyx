"""Reverie's own JACK client (jack_shim.h), linked with libjack: two output ports fed by the
engine's audio callback, called from JACK's process thread without the GIL.

PortAudio's JACK host API hangs and then aborts the whole process when the server stops
under an open stream; this client only raises its `shut_down` flag, and the supervisor
(reverie.hal.audio.supervisor) closes it and carries on with the fallback clock.
"""
from libc.stdint cimport uint64_t

cdef extern from "jack_shim.h" nogil:
    ctypedef int (*js_render)(const void *, void *, unsigned long, const void *,
                              unsigned long, void *) noexcept
    ctypedef struct jack_client_t
    ctypedef struct jack_port_t
    ctypedef struct js_client:
        jack_client_t *client
        jack_port_t *ports[2]
        uint64_t cycles
        uint64_t xruns
        uint64_t oversize
        char reason[256]
    int JS_CHANNELS
    int JS_MAX_FRAMES
    void js_quiet(int quiet)
    void js_install_messages()
    js_client *js_open(const char *server, const char *name, js_render render, void *user,
                       int *status)
    int js_activate(js_client *c)
    int js_deactivate(js_client *c)
    void js_close(js_client *c)
    int js_is_shut_down(js_client *c)
    uint64_t js_load(const uint64_t *p)
    const char *jack_port_name(const jack_port_t *port)
    char *jack_get_client_name(jack_client_t *client)
    unsigned int jack_get_sample_rate(jack_client_t *client)
    unsigned int jack_get_buffer_size(jack_client_t *client)

js_install_messages()

# jack_status_t bits (jack/types.h) worth a word.
JACK_SERVER_FAILED = 0x10
JACK_NAME_NOT_UNIQUE = 0x04


class JackUnavailable(Exception):
    """No JACK server to join (or the client could not be made); the message says why."""


def _why(int status) -> str:
    if status < 0:
        return "its output ports could not be registered"
    if status & JACK_SERVER_FAILED:
        return "no JACK server is running"
    return f"JACK refused the client (status {status:#x})"


cdef class JackClient:
    """A JACK client named `client_name` on `server` ("" : the default server) whose two
    output ports play `source` (anything with the engine's `callback_address` and
    `userdata_address`: the engine, or a render gate's slot, kept alive here). Nothing
    plays before `activate()`. `quiet`: libjack says nothing while trying (the
    supervisor's retries)."""
    cdef js_client *c
    cdef readonly object source
    cdef readonly str name                  # as JACK made it unique
    cdef readonly list port_names
    cdef readonly int sample_rate_hz
    cdef readonly int period_frames         # at open; JACK may change it later

    def __cinit__(self, source, str client_name, str server="", bint quiet=False):
        cdef int status = 0
        cdef bytes name = client_name.encode()
        cdef bytes server_b = server.encode()
        cdef const char *name_p = name
        cdef const char *server_p = server_b
        cdef js_render render = <js_render><size_t>source.callback_address
        cdef void *user = <void *><size_t>source.userdata_address
        js_quiet(quiet)
        with nogil:
            self.c = js_open(server_p, name_p, render, user, &status)
        js_quiet(False)
        if self.c == NULL:
            where = f"JACK server '{server}'" if server else "the default JACK server"
            raise JackUnavailable(f"{where}: {_why(status)}")
        self.source = source
        # Read now: after a shutdown the server's shared memory is gone.
        self.name = (<bytes>jack_get_client_name(self.c.client)).decode()
        self.port_names = [(<bytes>jack_port_name(self.c.ports[k])).decode() for k in range(JS_CHANNELS)]
        self.sample_rate_hz = jack_get_sample_rate(self.c.client)
        self.period_frames = jack_get_buffer_size(self.c.client)

    def __dealloc__(self):
        if self.c != NULL:
            with nogil:
                js_close(self.c)

    def activate(self) -> int:
        """Starts the process callback; connects the outputs to the physical playback ports.
        Returns how many connections were made."""
        self._check()
        cdef int connected
        with nogil:
            connected = js_activate(self.c)
        if connected < 0:
            raise JackUnavailable("JACK did not activate the client")
        return connected

    def deactivate(self) -> None:
        """Stops the process callback; `activate()` starts it again."""
        self._check()
        with nogil:
            js_deactivate(self.c)

    def close(self) -> None:
        """Leaves the server (or, after a shutdown, frees what is left). Idempotent."""
        if self.c != NULL:
            with nogil:
                js_close(self.c)
            self.c = NULL

    @property
    def closed(self) -> bool:
        return self.c == NULL

    @property
    def shut_down(self) -> bool:
        """JACK shut the client down (the server stopped, or dropped the client)."""
        return self.c != NULL and js_is_shut_down(self.c) != 0

    @property
    def shutdown_reason(self) -> str:
        if self.c == NULL or not js_is_shut_down(self.c):
            return ""
        return (<bytes>self.c.reason).decode(errors="replace")

    def stats(self) -> dict:
        """Process cycles, xruns JACK reported, periods too long to render (silent)."""
        if self.c == NULL:
            return {"cycles": 0, "xruns": 0, "oversize": 0}
        return {"cycles": js_load(&self.c.cycles), "xruns": js_load(&self.c.xruns),
                "oversize": js_load(&self.c.oversize)}

    cdef _check(self):
        if self.c == NULL:
            raise RuntimeError("the JACK client is closed")
