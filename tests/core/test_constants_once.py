"""The engine's constants are defined once, in core/defs.pxd, and Python reads them from
reverie.core.defs (design §5). This test reads every module of the package with `ast` and
fails where a module binds a constant to a number that re-defines one of them:

- by name: an engine constant's own name bound to a number, or worked out from another
  with a number (`MAX_STEPS = 128`, `TICKS_PER_BEAT = 4 * STEP_TICKS`);
- by words and value: a name made only of an engine size's words, holding its value
  (`TRACKS = 16` for `MAX_TRACKS`, `MAX_NOTES = 4` for `STEP_NOTES`);
- by value alone: a length of musical time in ticks (`TICKS_PER_STEP = 14400`), numbers
  that nothing but the sequencer's time model uses.

A number is a literal or arithmetic on literals (`128 * 96`). A binding that reads the
engine (`MAX_STEPS = SIZES["MAX_STEPS"]`) is the way it should be and is never flagged;
neither are lower-case names (locals, not constants) or numbers in calls and tables.
"""
from __future__ import annotations

import ast
import operator
from enum import IntEnum
from pathlib import Path

import reverie
from reverie.core import defs

PACKAGE = Path(reverie.__file__).parent
GENERIC_WORDS = {"MAX", "N", "PER"}     # say "a limit" or "a count", not of what
OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
             ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
             ast.Pow: operator.pow, ast.LShift: operator.lshift, ast.RShift: operator.rshift}


def engine_constants() -> tuple[dict[str, int], dict[str, int], dict[int, str]]:
    """(every named constant, the sizes and limits, the tick lengths by value)."""
    enums = [e for e in vars(defs).values()
             if isinstance(e, type) and issubclass(e, IntEnum) and e is not IntEnum]
    named = {m.name: int(m) for e in enums for m in e} | dict(defs.SIZES)
    ticks = {value: name for name, value in defs.SIZES.items() if "TICKS" in name.split("_")}
    for speed, value in defs.SPEED_TICKS.items():
        ticks.setdefault(value, f"SPEED_TICKS[{speed.name}]")
    return named, dict(defs.SIZES), ticks


def words(name: str) -> set[str]:
    """The words of a name that say what it counts, singular: MAX_TRACKS -> {"TRACK"}."""
    return {w.removesuffix("S") for w in name.split("_") if w} - GENERIC_WORDS - {""}


def number(node: ast.expr) -> int | float | None:
    """The value of a numeric literal or of arithmetic on literals; None for anything else."""
    if isinstance(node, ast.Constant):
        ok = isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
        return node.value if ok else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = number(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        left, right = number(node.left), number(node.right)
        if left is None or right is None:
            return None
        try:
            return OPERATORS[type(node.op)](left, right)
        except (ArithmeticError, ValueError):
            return None
    return None


def has_literal(node: ast.expr) -> bool:
    """Arithmetic with a number in it: `4 * STEP_TICKS`."""
    if isinstance(node, ast.BinOp):
        return has_literal(node.left) or has_literal(node.right)
    if isinstance(node, ast.UnaryOp):
        return has_literal(node.operand)
    return number(node) is not None


def bindings(tree: ast.AST):
    """(line, name, value node) of every plain name bound by an assignment, at any depth;
    `A, B = 1, 2` binds each name to its own value."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            pairs = [(node.target, node.value)]
        else:
            continue
        while pairs:
            target, value = pairs.pop()
            if isinstance(target, ast.Name):
                yield node.lineno, target.id, value
            elif (isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
                  and len(target.elts) == len(value.elts)):
                pairs.extend(zip(target.elts, value.elts))


def redefinitions(source: str, where: str = "<source>") -> list[str]:
    """One line per constant in `source` that re-defines an engine constant."""
    named, sizes, ticks = engine_constants()
    found = []
    for line, name, node in bindings(ast.parse(source)):
        value = number(node)
        if not name.isupper():
            continue
        if name in named and has_literal(node):
            engine = name
            value = ast.unparse(node) if value is None else value
        elif value is None:
            continue
        elif value in ticks:
            engine = ticks[value]
        else:
            engine = next((size for size, v in sizes.items()
                           if v == value and words(name) and words(name) <= words(size)), None)
        if engine is not None:
            found.append(f"{where}:{line}: {name} = {value} re-defines the engine's {engine}; "
                         f"import it from reverie.core.defs")
    return found


def test_no_module_redefines_an_engine_constant():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += redefinitions(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert found == []


def test_the_check_catches_planted_redefinitions_and_nothing_else():
    planted = """
TICKS_PER_STEP = 14400          # a tick length, under another name
TICKS_PER_CLOCK = 2400
BAR = 4 * 57600                 # arithmetic on literals: 230400 is no engine number
HALF = 57600 // 2 + 0           # 28800: a 1/2x step
MAX_STEPS = 128                 # an engine name
P_CUTOFF = 15
TRACKS = 16                     # a word and the value of MAX_TRACKS
MAX_NOTES = 4                   # of STEP_NOTES
PORT, ALL_PORTS = 0, 255        # unpacked
TICKS_PER_BEAT = 4 * TICKS_PER_STEP     # worked out with a number
class Page:
    ROWS: int = 256             # of MAX_ROWS, in a class
"""
    found = redefinitions(planted)
    assert [f.split(": ")[1].split(" re-defines")[0] for f in found] == [
        "TICKS_PER_STEP = 14400", "TICKS_PER_CLOCK = 2400", "HALF = 28800", "MAX_STEPS = 128",
        "P_CUTOFF = 15", "TRACKS = 16", "MAX_NOTES = 4", "ALL_PORTS = 255",
        "TICKS_PER_BEAT = 4 * TICKS_PER_STEP", "ROWS = 256"]
    assert "re-defines the engine's STEP_TICKS" in found[0]
    assert "SPEED_TICKS[SPEED_1_2]" in found[2]
    assert "MAX_TRACKS" in found[5]

    innocent = """
MAX_STEPS = SIZES["MAX_STEPS"]  # read from the engine
TRACKS = MAX_TRACKS
PADS = 16                       # 16, but no engine word
SAMPLE_RATE_HZ = 48000
MAX_CHAIN = 64
TRACK_GAIN_DB = 6               # a shared word, another value
NOTES_PER_TRACK = 4             # the value of STEP_NOTES, but a name that says more
steps = 128                     # a local, not a constant
LENGTHS = (96, 14400)           # a table
def f(x=14400):
    return g(128, 57600)
"""
    assert redefinitions(innocent) == []


def test_the_engine_constants_are_read_from_the_compiled_core():
    named, sizes, ticks = engine_constants()
    assert named["STEP_TICKS"] == defs.SIZES["STEP_TICKS"] == 14400
    assert named["P_CUTOFF"] == defs.TrackParam.P_CUTOFF
    assert set(ticks) == {2400, 7200, 9600, 14400, 19200, 28800, 57600, 115200}
