from pathlib import Path


def unit_include() -> list[str]:
    """Where a unit built outside the core finds unit_abi.h (C) and reverie/core/unit_abi.pxd
    (Cython): pass it as include_dirs and cythonize's include_path (docs/instrument-api.md)."""
    core = Path(__file__).resolve().parent
    return [str(core), str(core.parent.parent)]
