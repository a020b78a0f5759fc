"""The box's audio, as the configuration asks: the engine on its device, supervised
(reverie.hal.audio.supervisor), so that a device that goes away, or none at all, never
stops the box. Its notices and health, and the notices of the other parts (a display that
stopped answering), reach the control thread through one hook."""
from __future__ import annotations

from dataclasses import asdict, replace

from reverie.app.config import Config
from reverie.app.paths import DataDir


def audio_settings(config: Config):
    from reverie.hal.audio.output import AudioSettings

    a = config.audio
    return AudioSettings(device=a.device, sample_rate_hz=a.sample_rate_hz, period_frames=a.period_frames,
                         jack_server=a.jack_server, jack_client=a.jack_client)


def record_settings(config: Config, data: DataDir | None):
    """A recording while no device plays only when asked for, and only in the data directory."""
    from reverie.hal.audio.supervisor import RecordSettings

    a = config.audio
    if not a.record_without_device or data is None:
        return RecordSettings()
    return RecordSettings(folder=data.recordings, max_bytes=a.record_max_mb * 2**20)


def start_audio(engine, config: Config, data: DataDir | None, **tuning):
    """The supervised output, started: on the device, or silently on the fallback clock."""
    from reverie.hal.audio.supervisor import AudioSupervisor

    return AudioSupervisor(engine, audio_settings(config), record_settings(config, data), **tuning).start()


def audio_hook(supervisor, notice, more_notices=()):
    """A control-thread hook: the supervisor's notices on the screen (and those of
    `more_notices`, callables such as Surface.take_notices), its health in the status (the
    system page shows it)."""
    from reverie.ui.status import AudioStatus

    def hook(status):
        for take in (supervisor.take_notices, *more_notices):
            for text in take():
                notice(text)
        h = supervisor.health()
        audio = AudioStatus(**{k: v for k, v in asdict(h).items() if k in AudioStatus.__dataclass_fields__})
        return status if audio == status.audio else replace(status, audio=audio)
    return hook
