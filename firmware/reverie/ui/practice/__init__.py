"""The practice layer (design §6b): sessions, check-in and check-out prompts, the breathing
pacer, and what the journal keeps of a session. Pure like the rest of the UI: input events
and the time in, effects and a screen out. It sits beside the pages: `UI.practice` sees
every event before the page does, lets the page have whatever it does not answer, and never
holds a note back. The journal itself (SQLite) is written on the worker (control/journal.py)."""
