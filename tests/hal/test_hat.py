"""Audio HAT presets: what each shipped one takes, and one line naming the file and the
setting for every kind of mistake in a preset of one's own."""
from pathlib import Path

import pytest

from reverie.base.errors import UserError
from reverie.hal.hat import HATS_DIR, hat_names, load_hat


def test_the_presets_take_the_pins_their_boards_wire():
    # the sources of these figures are listed in docs/hardware.md, "Audio HATs"
    dacplus = load_hat("hifiberry-dacplus")
    assert sorted(dacplus.pins()) == [2, 3, 18, 19, 21] and dacplus.i2c_addresses == (0x4D,)
    codec = load_hat("iqaudio-codec-zero")
    assert sorted(codec.pins()) == [2, 3, 18, 19, 20, 21, 27] and codec.i2c_addresses == (0x1A,)
    wm8960 = load_hat("waveshare-wm8960")
    assert sorted(wm8960.pins()) == [2, 3, 18, 19, 20, 21] and wm8960.i2c_addresses == (0x1A,)
    pisound = load_hat("pisound")
    assert sorted(pisound.pins()) == [7, 8, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 21, 24, 25, 26]
    assert pisound.i2c_addresses == ()
    assert load_hat("usb").pins() == {} and sorted(load_hat("generic-i2s").pins()) == [18, 19, 20, 21]
    assert dacplus.boot_config == ("dtparam=audio=off", "dtoverlay=hifiberry-dacplus")
    assert load_hat(HATS_DIR / "pisound.toml") == pisound


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hat.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, expected", [
    ('name = "X"\nspeed = 1', "unknown key speed; known: name, device, boot_config, i2s_pins, "
                              "i2c_addresses, spi_pins, gpio_pins"),
    ('device = "x"', "name is missing"),
    ('name = "X"\ndevice = 3', "device must be text in quotes, not 3"),
    ('name = ""', "name must be"),
    ('name = "X"\ni2s_pins = 18', "i2s_pins must be a list, not 18"),
    ('name = "X"\ni2s_pins = [17]', "i2s_pins[0] must be one of 18, 19, 20, 21, not 17"),
    ('name = "X"\nspi_pins = [12]', "spi_pins[0] must be one of 7, 8, 9, 10, 11, not 12"),
    ('name = "X"\ngpio_pins = [1]', "gpio_pins[0] = 1 is outside 2..27 (BCM GPIO; 0 and 1 belong to the HAT ID EEPROM)"),
    ('name = "X"\ngpio_pins = [true]', "gpio_pins[0] must be a whole number from 2 to 27 (BCM GPIO; 0 and 1 belong to the HAT ID EEPROM), not true"),
    ('name = "X"\ni2c_addresses = [0x80]', "i2c_addresses[0] = 128 is outside 8..119"),
    ('name = "X"\nboot_config = [1]', "boot_config[0] must be text in quotes, not 1"),
    ('name = "X"\ngpio_pins = [5, 5]', "gpio_pins lists a value twice"),
    ('name = "X"\ni2s_pins = [18]\ngpio_pins = [18]', "BCM 18 is listed twice"),
    ('name = "X"\ni2c_addresses = [0x1A]\ngpio_pins = [2]', "BCM 2 is listed twice"),
    ('name = ', "not valid TOML"),
])
def test_every_mistake_in_a_preset_is_one_line_naming_the_setting(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(UserError) as caught:
        load_hat(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert message[len(f"{path}: "):].startswith(expected), message


def test_an_unknown_preset_lists_the_shipped_ones(tmp_path):
    with pytest.raises(UserError, match=f'no HAT preset named "nope"; shipped: '
                                        f'{", ".join(hat_names())}$'):
        load_hat("nope")
    with pytest.raises(UserError, match="missing.toml: no such HAT preset file"):
        load_hat(tmp_path / "missing.toml")
