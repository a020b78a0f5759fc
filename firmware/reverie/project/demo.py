"""The demo project that ships with Reverie: a two-bar groove on the factory kit."""
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "shipped" / "demo"


def demo_project_path() -> Path:
    """The demo's folder (it holds project.json; its sounds are "factory:" references)."""
    return DEMO_DIR
