/* Reference for `reverie bench voices-64`: a plain C loop doing the per-voice work of the
 * engine's sampler voice (cubic Hermite on stereo frames with a loop, stereo state-variable
 * filter with per-frame coefficient ramps, ADSR envelope, gain/pan ramps), in chunks of 32
 * frames as the engine does. Built with -O3 by the Makefile; prints one JSON line.
 *
 * usage: ref_voice [voices=64] [seconds_of_audio=20] [sample_rate=48000]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK 32
#define SAMPLE_FRAMES 48000

typedef struct {
    const float *data;
    int64_t start, end, loop_start, loop_end;
    double pos, inc;
    int stage;
    float env, dec, attack_inc, decay_coef, sustain;
    float s1l, s2l, s1r, s2r;
    float a11, a12, b1, a21, a22, b2, c0, c1, c2;   /* state-space SVF */
    float gl, gr, dgl, dgr, tgl, tgr;
} voice_t;

static float hermite(float xm1, float x0, float x1, float x2, float t) {
    float c = (x1 - xm1) * 0.5f;
    float v = x0 - x1;
    float w = c + v;
    float a = w + v + (x2 - x0) * 0.5f;
    float b_neg = w + a;
    return ((a * t - b_neg) * t + c) * t + x0;
}

static void tap(const voice_t *v, int64_t i, float *l, float *r) {
    int64_t n = v->loop_end - v->loop_start;
    if (i >= v->loop_end) i = v->loop_start + (i - v->loop_end) % n;
    if (i < v->start) { *l = 0.0f; *r = 0.0f; return; }
    *l = v->data[2 * i];
    *r = v->data[2 * i + 1];
}

static void control(voice_t *v) {
    v->gl = v->tgl; v->gr = v->tgr;
    v->dgl = (v->tgl - v->gl) / CHUNK; v->dgr = (v->tgr - v->gr) / CHUNK;
}

static void render(voice_t *v, float *out_l, float *out_r, int n) {
    const float *d = v->data;
    double pos = v->pos, inc = v->inc;
    double lo = v->start + 1, hi = v->loop_end - 2;
    float s1l = v->s1l, s2l = v->s2l, s1r = v->s1r, s2r = v->s2r;
    float gl = v->gl, gr = v->gr, env = v->env, dec = v->dec, sustain = v->sustain;
    int stage = v->stage;
    for (int j = 0; j < n; j++) {
        if (stage == 1) {
            env += v->attack_inc;
            if (env >= 1.0f) { env = 1.0f; dec = 1.0f - sustain; stage = 2; }
        } else if (stage == 2) {
            dec *= v->decay_coef;
            env = sustain + dec;
        }
        float xl, xr, t;
        if (pos >= lo && pos < hi) {
            int64_t i = (int64_t)pos;
            t = (float)(pos - (double)i);
            xl = hermite(d[2 * i - 2], d[2 * i], d[2 * i + 2], d[2 * i + 4], t);
            xr = hermite(d[2 * i - 1], d[2 * i + 1], d[2 * i + 3], d[2 * i + 5], t);
        } else {
            double fi = floor(pos);
            int64_t i = (int64_t)fi;
            float l0, r0, l1, r1, l2, r2, l3, r3;
            t = (float)(pos - fi);
            tap(v, i - 1, &l0, &r0); tap(v, i, &l1, &r1); tap(v, i + 1, &l2, &r2); tap(v, i + 2, &l3, &r3);
            xl = hermite(l0, l1, l2, l3, t);
            xr = hermite(r0, r1, r2, r3, t);
        }
        float yl = v->c0 * xl + v->c1 * s1l + v->c2 * s2l;
        float n1 = v->a11 * s1l + (v->a12 * s2l + v->b1 * xl);
        float n2 = v->a21 * s1l + (v->a22 * s2l + v->b2 * xl);
        s1l = n1; s2l = n2;
        float yr = v->c0 * xr + v->c1 * s1r + v->c2 * s2r;
        n1 = v->a11 * s1r + (v->a12 * s2r + v->b1 * xr);
        n2 = v->a21 * s1r + (v->a22 * s2r + v->b2 * xr);
        s1r = n1; s2r = n2;
        out_l[j] += yl * env * gl;
        out_r[j] += yr * env * gr;
        gl += v->dgl; gr += v->dgr;
        pos += inc;
        if (pos >= v->loop_end) pos -= (double)(v->loop_end - v->loop_start);
    }
    v->pos = pos;
    v->s1l = s1l; v->s2l = s2l; v->s1r = s1r; v->s2r = s2r;
    v->gl = gl; v->gr = gr; v->env = env; v->dec = dec; v->stage = stage;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int nvoices = argc > 1 ? atoi(argv[1]) : 64;
    double seconds = argc > 2 ? atof(argv[2]) : 20.0;
    double sr = argc > 3 ? atof(argv[3]) : 48000.0;
    float *data = malloc(sizeof(float) * 2 * SAMPLE_FRAMES);
    voice_t *voices = calloc(nvoices, sizeof(voice_t));
    float out_l[CHUNK], out_r[CHUNK];
    double sink = 0.0;
    for (int i = 0; i < SAMPLE_FRAMES; i++) {   /* a saw-ish stereo loop */
        data[2 * i] = 0.5f * sinf(2.0f * 3.14159265f * 110.0f * i / 48000.0f) + 0.1f * sinf(0.37f * i);
        data[2 * i + 1] = 0.5f * sinf(2.0f * 3.14159265f * 110.5f * i / 48000.0f) + 0.1f * sinf(0.41f * i);
    }
    for (int k = 0; k < nvoices; k++) {
        voice_t *v = &voices[k];
        float fc = 400.0f + 100.0f * k, g = tanf(3.14159265f * fc / (float)sr), kk = 0.8f;
        v->data = data; v->start = 0; v->end = SAMPLE_FRAMES;
        v->loop_start = 1000; v->loop_end = SAMPLE_FRAMES - 1000;
        v->pos = 0.0; v->inc = pow(2.0, ((k % 25) - 12) / 12.0);
        v->stage = 1; v->attack_inc = 1.0f / 480.0f; v->decay_coef = 0.9999f; v->sustain = 0.7f;
        float a1 = 1.0f / (1.0f + g * (g + kk)), a2 = g * a1, a3 = g * a2;   /* low-pass */
        v->a11 = 2.0f * a1 - 1.0f; v->a12 = -2.0f * a2; v->b1 = 2.0f * a2;
        v->a21 = 2.0f * a2; v->a22 = 1.0f - 2.0f * a3; v->b2 = 2.0f * a3;
        v->c0 = a3; v->c1 = a2; v->c2 = 1.0f - a3;
        v->tgl = 0.7f * cosf(k * 0.1f); v->tgr = 0.7f * sinf(k * 0.1f + 0.5f);
    }
    int64_t frames = (int64_t)(seconds * sr);
    double t0 = now_s();
    for (int64_t f = 0; f < frames; f += CHUNK) {
        memset(out_l, 0, sizeof out_l);
        memset(out_r, 0, sizeof out_r);
        for (int k = 0; k < nvoices; k++) {
            control(&voices[k]);
            render(&voices[k], out_l, out_r, CHUNK);
        }
        sink += out_l[0] + out_r[CHUNK - 1];
    }
    double dt = now_s() - t0;
    printf("{\"voices\": %d, \"frames\": %lld, \"seconds\": %.6f, \"ns_per_voice_sample\": %.4f, "
           "\"realtime_factor\": %.2f, \"checksum\": %.6f}\n",
           nvoices, (long long)frames, dt, dt * 1e9 / ((double)frames * nvoices),
           frames / sr / dt, sink);
    free(voices);
    free(data);
    return 0;
}
