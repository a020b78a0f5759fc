/* Frame-accurate JACK MIDI output: a shared library that `reverie.hal.midi.JackFrameOutput`
 * drives through ctypes (the `midi-clock` bench uses it beside rtmidi's JACK output).
 *
 * One JACK client with one MIDI output port. The control side posts (frame, bytes) events,
 * frames counted in JACK's frame clock extended to 64 bits, into a single-producer/single-
 * consumer ring. The process callback writes every event that falls in the current cycle
 * with jack_midi_event_write at its offset inside the period, so a receiver sees it on its
 * exact frame. An event whose frame has already passed goes out at offset 0 and is counted
 * late. Each cycle also publishes (JACK frame, CLOCK_MONOTONIC ns at the callback's start)
 * under a sequence lock, which is how the control side lines the engine's frames up with
 * JACK's: both callbacks start within a fraction of a period of each other in one cycle.
 *
 * The process callback never allocates, locks or does I/O.
 * Build: cc -O2 -shared -fPIC -o tools/bin/jack_midi_clock.so tools/jack_midi_clock.c -ljack
 */
#include <jack/jack.h>
#include <jack/midiport.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MSG_MAX 4 /* bytes: clock, transport, notes, CCs, song position; no sysex */

typedef struct {
    int64_t frame;
    uint32_t size;
    uint8_t data[MSG_MAX];
} Event;

typedef struct {
    jack_client_t *client;
    jack_port_t *port;
    Event *ring;
    uint64_t mask;
    uint64_t head;          /* next slot to fill: written by the producer only */
    uint64_t tail;          /* next slot to send: written by the process callback only */
    /* The last cycle, published under a sequence lock (odd: being written). */
    uint64_t seq;
    int64_t cycle_frame;
    uint64_t cycle_ns;
    /* Process-thread state. */
    int started;
    uint32_t last_frame32;
    int64_t frame64;
    /* Counters: each written by one thread, read with relaxed loads. */
    uint64_t written, late, lost, late_max_frames, cycles; /* process thread */
    uint64_t dropped;                                      /* producer */
    uint64_t xruns;                                        /* JACK's notification thread */
} Jmo;

enum { STAT_WRITTEN, STAT_LATE, STAT_LOST, STAT_LATE_MAX, STAT_CYCLES, STAT_DROPPED,
       STAT_XRUNS, STAT_QUEUED, STAT_COUNT };

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

static void publish_cycle(Jmo *c, int64_t frame, uint64_t t_ns) {
    uint64_t s = LOAD(c->seq);
    STORE(c->seq, s + 1);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    STORE(c->cycle_frame, frame);
    STORE(c->cycle_ns, t_ns);
    __atomic_store_n(&c->seq, s + 2, __ATOMIC_RELEASE);
}

static int process(jack_nframes_t frames, void *arg) {
    Jmo *c = arg;
    uint64_t t_ns = now_ns();
    uint32_t f32 = jack_last_frame_time(c->client);
    /* JACK's frame clock is 32 bits (25 h at 48 kHz): extend it. */
    if (!c->started) {
        c->frame64 = f32;
        c->started = 1;
    } else {
        c->frame64 += (uint32_t)(f32 - c->last_frame32);
    }
    c->last_frame32 = f32;
    publish_cycle(c, c->frame64, t_ns);

    void *buffer = jack_port_get_buffer(c->port, frames);
    jack_midi_clear_buffer(buffer);
    uint64_t tail = c->tail;
    uint64_t head = __atomic_load_n(&c->head, __ATOMIC_ACQUIRE);
    int64_t last_offset = 0;
    while (tail != head) {
        const Event *e = &c->ring[tail & c->mask];
        int64_t offset = e->frame - c->frame64;
        if (offset >= (int64_t)frames)
            break;                          /* a later cycle's, and so are all behind it */
        if (offset < 0) {
            STORE(c->late, c->late + 1);
            if ((uint64_t)-offset > c->late_max_frames)
                STORE(c->late_max_frames, (uint64_t)-offset);
            offset = 0;
        }
        if (offset < last_offset)           /* JACK wants events in time order */
            offset = last_offset;
        if (jack_midi_event_write(buffer, (jack_nframes_t)offset, e->data, e->size) == 0)
            STORE(c->written, c->written + 1);
        else
            STORE(c->lost, c->lost + 1);    /* the port buffer is full */
        last_offset = offset;
        tail++;
    }
    __atomic_store_n(&c->tail, tail, __ATOMIC_RELEASE);
    STORE(c->cycles, c->cycles + 1);
    return 0;
}

static int on_xrun(void *arg) {
    Jmo *c = arg;
    __atomic_fetch_add(&c->xruns, 1, __ATOMIC_RELAXED);
    return 0;
}

void jmo_close(Jmo *c) {
    if (!c)
        return;
    if (c->client) {
        jack_deactivate(c->client);
        jack_client_close(c->client);
    }
    free(c->ring);
    free(c);
}

/* Opens and activates a client of `server` (NULL: the default one) named `client_name` with
 * the MIDI output `port_name`, and a ring of `ring_events` (rounded up to a power of two).
 * NULL on failure, with JACK's status bits (or -1: out of memory, -2: no port) in *status. */
Jmo *jmo_open(const char *server, const char *client_name, const char *port_name,
              uint32_t ring_events, int *status) {
    jack_status_t jack_status = 0;
    *status = 0;
    Jmo *c = calloc(1, sizeof *c);
    uint64_t size = 1;
    while (size < ring_events)
        size <<= 1;
    if (c)
        c->ring = calloc(size, sizeof *c->ring);
    if (!c || !c->ring) {
        *status = -1;
        jmo_close(c);
        return NULL;
    }
    c->mask = size - 1;
    jack_options_t options = JackNoStartServer | JackUseExactName | (server ? JackServerName : 0);
    c->client = jack_client_open(client_name, options, &jack_status, server);
    if (!c->client) {
        *status = (int)jack_status;
        jmo_close(c);
        return NULL;
    }
    c->port = jack_port_register(c->client, port_name, JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    if (!c->port) {
        *status = -2;
        jmo_close(c);
        return NULL;
    }
    jack_set_process_callback(c->client, process, c);
    jack_set_xrun_callback(c->client, on_xrun, c);
    if (jack_activate(c->client)) {
        *status = -3;
        jmo_close(c);
        return NULL;
    }
    return c;
}

const char *jmo_port_name(Jmo *c) { return jack_port_name(c->port); }
uint32_t jmo_sample_rate(Jmo *c) { return jack_get_sample_rate(c->client); }
uint32_t jmo_period(Jmo *c) { return jack_get_buffer_size(c->client); }

/* Connects the output to another client's MIDI input port ("client:port"); 0 on success. */
int jmo_connect(Jmo *c, const char *destination) {
    int err = jack_connect(c->client, jack_port_name(c->port), destination);
    return err == EEXIST ? 0 : err;
}

/* Queues one message for JACK frame `frame`, in frame order. 0: queued, -1: the ring is
 * full (counted as dropped), -2: the message is empty or longer than MSG_MAX bytes.
 * One producer thread only. */
int jmo_post(Jmo *c, int64_t frame, const uint8_t *data, uint32_t size) {
    if (size == 0 || size > MSG_MAX)
        return -2;
    uint64_t head = c->head;
    if (head - __atomic_load_n(&c->tail, __ATOMIC_ACQUIRE) > c->mask) {
        STORE(c->dropped, c->dropped + 1);
        return -1;
    }
    Event *e = &c->ring[head & c->mask];
    e->frame = frame;
    e->size = size;
    memcpy(e->data, data, size);
    __atomic_store_n(&c->head, head + 1, __ATOMIC_RELEASE);
    return 0;
}

/* The last cycle's (JACK frame, monotonic ns at its start); 0 before the first cycle. */
int jmo_cycle(Jmo *c, int64_t *frame, uint64_t *t_ns) {
    uint64_t s1, s2;
    do {
        s1 = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
        *frame = LOAD(c->cycle_frame);
        *t_ns = LOAD(c->cycle_ns);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        s2 = LOAD(c->seq);
    } while ((s1 & 1) || s1 != s2);
    return s1 != 0;
}

/* Fills stats[STAT_COUNT]: written, late, lost, late_max_frames, cycles, dropped, xruns,
 * queued. Returns STAT_COUNT. */
int jmo_stats(Jmo *c, uint64_t *stats) {
    stats[STAT_WRITTEN] = LOAD(c->written);
    stats[STAT_LATE] = LOAD(c->late);
    stats[STAT_LOST] = LOAD(c->lost);
    stats[STAT_LATE_MAX] = LOAD(c->late_max_frames);
    stats[STAT_CYCLES] = LOAD(c->cycles);
    stats[STAT_DROPPED] = LOAD(c->dropped);
    stats[STAT_XRUNS] = LOAD(c->xruns);
    stats[STAT_QUEUED] = c->head - __atomic_load_n(&c->tail, __ATOMIC_ACQUIRE);
    return STAT_COUNT;
}
