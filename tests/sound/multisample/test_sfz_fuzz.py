"""SFZ text of any shape (tokens of the subset, opcodes the import does not know, values
out of range, #define and #include, comments cut anywhere, stray bytes) is read or refused
in one line: a UserError whose message has no newline, never another exception. The import
of each text runs too, with a real sample beside it."""
from hypothesis import HealthCheck, event, given, settings, strategies as st

from reverie.base.errors import UserError
from reverie.sound.multisample import import_multisample
from reverie.sound.multisample.safety import SourceFolder
from reverie.sound.multisample.sfz import read_sfz
from setfiles import wav

HEADERS = st.sampled_from(["<control>", "<global>", "<master>", "<group>", "<region>", "<curve>", "<>", "<region",
                           "region>", "< group >"])
NAMES = st.sampled_from(["sample", "lokey", "hikey", "key", "pitch_keycenter", "lovel", "hivel", "seq_length",
                         "seq_position", "loop_mode", "loop_start", "loop_end", "loopstart", "loopend", "offset",
                         "end", "transpose", "tune", "volume", "pan", "amp_veltrack", "ampeg_attack", "ampeg_decay",
                         "ampeg_sustain", "ampeg_release", "default_path", "lorand", "hirand", "trigger", "cutoff",
                         "$V", "sw_last", ""])
VALUES = (st.sampled_from(["a.wav", "../a.wav", "/etc/passwd", "sub\\a.wav", "c4", "c#4", "db4", "-1", "0", "127",
                           "128", "sample", "loop_continuous", "one_shot", "1e308", "nan", "-0", "$V", "$VV", "*sine",
                           "release", "0.5", "a b.wav", "=", ""])
          | st.integers(-10**6, 10**12).map(str) | st.floats(allow_nan=True).map(str) | st.text(max_size=6))
OPCODES = st.builds(lambda n, v: f"{n}={v}", NAMES, VALUES)
REGIONS = st.builds(lambda ops: "<region> sample=a.wav " + " ".join(ops), st.lists(OPCODES, max_size=4))
LINES = st.one_of(
    REGIONS, REGIONS, HEADERS, OPCODES, st.builds(" ".join, st.lists(st.one_of(HEADERS, OPCODES), max_size=5)),
    st.builds(lambda v: f"#define $V {v}", VALUES), st.builds(lambda v: f"#define $VV $V$V{v}", VALUES),
    st.sampled_from(['#include "inc.sfz"', '#include "i.sfz"', '#include "/etc/passwd"', '#include "../x.sfz"',
                     "#include", "#define", "#defin $X 1", "/*", "*/", "//", "// <region> sample=a.wav"]),
    st.text(max_size=20))
TEXTS = st.builds("\n".join, st.lists(LINES, max_size=25)) | st.text(max_size=200)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXTS)
def test_any_sfz_text_is_read_or_refused_in_one_line(tmp_path, text):
    folder = tmp_path / "set"
    folder.mkdir(exist_ok=True)
    (folder / "i.sfz").write_text(text, encoding="utf-8", errors="surrogateescape")
    (folder / "inc.sfz").write_text("<region> sample=a.wav key=60", encoding="utf-8")
    try:
        parsed = read_sfz(folder / "i.sfz", SourceFolder(folder))
    except UserError as exc:
        assert "\n" not in str(exc)
        event("refused")
        return
    event(f"{min(len(parsed.regions), 3)} regions")
    assert all("\n" not in line for line in parsed.not_understood + parsed.skipped)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXTS)
def test_any_sfz_text_imports_or_is_refused_in_one_line(tmp_path, text):
    folder = tmp_path / "set"
    if not folder.exists():
        wav(folder / "a.wav", 200, loop=(10, 99))
        wav(folder / "a b.wav", 50)
    (folder / "i.sfz").write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        result = import_multisample(folder / "i.sfz", tmp_path / "lib", replace=True)
    except UserError as exc:
        assert "\n" not in str(exc)
        event("refused")
        return
    event("imported")
    assert result.zone_map.zones and all("\n" not in line for line in result.lines())


DEFINITION_LINES = st.one_of(
    st.sampled_from(["%%volume=-6", "%%gain=0", "%%gain=2", "%%transpose=130", "%%transpose=-12", "%%release=300",
                     "%%mode=Once", "%%mode=Loop", "%%velmode=Accurate", "%%fillnote=N", "%%", "%%=", "%%pitchbend=2"]),
    st.builds(lambda parts, opts: "".join(parts) + "".join(opts),
              st.lists(st.sampled_from(["%midinote", "%notename", "%velocity", "%seq", "%voice", "%channel", "%bogus",
                                        "*", "v", ".wav", "-", "C", "#", "%"]), max_size=6),
              st.lists(st.sampled_from([", %velocity=40", ", %midinote=300", ", %seq=2", ", %voice=2", ", %mode=Once",
                                        ", %fillnote=N", ", %fillnote=maybe", ", %release=5", ", x", ", %=1"]),
                       max_size=3)),
    st.text(max_size=15))
NAMES_IN_FOLDER = st.lists(st.sampled_from(["60.wav", "60v100.wav", "C4v40.wav", "c#4.wav", "kick-1.wav",
                                            "kick-2.wav", "x.wav", "127v1.wav", "999.wav", "G9.wav"]),
                           max_size=6, unique=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(DEFINITION_LINES, max_size=8), NAMES_IN_FOLDER)
def test_any_definition_txt_is_read_in_lines(tmp_path, lines, names):
    from reverie.sound.multisample.samplerbox import read_definition

    folder = tmp_path / "sb"
    folder.mkdir(exist_ok=True)
    (folder / "definition.txt").write_text("\n".join(lines), encoding="utf-8")
    parsed = read_definition(folder, names)
    event(f"{min(len(parsed.regions), 3)} regions")
    for r in parsed.regions:
        v = r.values
        assert 0 <= v["key_lo"] <= v["key_hi"] <= 127 and 0 <= v["root"] <= 127 and v["vel_lo"] <= v["vel_hi"]
        assert 1 <= v["seq_position"] <= v["seq_length"] <= 100
    assert all("\n" not in line for line in parsed.not_understood + parsed.skipped)
