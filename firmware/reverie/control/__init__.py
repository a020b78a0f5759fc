"""The control thread: input events in (queue.py), the UI's effects carried out on the engine,
the sequencer and the worker (apply.py, jobs.py), telemetry turned into the UI's Status
(telemetry.py), and the loop that does it all in order each tick (loop.py)."""
