"""The box's boot configuration block in config.txt: its lines from the box file and its HAT
preset, written in place, and taken out leaving the file as it was, byte for byte."""
import pytest

from reverie.base.errors import UserError
from reverie.hal.boot_config import BEGIN, END, JOINED, boot_lines, describe, with_block, without_block
from reverie.hal.box import box_from_dict, load_box


def test_lines_of_the_shipped_boxes():
    assert boot_lines(load_box("reference")) == ["dtparam=i2c_arm=on", "dtparam=audio=off",
                                                 "dtoverlay=hifiberry-dacplus"]
    assert boot_lines(load_box("simulator")) == []
    assert describe(load_box("minimal")) == "box minimal, audio HAT HiFiBerry DAC+"


def test_an_spi_display_and_a_hat_that_turns_on_i2s():
    box = box_from_dict({"name": "b", "gpio": "mock", "pads": "midi", "audio": "waveshare-wm8960",
                         "display": {"driver": "sh1106", "bus": "spi"}})
    assert boot_lines(box) == ["dtparam=spi=on", "dtparam=audio=off", "dtparam=i2s=on",
                               "dtoverlay=wm8960-soundcard"]


TEXTS = ["", "dtparam=audio=on\n", "dtparam=audio=on", "[cm4]\notg_mode=1\n\n[all]\n",
         "a\r\nb\r\n", "\n\n"]


@pytest.mark.parametrize("text", TEXTS, ids=repr)
def test_in_and_out_again_gives_the_same_bytes(text):
    once = with_block(text, ["dtparam=i2c_arm=on"], "box x")
    assert once.startswith(text) and once.endswith(f"[all]\ndtparam=i2c_arm=on\n{END}\n")
    assert once.count(BEGIN) == 1 and (JOINED in once) == (text != "" and not text.endswith("\n"))
    assert with_block(once, ["dtparam=i2c_arm=on"], "box x") == once
    assert without_block(once) == text
    changed = with_block(once, ["dtparam=spi=on"], "box y")
    assert changed.count(BEGIN) == 1 and "i2c" not in changed and "# box y\n" in changed
    assert without_block(changed) == text
    assert with_block(once, [], "box z") == text          # a box that needs nothing: no block


def test_replaced_where_it_is_and_lines_after_it_stay():
    text = with_block("first\n", ["dtparam=i2c_arm=on"], "box x") + "added later\n"
    new = with_block(text, ["dtparam=spi=on"], "box x")
    assert new == (f"first\n{BEGIN}\n# box x\n[all]\ndtparam=spi=on\n{END}\nadded later\n")
    assert without_block(new) == "first\nadded later\n"
    joined = with_block("no break", ["x=1"], "c") + "after\n"
    assert without_block(joined) == "no break\nafter\n"        # never two lines run together


def test_a_block_without_its_end_is_refused_in_one_line():
    with pytest.raises(UserError, match="without its end"):
        without_block(f"a\n{BEGIN}\ndtparam=spi=on\n")
