"""Pure drawing: a view model in, a 128x64 1-bit PIL image out (render)."""
from reverie.ui.draw.canvas import HEIGHT, WIDTH, Canvas, drawer, render

__all__ = ["HEIGHT", "WIDTH", "Canvas", "drawer", "render"]
