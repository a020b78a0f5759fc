"""Projects: the data model, its storage and the sounds it names.

    project = load_project("path/to/project")          # folder or project.json; UserError if bad
    save_project(project, "path/to/project")           # atomic
    sounds = load_sounds(project, folder, engine_rate)  # worker thread: decodes the samples

Putting it into an engine is the sequencer's side: reverie.seq.load.apply_project, and
reverie.seq.driver.Sequencer plays the patterns.
"""
from reverie.project.model import FORMAT, VERSION, Project, Step, Track
from reverie.project.sounds import load_sounds, sound_slots
from reverie.project.store import load_project, project_folder, save_project

__all__ = ["FORMAT", "VERSION", "Project", "Step", "Track", "load_project", "save_project",
           "project_folder", "load_sounds", "sound_slots"]
