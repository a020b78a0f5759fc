"""The simulator's key map as data: which computer key plays which pad, key or encoder.

Key names are the typed character ("q", "5", "/") or a named key ("space", "Tab", "Return",
"BackSpace", "Left", "Right", "C-c"). The terminal reader and the window both translate what
they receive into these names; the help under the screen and docs/simulator.md are generated
from the same tables, so they cannot disagree with the code.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import ENCODERS, KEYS, PADS

PAD, KEY, TURN, SHIFT, HOLD, HELP, QUIT = "pad", "key", "turn", "shift", "hold", "help", "quit"

PAD_ROWS = ("1234", "qwer", "asdf", "zxcv")       # pads 1..16, left to right, top to bottom
HARD_ROW = "!@#$"                                  # shifted 1234 on a US keyboard
VELOCITY, HARD_VELOCITY = 100, 127
PAGE_KEYS = dict(zip("567890-=", ("PATTERN", "SOUND", "MIXER", "SONG",
                                  "SAMPLE", "PROJECT", "SETTINGS", "SYSTEM")))
FUNCTION_KEYS = {"space": "PLAY", "BackSpace": "STOP", "Return": "REC", "/": "FUNC",
                 "Left": "LEFT", "Right": "RIGHT"}
# one column of the keyboard per encoder: clockwise, counter-clockwise, push
ENCODER_COLUMNS = (("y", "h", "n"), ("u", "j", "m"), ("i", "k", ","), ("o", "l", "."))
FAST_DETENTS = 5                                   # a capital turn key turns this many clicks
SHIFT_KEY, HOLD_KEY, HELP_KEY = "Tab", "`", "?"
QUIT_KEYS = ("C-c", "C-d")


@dataclass(frozen=True)
class Binding:
    kind: str                 # PAD, KEY, TURN, SHIFT, HOLD, HELP or QUIT
    target: int | str = 0     # pad 0..15, a name of events.KEYS, or encoder 0..3
    amount: int = 0           # pad velocity, or signed detents


def build_keymap() -> dict[str, Binding]:
    keymap: dict[str, Binding] = {}
    for row, keys in enumerate(PAD_ROWS):
        for column, key in enumerate(keys):
            pad = row * 4 + column
            keymap[key] = Binding(PAD, pad, VELOCITY)
            hard = HARD_ROW[column] if row == 0 else key.upper()
            keymap[hard] = Binding(PAD, pad, HARD_VELOCITY)
    for key, name in {**PAGE_KEYS, **FUNCTION_KEYS}.items():
        keymap[key] = Binding(KEY, name)
    for encoder, (up, down, push) in enumerate(ENCODER_COLUMNS):
        keymap[up] = Binding(TURN, encoder, 1)
        keymap[down] = Binding(TURN, encoder, -1)
        keymap[up.upper()] = Binding(TURN, encoder, FAST_DETENTS)
        keymap[down.upper()] = Binding(TURN, encoder, -FAST_DETENTS)
        keymap[push] = Binding(KEY, f"ENC{encoder + 1}")
    keymap[SHIFT_KEY] = Binding(SHIFT, "SHIFT")
    keymap[HOLD_KEY] = Binding(HOLD)
    keymap[HELP_KEY] = Binding(HELP)
    for key in QUIT_KEYS:
        keymap[key] = Binding(QUIT)
    assert len(ENCODER_COLUMNS) == ENCODERS and len("".join(PAD_ROWS)) == PADS
    assert all(b.target in KEYS for b in keymap.values() if b.kind in (KEY, SHIFT))
    return keymap


KEYMAP = build_keymap()


def shown(key: str) -> str:
    """How a key is written for a person: "space", "Tab", "←", "Ctrl-C", "q"."""
    return {"Left": "←", "Right": "→", "C-c": "Ctrl-C", "C-d": "Ctrl-D", "BackSpace": "Bksp",
            "Return": "Enter"}.get(key, key)


def help_lines() -> list[str]:
    """The map in a few lines of at most 64 characters (the braille screen's width)."""
    pages = [f"{key} {name.lower()}" for key, name in PAGE_KEYS.items()]
    keys = [f"{shown(key)} {name.lower()}" for key, name in FUNCTION_KEYS.items()]
    encoders = " ".join(f"{up}{down}{push}" for up, down, push in ENCODER_COLUMNS)
    return [
        f"pads {' '.join(PAD_ROWS)}  hard hit: capital or {HARD_ROW}",
        "  ".join(pages[:4]) + "  " + "  ".join(pages[4:6]),
        "  ".join(pages[6:]) + "  " + "  ".join(keys[:3]),
        "  ".join(keys[3:]) + f"  {SHIFT_KEY} shift on/off  {HOLD_KEY} hold next key",
        f"encoders 1-4 {encoders} (+1 -1 push, capital {FAST_DETENTS} clicks)",
        f"{HELP_KEY} hide keys  " + "/".join(shown(k) for k in QUIT_KEYS) + " quit",
    ]


def code(key: str) -> str:
    """A key as Markdown code, table-safe."""
    return "`` ` ``" if key == "`" else f"`{shown(key)}`".replace("|", "\\|")


def keys_for(kind: str, target, amount=None) -> list[str]:
    return [key for key, b in KEYMAP.items()
            if b.kind == kind and b.target == target and (amount is None or b.amount == amount)]


def key_map_markdown() -> str:
    """The full map as Markdown tables (pads, encoders, keys), built from KEYMAP."""
    out = ["| pads | column 1 | column 2 | column 3 | column 4 |", "|---|---|---|---|---|"]
    for row in range(PADS // 4):
        cells = [" / ".join(code(k) for k in keys_for(PAD, pad)) for pad in range(row * 4, row * 4 + 4)]
        out.append(f"| {row * 4 + 1}–{row * 4 + 4} | " + " | ".join(cells) + " |")
    out += ["", f"| encoder | +1 | −1 | +{FAST_DETENTS} | −{FAST_DETENTS} | push |", "|---|---|---|---|---|---|"]
    for enc in range(ENCODERS):
        turns = [" ".join(code(k) for k in keys_for(TURN, enc, n))
                 for n in (1, -1, FAST_DETENTS, -FAST_DETENTS)]
        push = " ".join(code(k) for k in keys_for(KEY, f"ENC{enc + 1}"))
        out.append(f"| {enc + 1} | " + " | ".join(turns) + f" | {push} (ENC{enc + 1}) |")
    out += ["", "| key | does |", "|---|---|"]
    for name in KEYS:
        if keys_for(KEY, name) and not name.startswith("ENC"):
            out.append(f"| {' '.join(code(k) for k in keys_for(KEY, name))} | {name} |")
    notes = {SHIFT: "SHIFT: the first press holds it, the next lets go (in the window: down while Tab is down)",
             HOLD: "hold the next key down until the key after it has been pressed (or `` ` `` again)",
             HELP: "show or hide the key map under the screen", QUIT: "quit"}
    for kind, note in notes.items():
        keys = [k for k, b in KEYMAP.items() if b.kind == kind]
        out.append(f"| {' '.join(code(k) for k in keys)} | {note} |")
    return "\n".join(out)
