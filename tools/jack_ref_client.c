/* A reference JACK client in plain C: the baseline the engine's callback is measured against
 * (`reverie bench`). It writes a sine to two output ports, times its own process callback
 * with CLOCK_MONOTONIC, counts the xruns JACK reports, runs for N seconds and prints one
 * JSON line:
 *   {"callbacks": ..., "xruns": ..., "run_p50_us": ..., "run_p99_us": ..., "run_max_us": ...}
 *
 * usage: jack_ref_client [-s server] [-n client-name] [-f freq-hz] [-c port]... seconds
 * Each -c connects the next output (out_1, out_2) to that port; without -c it connects nowhere.
 * Build: cc -O2 -o tools/bin/jack_ref_client tools/jack_ref_client.c -ljack -lpthread -lm
 */
#include <jack/jack.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OUTPUTS 2
#define LEVEL 0.25f /* -12 dBFS */

typedef struct {
    jack_port_t *ports[OUTPUTS];
    double phase;           /* cycles, 0..1 */
    double phase_inc;       /* cycles per frame */
    uint32_t *run_ns;       /* one entry per callback, preallocated */
    uint64_t capacity;
    uint64_t callbacks;     /* written by the process thread only */
    uint64_t xruns;         /* written by JACK's notification thread only */
    int shutdown;
} RefClient;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int process(jack_nframes_t frames, void *arg) {
    RefClient *c = arg;
    uint64_t t0 = now_ns();
    float *out[OUTPUTS];
    for (int k = 0; k < OUTPUTS; k++)
        out[k] = jack_port_get_buffer(c->ports[k], frames);
    double phase = c->phase;
    for (jack_nframes_t i = 0; i < frames; i++) {
        float x = LEVEL * sinf((float)(2.0 * M_PI * phase));
        for (int k = 0; k < OUTPUTS; k++)
            out[k][i] = x;
        phase += c->phase_inc;
        if (phase >= 1.0)
            phase -= 1.0;
    }
    c->phase = phase;
    uint64_t n = c->callbacks;
    if (n < c->capacity)
        c->run_ns[n] = (uint32_t)(now_ns() - t0);
    __atomic_store_n(&c->callbacks, n + 1, __ATOMIC_RELEASE);
    return 0;
}

static int on_xrun(void *arg) {
    RefClient *c = arg;
    __atomic_fetch_add(&c->xruns, 1, __ATOMIC_RELAXED);
    return 0;
}

static void on_shutdown(void *arg) {
    RefClient *c = arg;
    __atomic_store_n(&c->shutdown, 1, __ATOMIC_RELEASE);
}

static int by_value(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array, in microseconds. */
static double percentile_us(const uint32_t *sorted, uint64_t n, double p) {
    if (n == 0)
        return 0.0;
    uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)n);
    if (rank < 1)
        rank = 1;
    return sorted[rank - 1] / 1000.0;
}

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [-s server] [-n client-name] [-f freq-hz] [-c port]... seconds\n", argv0);
    exit(2);
}

static void sleep_until_done(RefClient *c, double seconds) {
    uint64_t end = now_ns() + (uint64_t)(seconds * 1e9);
    struct timespec tick = {0, 10 * 1000 * 1000};
    while (now_ns() < end && !__atomic_load_n(&c->shutdown, __ATOMIC_ACQUIRE))
        nanosleep(&tick, NULL);
}

int main(int argc, char **argv) {
    const char *server = NULL, *name = "reverie_ref";
    const char *connect_to[OUTPUTS] = {NULL, NULL};
    int n_connect = 0, opt;
    double freq_hz = 440.0;
    while ((opt = getopt(argc, argv, "s:n:f:c:")) != -1) {
        switch (opt) {
        case 's': server = optarg; break;
        case 'n': name = optarg; break;
        case 'f': freq_hz = atof(optarg); break;
        case 'c':
            if (n_connect >= OUTPUTS)
                usage(argv[0]);
            connect_to[n_connect++] = optarg;
            break;
        default: usage(argv[0]);
        }
    }
    if (optind != argc - 1)
        usage(argv[0]);
    double seconds = atof(argv[optind]);
    if (seconds <= 0.0)
        usage(argv[0]);

    jack_status_t status;
    jack_options_t options = JackNoStartServer | (server ? JackServerName : 0);
    jack_client_t *client = jack_client_open(name, options, &status, server);
    if (!client) {
        fprintf(stderr, "jack_ref_client: cannot open a client of server '%s' (status 0x%x)\n",
                server ? server : "default", (unsigned)status);
        return 1;
    }
    RefClient c;
    memset(&c, 0, sizeof c);
    jack_nframes_t rate = jack_get_sample_rate(client), period = jack_get_buffer_size(client);
    c.phase_inc = freq_hz / rate;
    /* Room for twice the expected callbacks: a late timer never writes past the end. */
    c.capacity = (uint64_t)(2.0 * seconds * rate / period) + 64;
    c.run_ns = calloc(c.capacity, sizeof *c.run_ns);
    if (!c.run_ns) {
        fprintf(stderr, "jack_ref_client: out of memory\n");
        return 1;
    }
    for (int k = 0; k < OUTPUTS; k++) {
        char port_name[16];
        snprintf(port_name, sizeof port_name, "out_%d", k + 1);
        c.ports[k] = jack_port_register(client, port_name, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
        if (!c.ports[k]) {
            fprintf(stderr, "jack_ref_client: cannot register port %s\n", port_name);
            return 1;
        }
    }
    jack_set_process_callback(client, process, &c);
    jack_set_xrun_callback(client, on_xrun, &c);
    jack_on_shutdown(client, on_shutdown, &c);
    if (jack_activate(client)) {
        fprintf(stderr, "jack_ref_client: cannot activate the client\n");
        return 1;
    }
    for (int k = 0; k < n_connect; k++) {
        if (jack_connect(client, jack_port_name(c.ports[k]), connect_to[k]))
            fprintf(stderr, "jack_ref_client: cannot connect %s to %s\n",
                    jack_port_name(c.ports[k]), connect_to[k]);
    }

    sleep_until_done(&c, seconds);
    jack_deactivate(client);
    jack_client_close(client);

    uint64_t callbacks = __atomic_load_n(&c.callbacks, __ATOMIC_ACQUIRE);
    uint64_t timed = callbacks < c.capacity ? callbacks : c.capacity;
    qsort(c.run_ns, timed, sizeof *c.run_ns, by_value);
    printf("{\"client\": \"jack_ref_client\", \"sample_rate_hz\": %u, \"period_frames\": %u, "
           "\"seconds\": %g, \"callbacks\": %llu, \"xruns\": %llu, \"run_p50_us\": %.1f, "
           "\"run_p99_us\": %.1f, \"run_max_us\": %.1f, \"server_shutdown\": %s}\n",
           rate, period, seconds, (unsigned long long)callbacks,
           (unsigned long long)__atomic_load_n(&c.xruns, __ATOMIC_RELAXED),
           percentile_us(c.run_ns, timed, 50.0), percentile_us(c.run_ns, timed, 99.0),
           timed ? c.run_ns[timed - 1] / 1000.0 : 0.0, c.shutdown ? "true" : "false");
    free(c.run_ns);
    return c.shutdown ? 1 : 0;
}
