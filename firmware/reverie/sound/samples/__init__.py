"""Audio files for the sampler: decode with libsndfile, mix to stereo, resample to the engine
rate with soxr, and read the loop and root note from a WAV `smpl` chunk.

- opening.py    open a file and check it (and its size against SampleLimits) first
- decode.py     decode, mix down and resample into a Sample (load_sample)
- wav_chunks.py the RIFF chunks libsndfile does not give: smpl loop and root note, data end
- info.py       what is in a file, for `reverie sample-info` (describe, format_info)

Runs on a worker thread. Every problem with a file is a UserError whose message is one line
saying what is wrong and what to do. Loading only ever returns a new Sample: nothing already
loaded is touched.
"""
from reverie.sound.samples.decode import DEFAULT_ENGINE_RATE, Sample, load_sample
from reverie.sound.samples.info import describe, format_info, note_name
from reverie.sound.samples.opening import ACCEPTED_FORMATS, SampleLimits

__all__ = ["ACCEPTED_FORMATS", "DEFAULT_ENGINE_RATE", "Sample", "SampleLimits", "describe",
           "format_info", "load_sample", "note_name"]
