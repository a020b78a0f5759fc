"""The pages, one module each. `all_pages()` finds every Page subclass here, keyed by the page
key that opens it ("PATTERN", "SOUND", ...; pages reached otherwise have other names)."""
from __future__ import annotations

import importlib
import pkgutil

from reverie.ui.page import Page


def all_pages() -> dict[str, type[Page]]:
    found: dict[str, type[Page]] = {}
    for mod in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{mod.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Page) and obj is not Page and obj.name:
                if obj.name in found and found[obj.name] is not obj:
                    raise ValueError(f"two pages are named {obj.name}")
                found[obj.name] = obj
    return found
