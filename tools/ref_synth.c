/* Reference for `reverie bench synth-64`: a plain C loop doing the per-voice work of the
 * `synth` instrument as the bench plays it: two band-limited saws (32-tap BLEP from the
 * units' own tables) an octave-free 7 cents apart, mixed with gain ramps, a state-variable
 * low-pass whose cutoff follows a modulation envelope and a sine LFO (both at control rate,
 * coefficients designed per control tick and ramped per frame), an ADSR amp envelope per
 * frame (its decay one multiply a frame, as the units' envelope) and gain/pan ramps into a
 * stereo bus, all in one loop after the oscillators, in chunks of 32 frames as the engine
 * runs.
 * Built with -O3 -ffp-contract=off by the Makefile; prints one JSON line.
 *
 * usage: ref_synth [voices=64] [seconds_of_audio=20] [sample_rate=48000]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../firmware/reverie/core/units/tables.h"

#define CHUNK 32

typedef struct { float acc[32]; int pos; } blep_t;
typedef struct { double phase; blep_t b; } saw_t;
typedef struct { float a11, a12, b1, a21, a22, b2, c0, c1, c2; } svf_t;

typedef struct {
    float hz, inv_sr;
    saw_t o1, o2;
    float r1, r2;                  /* frequency ratios of the two saws */
    float g1, g2, dg1, dg2;        /* mix levels and their ramps */
    svf_t cur, step, tgt;
    float s1, s2, key;             /* filter state; the cutoff tgt was designed for */
    int stage;                     /* amp envelope: 1 attack, 2 decay */
    float env, dec, attack_inc, decay_coef, sustain;
    float env2, env2_inc, env2_coef, env2_sus; int env2_stage;   /* control rate */
    double lfo_phase, lfo_inc;     /* control rate */
    float base_oct, env_oct, lfo_oct, k, sr;
    float gl, gr, tgl, tgr, dgl, dgr;
} voice_t;

static float sine_of(double phase) {
    double x = phase * UNIT_SINE_SIZE;
    int i = (int)x;
    float f = (float)(x - i);
    return unit_sine[i] + f * (unit_sine[i + 1] - unit_sine[i]);
}

static void blep_step(blep_t *b, float t, float h) {
    float x = t * UNIT_BLEP_PHASES;
    int row = (int)x;
    if (row >= UNIT_BLEP_PHASES) row = UNIT_BLEP_PHASES - 1;
    float f = x - row;
    const float *a = unit_blep[row], *c = unit_blep[row + 1];
    for (int k = 0; k < 32; k++) b->acc[(b->pos + k) & 31] += h * (a[k] + f * (c[k] - a[k]));
}

static float blep_out(blep_t *b, float naive) {
    b->acc[(b->pos + 16) & 31] += naive;
    float y = b->acc[b->pos];
    b->acc[b->pos] = 0.0f;
    b->pos = (b->pos + 1) & 31;
    return y;
}

static void saw(saw_t *s, float ratio, const float *hz, float inv_sr, float *out, int n) {
    double ph = s->phase;
    for (int i = 0; i < n; i++) {
        double inc = ratio * inv_sr * (double)hz[i];
        ph += inc;
        if (ph >= 1.0) {
            ph -= 1.0;
            blep_step(&s->b, (float)(ph / inc), -2.0f);
        }
        out[i] = blep_out(&s->b, (float)(2.0 * ph - 1.0));
    }
    s->phase = ph;
}

static void svf_design(svf_t *c, float fc, float k, float sr) {
    float g = tanf(3.14159265f * fc / sr);
    float a1 = 1.0f / (1.0f + g * (g + k)), a2 = g * a1, a3 = g * a2;
    c->a11 = 2.0f * a1 - 1.0f; c->a12 = -2.0f * a2; c->b1 = 2.0f * a2;
    c->a21 = 2.0f * a2; c->a22 = 1.0f - 2.0f * a3; c->b2 = 2.0f * a3;
    c->c0 = a3; c->c1 = a2; c->c2 = 1.0f - a3;
}

/* Once per control tick: the modulation envelope and LFO move the cutoff. */
static void control(voice_t *v) {
    const float inv = 1.0f / CHUNK;
    if (v->env2_stage == 1) {
        v->env2 += v->env2_inc;
        if (v->env2 >= 1.0f) { v->env2 = 1.0f; v->env2_stage = 2; }
    } else {
        v->env2 = v->env2_sus + (v->env2 - v->env2_sus) * v->env2_coef;
    }
    float lfo = sine_of(v->lfo_phase);
    v->lfo_phase += v->lfo_inc;
    if (v->lfo_phase >= 1.0) v->lfo_phase -= 1.0;
    float fc = exp2f(v->base_oct + v->env_oct * v->env2 + v->lfo_oct * lfo);
    v->cur = v->tgt;
    if (fc != v->key) { svf_design(&v->tgt, fc, v->k, v->sr); v->key = fc; }
    float *c = &v->cur.a11, *t = &v->tgt.a11, *d = &v->step.a11;
    for (int i = 0; i < 9; i++) d[i] = (t[i] - c[i]) * inv;
    v->gl += v->dgl * CHUNK; v->gr += v->dgr * CHUNK;     /* where the last ramp ended */
    v->dgl = (v->tgl - v->gl) * inv; v->dgr = (v->tgr - v->gr) * inv;
}

static void render(voice_t *v, float *out_l, float *out_r, int n) {
    float hz[CHUNK], x1[CHUNK], x2[CHUNK], mix[CHUNK];
    for (int j = 0; j < n; j++) hz[j] = v->hz;          /* the glide, at rest */
    saw(&v->o1, v->r1, hz, v->inv_sr, x1, n);
    saw(&v->o2, v->r2, hz, v->inv_sr, x2, n);
    for (int j = 0; j < n; j++)     /* mix levels ramped across the tick (0 while they hold) */
        mix[j] = x1[j] * (v->g1 + v->dg1 * j) + x2[j] * (v->g2 + v->dg2 * j);
    svf_t *c = &v->cur; const svf_t *dc = &v->step;
    float s1 = v->s1, s2 = v->s2, env = v->env, dec = v->dec;
    int stage = v->stage;
    for (int j = 0; j < n; j++) {
        float x = mix[j];
        float y = c->c0 * x + c->c1 * s1 + c->c2 * s2;
        float b = c->a11 * s1 + (c->a12 * s2 + c->b1 * x);
        s2 = c->a21 * s1 + (c->a22 * s2 + c->b2 * x);
        s1 = b;
        c->a11 += dc->a11; c->a12 += dc->a12; c->b1 += dc->b1;
        c->a21 += dc->a21; c->a22 += dc->a22; c->b2 += dc->b2;
        c->c0 += dc->c0; c->c1 += dc->c1; c->c2 += dc->c2;
        if (stage == 1) {
            env += v->attack_inc;
            if (env >= 1.0f) { env = 1.0f; stage = 2; dec = 1.0f - v->sustain; }
        } else {
            dec *= v->decay_coef;
            env = v->sustain + dec;
        }
        y *= env;
        out_l[j] += y * (v->gl + v->dgl * j);   /* output gains ramped across the tick */
        out_r[j] += y * (v->gr + v->dgr * j);
    }
    v->s1 = s1; v->s2 = s2; v->env = env; v->dec = dec; v->stage = stage;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int nvoices = argc > 1 ? atoi(argv[1]) : 64;
    double seconds = argc > 2 ? atof(argv[2]) : 20.0;
    float sr = argc > 3 ? (float)atof(argv[3]) : 48000.0f;
    voice_t *voices = calloc(nvoices, sizeof(voice_t));
    float out_l[CHUNK], out_r[CHUNK];
    double sink = 0.0;
    for (int k = 0; k < nvoices; k++) {
        voice_t *v = &voices[k];
        v->sr = sr; v->inv_sr = 1.0f / sr;
        v->hz = 440.0f * exp2f((36 + k % 25 - 69) / 12.0f);
        v->r1 = 1.0f; v->r2 = exp2f(7.0f / 1200.0f);
        v->g1 = 0.8f; v->g2 = 0.8f;
        v->o1.phase = 0.0; v->o2.phase = 0.0;
        v->k = 1.2f; v->key = -1.0f;
        v->base_oct = log2f(1000.0f); v->env_oct = 2.0f; v->lfo_oct = 0.5f;
        v->stage = 1; v->attack_inc = 1.0f / 96.0f;
        v->decay_coef = expf(-6.907755f / (0.3f * sr)); v->sustain = 0.7f;
        v->env2_stage = 1; v->env2_inc = CHUNK / (0.001f * sr);
        v->env2_coef = expf(-6.907755f * CHUNK / (0.4f * sr)); v->env2_sus = 0.2f;
        v->lfo_inc = 2.0 * CHUNK / sr;
        v->tgl = 0.35f; v->tgr = 0.35f;
        control(v);
        v->cur = v->tgt;
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
    return 0;
}
