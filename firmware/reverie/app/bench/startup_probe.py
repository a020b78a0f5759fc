"""`reverie run` with a stopwatch on each start step, for `reverie bench startup`.

    python -X importtime -m reverie.app.bench.startup_probe MARKS.json SINCE -- RUN ARGS...

SINCE is time.monotonic() in the bench just before it started this process (the clock is the
system's, the same in both). The probe wraps the steps of BoxApp.start() that the breakdown
names (engine, project, audio open, first callback), runs the real `reverie run` command,
stops at READY instead of playing on, and writes the marks as JSON. Import times come from
`-X importtime` on stderr, which the bench reads.
"""
import time

STARTED = time.monotonic()      # before anything else is imported

import functools  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

SPANS = ("engine", "project", "audio_open", "first_callback")


def main(argv: list[str]) -> int:
    out, since, run_args = argv[0], float(argv[1]), argv[3:]
    spans = dict.fromkeys(SPANS, 0.0)
    marks = {"since": since, "python": STARTED}
    lock = threading.Lock()

    def timed(owner, name: str, span: str):
        real = getattr(owner, name)

        @functools.wraps(real)
        def wrapper(*args, **kwargs):
            t0 = time.monotonic()
            try:
                return real(*args, **kwargs)
            finally:
                with lock:
                    spans[span] += time.monotonic() - t0
        setattr(owner, name, wrapper)

    from reverie.app import boot, cli
    from reverie.hal import service
    from reverie.hal.audio import output
    from reverie.seq import load

    timed(boot, "make_engine", "engine")
    timed(boot, "load_project_sounds", "project")      # on the worker thread, waited for
    timed(load, "apply_project", "project")
    timed(output, "open_output", "audio_open")
    timed(output.AudioOutput, "start", "audio_open")
    timed(boot.BoxApp, "_wait_first_callback", "first_callback")

    init = boot.BoxApp.__init__

    def box_init(self, *args, **kwargs):
        marks.setdefault("box_app", time.monotonic())
        init(self, *args, **kwargs)
    boot.BoxApp.__init__ = box_init

    ready = service.ServiceNotifier.ready

    def at_ready(self, *args, **kwargs):
        marks.setdefault("ready", time.monotonic())
        ready(self, *args, **kwargs)
    service.ServiceNotifier.ready = at_ready
    boot.BoxApp.loop = lambda self, seconds=None: None     # READY is the end of the start

    code = cli.main(["run", *run_args])
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"marks": marks, "spans": spans}, f)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
