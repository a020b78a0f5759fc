"""Notes as numbers and names: c4 is 60 (middle C), sharps and flats, octave -1 to 9."""
import pytest

from reverie.sound.multisample.notes import note_number


@pytest.mark.parametrize("text, note", [
    ("60", 60), ("0", 0), ("127", 127), ("c4", 60), ("C4", 60), ("c#4", 61), ("db4", 61), ("Db4", 61),
    ("bb3", 58), ("b3", 59), ("cb4", 59), ("e#4", 65), ("c-1", 0), ("g9", 127), ("a4", 69), (" a0 ", 21),
])
def test_a_note_is_its_midi_number(text, note):
    assert note_number(text) == note


@pytest.mark.parametrize("text", ["128", "-1", "g#9", "cb-1", "h4", "c", "4c", "c4.5", "", "c##4", "1e2"])
def test_what_is_no_note_gives_none(text):
    assert note_number(text) is None


def test_minus_one_is_allowed_where_sfz_allows_it():
    assert note_number("-1", lowest=-1) == -1 and note_number("-2", lowest=-1) is None
