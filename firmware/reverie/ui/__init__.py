"""The user interface: a pure state machine (input events -> model changes, engine effects and
a view model) and pure drawing (view model -> 128x64 1-bit image). No I/O, no hardware.

    ui = UI(project, box_caps)           # machine.py
    effects = ui.handle(event)           # events.py in, effects.py out
    ui.update(status)                    # telemetry snapshot (status.py), once per control tick
    image = render(ui.view())            # draw/ (on the display thread)
"""
