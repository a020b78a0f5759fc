"""`reverie devices`: the audio outputs PortAudio sees, as named in the configuration."""


def add_parser(sub):
    return sub.add_parser("devices", help="list audio output devices",
                          description="List the audio output devices; set audio.device to a part of a name.")


def run(args) -> int:
    from reverie.hal.audio.output import list_output_devices

    devices = list_output_devices()
    if not devices:
        print("no audio output device found (the box will record to a WAV file)")
    for d in devices:
        print(d.label)
    return 0
