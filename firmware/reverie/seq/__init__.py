"""The sequencer's control side: compiling patterns for the engine, and driving it."""
