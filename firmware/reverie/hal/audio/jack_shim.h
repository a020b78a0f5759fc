/* Reverie's own JACK client: two audio output ports whose process callback runs the engine's
 * audio callback (a PortAudio-shaped C function, the render gate's in the box) into an
 * interleaved buffer and copies it out to the ports. No PortAudio in between, so a JACK
 * server that stops is only a flag: JACK calls the shutdown callback, which sets `shutdown`
 * for the supervisor to see; the client is then closed from the supervisor's thread.
 *
 * An xrun JACK reports is passed to the engine's next callback as PortAudio's output
 * underflow flag, which the engine counts as an xrun. The process callback never
 * allocates, locks or does I/O; the buffer is allocated with the client. */
#ifndef REVERIE_JACK_SHIM_H
#define REVERIE_JACK_SHIM_H

#include <jack/jack.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JS_CHANNELS 2
#define JS_MAX_FRAMES 8192              /* the largest period JACK offers */
#define JS_OUTPUT_UNDERFLOW 0x04        /* PortAudio's paOutputUnderflow */

typedef int (*js_render)(const void *input, void *output, unsigned long frames,
                         const void *time_info, unsigned long status_flags, void *user);

typedef struct {
    jack_client_t *client;
    jack_port_t *ports[JS_CHANNELS];
    js_render render;
    void *user;
    int shutdown;                       /* set by JACK's shutdown callback */
    int xrun_pending;                   /* set by JACK's xrun callback, taken by process */
    uint64_t cycles, xruns, oversize;   /* oversize: periods above JS_MAX_FRAMES, silent */
    char reason[256];                   /* what JACK said when it shut the client down */
    float buffer[JS_MAX_FRAMES * JS_CHANNELS];
} js_client;

static int js_quiet_flag;

/* libjack prints every failed connection attempt; the supervisor's retries stay quiet. */
static void js_error(const char *msg) {
    if (!__atomic_load_n(&js_quiet_flag, __ATOMIC_RELAXED))
        fprintf(stderr, "JACK: %s\n", msg);
}

static void js_info(const char *msg) {
    (void)msg;                          /* libjack's default prints these on stdout */
}

static void js_quiet(int quiet) {
    __atomic_store_n(&js_quiet_flag, quiet, __ATOMIC_RELAXED);
}

static void js_install_messages(void) {
    jack_set_error_function(js_error);
    jack_set_info_function(js_info);
}

static void js_count(uint64_t *p) {
    __atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

static int js_process(jack_nframes_t frames, void *arg) {
    js_client *c = (js_client *)arg;
    float *out[JS_CHANNELS];
    unsigned long status = 0;
    jack_nframes_t i;
    int k;
    for (k = 0; k < JS_CHANNELS; k++)
        out[k] = (float *)jack_port_get_buffer(c->ports[k], frames);
    js_count(&c->cycles);
    if (frames > JS_MAX_FRAMES) {
        js_count(&c->oversize);
        for (k = 0; k < JS_CHANNELS; k++)
            memset(out[k], 0, frames * sizeof(float));
        return 0;
    }
    if (__atomic_exchange_n(&c->xrun_pending, 0, __ATOMIC_ACQUIRE))
        status = JS_OUTPUT_UNDERFLOW;
    c->render(NULL, c->buffer, frames, NULL, status, c->user);
    for (i = 0; i < frames; i++)
        for (k = 0; k < JS_CHANNELS; k++)
            out[k][i] = c->buffer[i * JS_CHANNELS + k];
    return 0;
}

static int js_xrun(void *arg) {
    js_client *c = (js_client *)arg;
    js_count(&c->xruns);
    __atomic_store_n(&c->xrun_pending, 1, __ATOMIC_RELEASE);
    return 0;
}

static void js_shutdown(jack_status_t code, const char *reason, void *arg) {
    js_client *c = (js_client *)arg;
    (void)code;
    snprintf(c->reason, sizeof c->reason, "%s", reason ? reason : "");
    __atomic_store_n(&c->shutdown, 1, __ATOMIC_RELEASE);
}

static int js_is_shut_down(js_client *c) {
    return __atomic_load_n(&c->shutdown, __ATOMIC_ACQUIRE);
}

static uint64_t js_load(const uint64_t *p) {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* A client of `server` ("" or NULL: the default server), never starting one; NULL when
 * there is no server to join (`*status` says why, JACK's jack_status_t bits). */
static js_client *js_open(const char *server, const char *name, js_render render, void *user,
                          int *status) {
    static const char *names[JS_CHANNELS] = {"out_1", "out_2"};
    jack_status_t st = 0;
    jack_options_t options = JackNoStartServer;
    js_client *c = (js_client *)calloc(1, sizeof(js_client));
    int k;
    *status = 0;
    if (c == NULL)
        return NULL;
    if (server != NULL && server[0] != '\0')
        options |= JackServerName;
    c->client = jack_client_open(name, options, &st, server);
    *status = (int)st;
    if (c->client == NULL) {
        free(c);
        return NULL;
    }
    c->render = render;
    c->user = user;
    for (k = 0; k < JS_CHANNELS; k++) {
        c->ports[k] = jack_port_register(c->client, names[k], JACK_DEFAULT_AUDIO_TYPE,
                                         JackPortIsOutput | JackPortIsTerminal, 0);
        if (c->ports[k] == NULL) {
            jack_client_close(c->client);
            free(c);
            *status = -1;
            return NULL;
        }
    }
    jack_set_process_callback(c->client, js_process, c);
    jack_set_xrun_callback(c->client, js_xrun, c);
    jack_on_info_shutdown(c->client, js_shutdown, c);
    return c;
}

/* Starts the process callback and connects the outputs to the first physical playback
 * ports (one: both to it). Returns the number of connections made, -1 if not activated. */
static int js_activate(js_client *c) {
    const char **playback;
    int connected = 0, k;
    if (jack_activate(c->client) != 0)
        return -1;
    playback = jack_get_ports(c->client, NULL, JACK_DEFAULT_AUDIO_TYPE,
                              JackPortIsPhysical | JackPortIsInput);
    if (playback == NULL)
        return 0;
    for (k = 0; k < JS_CHANNELS && playback[0] != NULL; k++) {
        const char *to = playback[1] != NULL ? playback[k] : playback[0];
        if (jack_connect(c->client, jack_port_name(c->ports[k]), to) == 0)
            connected++;
    }
    jack_free(playback);
    return connected;
}

/* Stops the process callback (activate starts it again). */
static int js_deactivate(js_client *c) {
    return js_is_shut_down(c) ? 0 : jack_deactivate(c->client);
}

/* Closes the client; after a shutdown the server is gone and only the local side is freed. */
static void js_close(js_client *c) {
    if (!js_is_shut_down(c))
        jack_deactivate(c->client);
    jack_client_close(c->client);
    free(c);
}

#endif
