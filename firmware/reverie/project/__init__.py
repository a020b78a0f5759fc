"""Projects: the data model, its storage, and putting it into the engine.

    project = load_project("path/to/project")          # folder or project.json; UserError if bad
    save_project(project, "path/to/project")           # atomic
    sounds = load_sounds(project, folder, engine_rate)  # worker thread: decodes the samples
    apply_project(engine, project, sounds)              # control thread: buffers and parameters

The engine's sequencer plays the patterns: see reverie.seq.driver.Sequencer.
"""
from reverie.project.loader import SETTLE_SECONDS, apply_project, load_sounds
from reverie.project.model import FORMAT, VERSION, Project, Step, Track
from reverie.project.store import load_project, project_folder, save_project

__all__ = ["FORMAT", "VERSION", "Project", "Step", "Track", "load_project", "save_project",
           "project_folder", "load_sounds", "apply_project", "SETTLE_SECONDS"]
