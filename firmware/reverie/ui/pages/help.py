"""SHIFT help: what each control does, on the page shown or anywhere (GLOBAL), as a Card.

A page's `help` is read first, then GLOBAL (and ONE_ENCODER for ENC1 on a box with fewer
than four encoders). With FUNC held, "FUNC+<control>" is looked up before "<control>". An
encoder's text may describe both gestures as "turn: ...; push: ..."; the card keeps the
part about the gesture made. A card shows 4 lines of CARD_CHARS characters.
"""
from __future__ import annotations

import textwrap

from reverie.ui.view import Card

CARD_CHARS = 20
CARD_LINES = 4

GLOBAL = {
    "PLAY": "Start the pattern; again: stop. FUNC+PLAY: continue from where it stopped.",
    "STOP": "Stop. When stopped: release every note held by pads and keys.",
    "REC": "Live recording on/off: pads and keys played while playing become steps.",
    "SHIFT": "Hold and press any control to read what it does here.",
    "FUNC": "Hold for second functions: FUNC+pad selects a track; FUNC+LEFT/RIGHT undo/redo.",
    "PATTERN": "The pattern page: the focused track's 16 steps.",
    "SOUND": "The sound page: the focused track's instrument, 4 parameters a screen.",
    "MIXER": "The mixer: levels, meters, mutes and sends of all 16 tracks.",
    "SONG": "The song page: chains and songs.",
    "SAMPLE": "The sample browser: put a sample on the focused track.",
    "PROJECT": "The project page: save, load and start projects.",
    "SETTINGS": "The settings page: the box's settings.",
    "SYSTEM": "The system page: load, devices and version.",
    "LEFT": "Move left on this page. FUNC+LEFT: undo the last edit.",
    "RIGHT": "Move right on this page. FUNC+RIGHT: redo what was undone.",
    "FUNC+LEFT": "Undo the last edit.",
    "FUNC+RIGHT": "Redo the edit undone last.",
    "FUNC+PLAY": "Continue playing from where it stopped.",
    "ENC1": "Push: a page's action. Hold (or FUNC+push): the page menu.",
    "ENC2": "Push: the page's action for this encoder's field, if it has one.",
    "ENC3": "Push: the page's action for this encoder's field, if it has one.",
    "ENC4": "Push: the page's action for this encoder's field, if it has one.",
    "ENC1 TURN": "Turn: edit the first field shown at the bottom of the page.",
    "ENC2 TURN": "Turn: edit the second field shown on the page.",
    "ENC3 TURN": "Turn: edit the third field shown on the page.",
    "ENC4 TURN": "Turn: edit the fourth field shown on the page.",
    "PADS": "Play the pad's track (pad 1 = track 1).",
    "FUNC+PADS": "Select the pad's track: the track pages show and edit.",
}

ONE_ENCODER = {
    "ENC1": "Click: next field. Hold+turn: left/right. Hold 1/2 s: the menu.",
}


def lookup(page_help, control: str, func: bool = False, one_encoder: bool = False) -> str:
    """The text for `control` ("PLAY", "ENC2 TURN", "ENC2 PUSH", "PADS")."""
    gesture = ""
    if control.endswith((" TURN", " PUSH")):
        control, gesture = control[:-5], control[-4:].lower()
    tables = [page_help]
    if one_encoder:
        tables.append(ONE_ENCODER)
    tables.append(GLOBAL)
    for table in tables:
        names = [control]
        if gesture:
            names = [f"{control} {gesture.upper()}", control]
            if table is GLOBAL and gesture == "turn":
                names = [f"{control} TURN"]
        if func:
            names = [f"FUNC+{n}" for n in names] + names
        for name in names:
            if name in table:
                return _gesture_part(table[name], gesture)
    return "Nothing here."


def _gesture_part(text: str, gesture: str) -> str:
    """From "turn: a; push: b" the part for the gesture made; the whole text otherwise."""
    parts = [p.strip() for p in text.split(";")]
    tagged = {p.split(":", 1)[0].strip().lower(): p for p in parts if ":" in p}
    if gesture and gesture in tagged and len(tagged) > 1:
        return tagged[gesture][0].upper() + tagged[gesture][1:]
    return text


def card(title: str, text: str) -> Card:
    return Card(title=title, lines=wrap(text))


def wrap(text: str, lines: int = CARD_LINES) -> tuple[str, ...]:
    """`text` in lines of CARD_CHARS; the last one ends in "~" when there is more."""
    out = textwrap.wrap(text, CARD_CHARS) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:CARD_CHARS - 1] + "~"
    return tuple(out)
