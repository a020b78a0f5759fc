# cython: boundscheck=False, wraparound=False
"""The render gate (render_gate.h): the engine's audio callback shared by every driver that
may run it (a sound card, a JACK client, the fallback clock), one at a time.

`RenderGate(engine)` wraps the engine; `gate.slot(name)` gives each driver a `GateSlot`,
which looks like the engine to an audio output (`callback_address`, `userdata_address`,
`sample_rate`): the output registers the gate's C callback with the slot as user data.
`gate.give(slot)` makes that slot the one that renders; every other slot's calls give
silence. A slot's counters say how many callbacks it had and how many frames it rendered
or filled with silence.
"""
from libc.stdint cimport uint64_t
from libc.stdlib cimport calloc, free

cdef extern from "render_gate.h" nogil:
    ctypedef int (*rg_render)(const void *, void *, unsigned long, const void *,
                              unsigned long, void *) noexcept
    ctypedef struct rg_gate:
        rg_render render
        void *user
        int channels
        int owner
        int busy
    ctypedef struct rg_slot:
        rg_gate *gate
        int id
        uint64_t calls
        uint64_t frames
        uint64_t silent
    int rg_owner(rg_gate *g)
    void rg_set_owner(rg_gate *g, int id)
    uint64_t rg_load(const uint64_t *p)
    int rg_callback(const void *input, void *output, unsigned long frames,
                    const void *time_info, unsigned long status_flags, void *user)


cdef class RenderGate:
    """The engine behind a gate. `engine` is anything with the engine's `callback_address`,
    `userdata_address` and `sample_rate`; the gate keeps it alive."""
    cdef rg_gate *g
    cdef readonly object engine
    cdef int _next_id

    def __cinit__(self, engine, int channels=2):
        self.g = <rg_gate *>calloc(1, sizeof(rg_gate))
        if self.g == NULL:
            raise MemoryError()
        self.g.render = <rg_render><size_t>engine.callback_address
        self.g.user = <void *><size_t>engine.userdata_address
        self.g.channels = channels
        self.engine = engine
        self._next_id = 1

    def __dealloc__(self):
        free(self.g)

    @property
    def channels(self) -> int:
        return self.g.channels

    @property
    def sample_rate(self) -> float:
        return self.engine.sample_rate

    def slot(self, str name) -> GateSlot:
        """A new slot for a driver; it renders once given the gate."""
        cdef GateSlot s = GateSlot.__new__(GateSlot)
        s.s = <rg_slot *>calloc(1, sizeof(rg_slot))
        if s.s == NULL:
            raise MemoryError()
        s.s.gate = self.g
        s.s.id = self._next_id
        self._next_id += 1
        s.gate = self
        s.name = name
        return s

    def give(self, GateSlot slot) -> None:
        """`slot` renders from its next callback on; None: no slot renders."""
        rg_set_owner(self.g, 0 if slot is None else slot.s.id)

    @property
    def owner(self) -> int:
        """The id of the slot that renders (0: none)."""
        return rg_owner(self.g)


cdef class GateSlot:
    """One driver's way into the gate. Keep it as long as its driver may call it."""
    cdef rg_slot *s
    cdef readonly RenderGate gate
    cdef readonly str name

    def __dealloc__(self):
        free(self.s)

    def __repr__(self) -> str:
        return f"GateSlot({self.name!r}, id={self.id})"

    @property
    def id(self) -> int:
        return self.s.id

    @property
    def callback_address(self) -> int:
        """The gate's C callback (PaStreamCallback), to register with this slot's address."""
        return <size_t>&rg_callback

    @property
    def userdata_address(self) -> int:
        return <size_t>self.s

    @property
    def sample_rate(self) -> float:
        return self.gate.engine.sample_rate

    @property
    def owns(self) -> bool:
        return rg_owner(self.s.gate) == self.s.id

    @property
    def calls(self) -> int:
        return rg_load(&self.s.calls)

    @property
    def frames(self) -> int:
        """Frames rendered through this slot."""
        return rg_load(&self.s.frames)

    @property
    def silent(self) -> int:
        """Frames this slot filled with silence while another slot owned the engine."""
        return rg_load(&self.s.silent)

    def render(self, float[:, ::1] out) -> bool:
        """One block through the gate from this thread, without the GIL (the fallback
        clock's call): rendered when this slot owns the engine (True), silence otherwise."""
        cdef uint64_t before = self.s.frames    # only this thread writes it
        if out.shape[1] != self.s.gate.channels:
            raise ValueError(f"the block has {out.shape[1]} channels, the gate "
                             f"{self.s.gate.channels}")
        if out.shape[0] == 0:
            return False
        with nogil:
            rg_callback(NULL, &out[0, 0], out.shape[0], NULL, 0, self.s)
        return self.s.frames != before
