"""SHIFT help: what each control does, on the page shown or anywhere (GLOBAL), as a Card.

A page's `help` is read first, then GLOBAL (and ONE_ENCODER for ENC1 on a box with fewer
than four encoders). With FUNC held, "FUNC+<control>" is looked up before "<control>". An
encoder's text may describe both gestures as "turn: ...; push: ..."; the card keeps the
part about the gesture made. A card shows 4 lines of CARD_CHARS characters.
"""
from __future__ import annotations

import re
import textwrap

from reverie.ui.view import Card

CARD_CHARS = 20
CARD_LINES = 4

GLOBAL = {
    "PLAY": "Play; again: stop. FUNC+PLAY: continue from where it stopped.",
    "STOP": "Stop. When stopped: let go of every note pads and keys hold.",
    "REC": "Live recording on or off: notes played while playing become steps.",
    "SHIFT": "Hold, then press, turn or hit a control to read what it does.",
    "FUNC": "Hold for more: +pad selects a track, +LEFT undo, +RIGHT redo.",
    "PATTERN": "The pattern page: the focused track's steps, 16 at a time.",
    "SOUND": "The sound page: the focused track's instrument parameters.",
    "MIXER": "The mixer: levels, meters, mutes and sends of the 16 tracks.",
    "SONG": "The song page: chains of patterns and songs.",
    "SAMPLE": "The sample browser: put a sample on the focused track.",
    "PROJECT": "The project page: save, load and start projects.",
    "SETTINGS": "The settings page: how this box behaves.",
    "SYSTEM": "The system page: load, devices, version.",
    "LEFT": "Move left on this page. FUNC+LEFT: undo the last edit.",
    "RIGHT": "Move right on this page. FUNC+RIGHT: redo what was undone.",
    "FUNC+LEFT": "Undo the last edit.",
    "FUNC+RIGHT": "Redo the edit undone last.",
    "FUNC+PLAY": "Continue playing from where it stopped.",
    "FUNC+REC": "Keep the last seconds you played: a new sample, and the audio log.",
    "FUNC+PATTERN": "Keep the notes you played lately as a new pattern. Undo takes it back.",
    "ENC1": "Push: the page's action, if any. Hold or FUNC+push: the menu.",
    "ENC2": "Push: the page's action for this field, if any.",
    "ENC3": "Push: the page's action for this field, if any.",
    "ENC4": "Push: the page's action for this field, if any.",
    "FUNC+ENC1": "Open the menu of pages and actions.",
    "ENC1 TURN": "Edit the page's first field.",
    "ENC2 TURN": "Edit the page's second field.",
    "ENC3 TURN": "Edit the page's third field.",
    "ENC4 TURN": "Edit the page's fourth field.",
    "POWER": "Hold: save the project and stop the box; then switch it off.",
    "PADS": "Play the pad's track (pad 1 plays track 1).",
    "FUNC+PADS": "Select the pad's track: the pages show and edit it.",
}

ONE_ENCODER = {
    "ENC1": "Click: next field. Hold+turn: left, right. Hold: menu. Double: push.",
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
    m = re.search(r"(^|;\s*)push:\s*", text, re.IGNORECASE)
    if not gesture or m is None:
        return text
    part = text[m.end():] if gesture == "push" else text[:m.start()]
    part = re.sub(r"^turn:\s*", "", part.strip(), flags=re.IGNORECASE)
    return part[:1].upper() + part[1:] if part else text


def card(title: str, text: str) -> Card:
    return Card(title=title, lines=wrap(text))


def wrap(text: str, lines: int = CARD_LINES) -> tuple[str, ...]:
    """`text` in lines of CARD_CHARS; the last one ends in "~" when there is more."""
    out = textwrap.wrap(text, CARD_CHARS) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:CARD_CHARS - 1] + "~"
    return tuple(out)
