"""Golden screens: a rendered image must equal tests/ui/golden/<name>.png pixel for pixel.

Regenerate after an intended change, then look at every changed PNG before committing:

    REVERIE_REGEN_GOLDENS=1 .venv/bin/python -m pytest -q tests/ui tests/app/test_app_ui.py
"""
from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageChops

GOLDEN = Path(__file__).resolve().parent / "golden"
REGEN = "REVERIE_REGEN_GOLDENS=1 .venv/bin/python -m pytest -q tests/ui tests/app/test_app_ui.py"


def assert_golden(image: Image.Image, name: str) -> None:
    path = GOLDEN / f"{name}.png"
    # Drawing with fill=1 stores 1 in a "1" image where a loaded PNG holds 255: compare lit/unlit.
    image = image.convert("L").point(lambda v: 255 if v else 0).convert("1")
    if os.environ.get("REVERIE_REGEN_GOLDENS") == "1":
        GOLDEN.mkdir(exist_ok=True)
        image.save(path)
        return
    assert path.exists(), f"no golden screen {path.name}; make it with: {REGEN}"
    want = Image.open(path).convert("1")
    assert want.size == image.size, f"{name}: size {image.size} != golden {want.size}"
    diff = ImageChops.difference(want, image).getbbox()
    assert diff is None, (f"{name}: the screen differs from {path.name} in the box {diff}; "
                          f"if the change is intended, regenerate and look at it: {REGEN}")
