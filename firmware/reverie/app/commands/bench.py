"""`reverie bench`: named performance scenarios, each figure printed with its unit."""
from __future__ import annotations

import json
import os

from reverie.base.errors import UserError


def _voices_64(args):
    from reverie.app.bench.engine import voices_64
    return voices_64(seconds=args.seconds or 5.0)


def _synth_64(args):
    from reverie.app.bench.synth import synth_64
    return synth_64(seconds=args.seconds or 5.0)


def _drums_64(args):
    from reverie.app.bench.drums import drums_64
    return drums_64(seconds=args.seconds or 1.0)


def _fm_64(args):
    from reverie.app.bench.fm import fm_64
    return fm_64(seconds=args.seconds or 5.0)


def _bass_16(args):
    from reverie.app.bench.bass import bass_16
    return bass_16(seconds=args.seconds or 5.0)


def _stage(args):
    from reverie.app.bench.engine import stage
    return stage(seconds=args.seconds or 10.0)


def _callback(args):
    from reverie.app.bench.callback import run_callback_bench
    return run_callback_bench(seconds=args.seconds or 30.0, period=args.period)


def _seq_onsets(args):
    from reverie.app.bench.seq import seq_onsets
    return seq_onsets(seconds=args.seconds or 20.0)


def _seq_stage(args):
    from reverie.app.bench.seq import seq_stage
    return seq_stage(seconds=args.seconds or 10.0)


def _midi_clock_in(args):
    from reverie.app.bench.clock_in import midi_clock_in
    return midi_clock_in()


def _midi_clock(args):
    from reverie.app.bench.midi_clock import run_midi_clock_bench
    return run_midi_clock_bench(seconds=args.seconds or 60.0, period=args.period)


def _seqlock(args):
    from reverie.app.bench.seqlock import seqlock
    return seqlock(seconds=args.seconds or 5.0)


def _audio_recovery(args):
    from reverie.app.bench.audio_recovery import run_audio_recovery_bench
    return run_audio_recovery_bench(cycles=args.cycles)


def _units(args):
    from reverie.app.bench.units import units
    return units(seconds=args.seconds or 1.0)


def _ui(args):
    from reverie.app.bench import collect, control, controllers, gpio, pads, ui

    out = {f"draw_{k}": v for k, v in ui.run(iterations=2000).items()}
    out.update({f"control_{k}": v for k, v in control.run(events=1000).items()})
    out.update({f"gpio_{k}": v for k, v in gpio.run(seconds=args.seconds or 2.0).items()})
    out.update({f"pad_{k}": v for k, v in pads.run(seconds=args.seconds or 2.0).items()})
    out.update({f"midi_{k}": v for k, v in controllers.run(seconds=args.seconds or 2.0).items()})
    out.update({f"gc_{k}": v for k, v in collect.run().items()})
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


def _startup(args):
    from reverie.app.bench.startup import startup
    return startup(runs=args.runs)


def _autosave_kill(args):
    from reverie.app.bench.autosave_kill import run, stop_round
    out = run(rounds=args.kills)
    out.update({f"sigterm_{k}": v for k, v in stop_round().items()})
    return out


def _capture(args):
    from reverie.app.bench.capture import capture
    return capture(seconds=args.seconds or 5.0)


def _multisample_64(args):
    from reverie.app.bench.multisample import multisample_64
    return multisample_64(seconds=args.seconds or 3.0)


SCENARIOS = {
    "voices-64": (_voices_64, "64 looping stereo voices: ns per voice-sample vs a plain C loop"),
    "synth-64": (_synth_64, "64 synth voices: ns per voice-sample vs a plain C loop, and the declared "
                 "graph vs the same voice hand-written in Cython"),
    "multisample-64": (_multisample_64, "64 multisample voices on looping zones vs 64 sampler voices, same run"),
    "drums-64": (_drums_64, "64 drum voices (16 kits of kick, snare, tom, hat): ns per voice-sample, "
                 "and each drum alone"),
    "fm-64": (_fm_64, "64 fm voices (four operators each): ns per voice-sample, real-time factor"),
    "bass-16": (_bass_16, "16 tracks of bass lines with accents and slides, and 64 bass voices on one track"),
    "stage": (_stage, "16 tracks, 64 voices, sends, compressor, limiter: real-time factor, block times"),
    "callback": (_callback, "the C callback on a JACK dummy server while Python holds the GIL"),
    "seq-onsets": (_seq_onsets, "sequencer onsets against their ideal frames, offline and in the live callback"),
    "seq-stage": (_seq_stage, "stage plus 16 x 128 steps of p-locks and retrigs: the sequencer's cost"),
    "midi-clock-in": (_midi_clock_in, "MIDI clock follower: tempo and phase errors, lock time, live on JACK"),
    "midi-clock": (_midi_clock, "MIDI clock out at 120 BPM: send-time error against the sample clock, intervals received"),
    "seqlock": (_seqlock, "the engine's seqlocks (clock and sequencer anchors) under a racing writer: torn reads"),
    "audio-recovery": (_audio_recovery, "a JACK server stopped and started again under the box's audio: "
                       "time to notice, time until it plays again, the engine's clock against the wall"),
    "units": (_units, "each DSP unit of core/units/ (oscillators, filters, envelopes, ...): ns per sample"),
    "ui": (_ui, "screens drawn (view -> image), input event -> engine command on the control thread, "
                "GPIO scan and key/encoder latency, pad edge -> note in the engine, MIDI controller latency "
                "and hot-plug time"),
    "startup": (_startup, "reverie run from process start to the first audio callback with the last project "
                          "(median and max of --runs), where the time goes, and SIGTERM to exit"),
    "capture": (_capture, "the capture ring's write per callback (ns per frame), one press (60 s to WAV and "
                          "FLAC), the ring under a racing writer (bad frames), the tempo read from a played phrase"),
    "autosave-kill": (_autosave_kill, "a box edited through its terminal and SIGKILLed at random moments "
                                      "(--kills times, ~2.5 s each): projects that load and equal a state it was in"),
}


def add_parser(sub):
    p = sub.add_parser("bench", help="measure the engine",
                       description="Run named benchmark scenarios and print their figures. "
                       + " ".join(f"{k}: {v[1]}." for k, v in SCENARIOS.items()))
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help=f"one or more of {', '.join(SCENARIOS)} (default: all)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--seconds", type=float, default=None, help="audio seconds per scenario")
    p.add_argument("--period", type=int, default=128, help="callback scenario: JACK period in frames")
    p.add_argument("--runs", type=int, default=10, help="startup scenario: how many starts")
    p.add_argument("--kills", type=int, default=200, help="autosave-kill scenario: how many kills")
    p.add_argument("--cycles", type=int, default=5, help="audio-recovery scenario: server restarts")
    p.add_argument("--cpu", type=int, default=None,
                   help="pin the benchmark to this CPU core (default: the last core)")
    return p


def run(args) -> int:
    names = args.scenarios or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise UserError(f"unknown scenario {unknown[0]!r}; choose from {', '.join(SCENARIOS)}")
    if args.seconds is not None and not 0.1 <= args.seconds <= 600:
        raise UserError("--seconds must be between 0.1 and 600")
    cores = sorted(os.sched_getaffinity(0))
    core = cores[-1] if args.cpu is None else args.cpu
    if core not in cores:
        raise UserError(f"--cpu {core} is not one of this machine's cores {cores}")
    os.sched_setaffinity(0, {core})            # "on one core": the figures are per core
    results = {}
    for name in names:
        results[name] = SCENARIOS[name][0](args)
        if not args.json:
            print(format_result(name, results[name]), flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


def format_result(name: str, figures: dict) -> str:
    lines = [f"{name}:"]
    lines += [f"  {key:34s} {value}" for key, value in figures.items()]
    return "\n".join(lines)
