from reverie.base.events import Key, Pad, Turn
from reverie.project.history import History
from reverie.project.model import MAX_CHAIN, Project, Song, SongRow, Track
from reverie.ui import effects as fx
from reverie.ui.context import Caps, Context
from reverie.ui.draw.canvas import render
from reverie.ui.pages.song import SongPage
from reverie.ui.status import Status
from reverie.ui.view import Header, Screen

from golden import assert_golden
from scenes import page_press as press


def project(**kw) -> Project:
    base = dict(tracks=[Track(f"T{i + 1}", sample="factory:kick") for i in range(8)], pattern="A03")
    return Project(**{**base, **kw})


def page_with(p: Project, encoders: int = 4, status: Status = Status()):
    ctx = Context(History(p), caps=Caps(encoders=encoders), status=status)
    page = SongPage()
    page.enter(ctx)
    return page, ctx


def short(page, ctx):
    page.key(ctx, Key("ENC1", "press"))
    return page.key(ctx, Key("ENC1", "release"))


def shot(page, ctx, name, playing=False):
    s = ctx.status
    screen = Screen(Header("SONG", s.pattern, ctx.track, s.tempo_bpm, playing), page.view(ctx))
    assert_golden(render(screen), name)


# --- the play mode ---------------------------------------------------------------------

def test_the_mode_line_sets_what_play_plays():
    page, ctx = page_with(project())
    page.turn(ctx, Turn(0, -1))                      # up to the mode line
    out = page.turn(ctx, Turn(2, 1))                 # ENC3: the mode
    assert ctx.project.mode == "chain" and fx.ProjectEdited() in out
    page.turn(ctx, Turn(2, 5))
    assert ctx.project.mode == "song"
    ctx.undo()
    assert ctx.project.mode == "pattern"             # one turn run, one undo entry


def test_enter_opens_the_view_of_the_mode_and_the_bank_of_the_current_pattern():
    page, ctx = page_with(project(mode="chain", pattern="C07"))
    v = page.view(ctx)
    assert v.view == "chain" and v.bank == "C"


# --- the chain ---------------------------------------------------------------------------

def chain_page(chain, **kw):
    page, ctx = page_with(project(mode="chain", chain=list(chain)), **kw)
    return page, ctx


def test_enc1_push_adds_the_current_pattern_where_the_cursor_is():
    page, ctx = chain_page(["A01", "A02"])
    page.turn(ctx, Turn(0, 5))                       # to the end
    out = press(page, ctx, "ENC1")
    assert ctx.project.chain == ["A01", "A02", "A03"] and fx.ProjectEdited() in out
    page.turn(ctx, Turn(0, -1))                      # the cursor stayed on the new entry; onto A02
    press(page, ctx, "ENC1")
    assert ctx.project.chain == ["A01", "A03", "A02", "A03"]


def test_enc2_push_removes_the_entry_under_the_cursor():
    page, ctx = chain_page(["A01", "B02", "A04"])
    page.turn(ctx, Turn(0, 1))
    press(page, ctx, "ENC2")
    assert ctx.project.chain == ["A01", "A04"]
    assert page.view(ctx).line == 1


def test_enc2_turn_changes_the_entrys_pattern_in_one_undo_entry():
    page, ctx = chain_page(["A01", "A16"])
    page.turn(ctx, Turn(0, 1))
    page.turn(ctx, Turn(1, 1))
    page.turn(ctx, Turn(1, 2))
    assert ctx.project.chain == ["A01", "B03"]        # A16 + 3 slots crosses into bank B
    ctx.undo()
    assert ctx.project.chain == ["A01", "A16"]


def test_enc3_turn_moves_the_entry_and_the_cursor_follows():
    page, ctx = chain_page(["A01", "A02", "A03", "A04"])
    page.turn(ctx, Turn(2, 2))                       # A01 two places right
    assert ctx.project.chain == ["A02", "A03", "A01", "A04"]
    assert page.view(ctx).line == 2
    page.turn(ctx, Turn(2, 9))
    assert ctx.project.chain == ["A02", "A03", "A04", "A01"]


def test_a_65th_chain_entry_is_refused_and_changes_nothing():
    page, ctx = chain_page(["A01"] * MAX_CHAIN)
    before, revision = ctx.project, ctx.history.revision
    out = press(page, ctx, "ENC1")
    assert out == [] and ctx.project is before and ctx.history.revision == revision
    assert "64" in ctx.message


def test_nothing_to_delete_at_the_end_says_so():
    page, ctx = chain_page([])
    before = ctx.project
    assert press(page, ctx, "ENC2") == [] and ctx.project is before and ctx.message


# --- the song ---------------------------------------------------------------------------

ROWS = [SongRow("A01", 4, (1,)), SongRow("A02", 2, (), 124.0), SongRow("B05", 16, (0, 2, 3, 15))]


def song_page(**kw):
    return page_with(project(mode="song", song=Song(rows=list(ROWS), loop=True)), **kw)


def test_song_rows_insert_and_delete():
    page, ctx = song_page()
    page.turn(ctx, Turn(0, 1))
    press(page, ctx, "ENC1")
    assert [r.pattern for r in ctx.project.song.rows] == ["A01", "A03", "A02", "B05"]
    page.turn(ctx, Turn(0, 1))
    press(page, ctx, "ENC2")
    assert [r.pattern for r in ctx.project.song.rows] == ["A01", "A03", "B05"]
    assert ctx.project.song.loop is True


def test_repeats_stay_within_1_to_99_and_coalesce():
    page, ctx = song_page()
    page.turn(ctx, Turn(2, 200))
    assert ctx.project.song.rows[0].repeats == 99
    page.turn(ctx, Turn(2, -500))
    assert ctx.project.song.rows[0].repeats == 1
    ctx.undo()
    assert ctx.project.song.rows[0].repeats == 4


def test_a_rows_tempo_turns_from_keep_to_a_value_and_back():
    page, ctx = song_page()
    page.turn(ctx, Turn(3, -1))
    assert ctx.project.song.rows[0].tempo is None    # "-" stays "-" turning down
    page.turn(ctx, Turn(3, 1))
    assert ctx.project.song.rows[0].tempo == 120.0   # starts at the project's tempo
    page.turn(ctx, Turn(3, 1000))
    assert ctx.project.song.rows[0].tempo == 300.0
    page.turn(ctx, Turn(1, 0))
    press(page, ctx, "ENC4")                         # push: back to keeping the tempo
    assert ctx.project.song.rows[0].tempo is None


def test_a_tempo_turned_below_20_keeps_the_tempo():
    page, ctx = song_page()
    page.turn(ctx, Turn(0, 1))
    page.turn(ctx, Turn(3, -104))
    assert ctx.project.song.rows[1].tempo == 20.0
    page.turn(ctx, Turn(3, -1))
    assert ctx.project.song.rows[1].tempo is None


def test_enc3_push_turns_the_loop_on_and_off():
    page, ctx = song_page()
    out = press(page, ctx, "ENC3")
    assert ctx.project.song.loop is False and fx.ProjectEdited() in out
    press(page, ctx, "ENC3")
    assert ctx.project.song.loop is True


def test_the_song_key_switches_between_chain_and_song():
    page, ctx = song_page()
    assert page.view(ctx).view == "song"
    assert press(page, ctx, "SONG") == []
    assert page.view(ctx).view == "chain"
    press(page, ctx, "SONG")
    assert page.view(ctx).view == "song"


def test_the_row_playing_comes_from_the_status():
    page, ctx = song_page(status=Status(playing=True, song_row=2))
    assert page.view(ctx).playing == 2
    ctx.status = Status(playing=False, song_row=2)
    assert page.view(ctx).playing == -1
    press(page, ctx, "SONG")                         # the chain is not what plays
    ctx.status = Status(playing=True, song_row=0)
    assert page.view(ctx).playing == -1


# --- pads queue patterns ----------------------------------------------------------------

def test_pads_queue_the_patterns_of_the_bank():
    page, ctx = page_with(project())
    assert page.pad(ctx, Pad(4, 100)) == [fx.QueuePattern("A05")]
    press(page, ctx, "RIGHT")
    press(page, ctx, "RIGHT")
    assert page.pad(ctx, Pad(15, 90)) == [fx.QueuePattern("C16")]
    assert "C" in ctx.message
    assert page.pad(ctx, Pad(15, 0)) == []
    for _ in range(20):
        press(page, ctx, "LEFT")
    assert page.pad(ctx, Pad(0, 90)) == [fx.QueuePattern("A01")]


def test_func_pads_are_left_to_the_machine():
    page, ctx = page_with(project())
    ctx.func = True
    assert page.pad(ctx, Pad(3, 100)) is None


# --- one encoder --------------------------------------------------------------------------

def test_one_encoder_reaches_every_field():
    page, ctx = page_with(project(), encoders=1)
    page.turn(ctx, Turn(0, -1))                      # the cursor: up to the mode line
    short(page, ctx)                                 # focus: view
    page.turn(ctx, Turn(0, 1))
    assert page.view(ctx).view == "song"
    short(page, ctx)                                 # focus: mode
    page.turn(ctx, Turn(0, 2))
    assert ctx.project.mode == "song"
    short(page, ctx)                                 # focus: loop
    page.turn(ctx, Turn(0, 1))
    assert ctx.project.song.loop is True
    short(page, ctx)                                 # back to the cursor
    page.turn(ctx, Turn(0, 1))                       # onto the end of the empty song
    short(page, ctx)
    assert page.view(ctx).focus == "rows"
    page.turn(ctx, Turn(0, 1))                       # -/+ at the end: insert the current pattern
    assert [r.pattern for r in ctx.project.song.rows] == ["A03"]
    assert page.view(ctx).focus == "rows"            # kept by name on the new row
    short(page, ctx)
    assert page.view(ctx).focus == "line"
    for field, detents in (("pattern", 1), ("repeats", 3), ("tempo", 1)):
        short(page, ctx)
        assert page.view(ctx).focus == field
        page.turn(ctx, Turn(0, detents))
    assert ctx.project.song.rows == [SongRow("A04", 4, (), 120.0)]
    short(page, ctx)
    assert page.view(ctx).focus == "rows"
    page.turn(ctx, Turn(0, 1))                       # -/+: insert
    page.turn(ctx, Turn(0, -1))                      # and delete
    assert ctx.project.song.rows == [SongRow("A04", 4, (), 120.0)]
    page.turn(ctx, Turn(0, -1))
    assert ctx.project.song.rows == []


def test_one_encoder_double_click_is_the_focused_fields_push():
    page, ctx = chain_page(["A01", "A02"], encoders=1)
    page.turn(ctx, Turn(0, 1))
    click_double(page, ctx)                           # on the cursor: ENC1's push, insert
    assert ctx.project.chain == ["A01", "A03", "A02"] and page.view(ctx).focus == "line"
    short(page, ctx)
    click_double(page, ctx)                           # on the pattern: ENC2's push, delete
    assert ctx.project.chain == ["A01", "A02"] and page.view(ctx).focus == "pattern"


def click_double(page, ctx):
    short(page, ctx)
    page.key(ctx, Key("ENC1", "press"))
    page.key(ctx, Key("ENC1", "double"))
    assert page.key(ctx, Key("ENC1", "release")) == []


def test_one_encoder_moves_a_chain_entry():
    page, ctx = chain_page(["A01", "A02", "A03"], encoders=1)
    short(page, ctx)
    short(page, ctx)
    assert page.view(ctx).focus == "move"
    page.turn(ctx, Turn(0, 1))
    assert ctx.project.chain == ["A02", "A01", "A03"] and page.view(ctx).line == 1


def test_a_long_push_is_left_to_the_machine_and_does_not_move_the_focus():
    page, ctx = chain_page([], encoders=1)
    page.key(ctx, Key("ENC1", "press"))
    assert page.key(ctx, Key("ENC1", "long")) is None
    page.key(ctx, Key("ENC1", "release"))
    assert page.view(ctx).focus == "line" and ctx.project.chain == []
    assert short(page, ctx) == [] and page.view(ctx).focus == "rows"


# --- screens ------------------------------------------------------------------------------

def test_song_screen():
    page, ctx = song_page(status=Status(playing=True, song_row=1))
    page.turn(ctx, Turn(0, 1))
    shot(page, ctx, "song", playing=True)


def test_chain_screen():
    page, ctx = chain_page(["A01", "A02", "A01", "A03", "B01", "A04", "A02", "P16"],
                           status=Status(playing=True, song_row=2, queued="B01"))
    page.turn(ctx, Turn(0, 4))
    shot(page, ctx, "chain", playing=True)


def test_chain_screen_with_one_encoder():
    page, ctx = chain_page(["A01", "A02", "A01", "A03"], encoders=1)
    page.turn(ctx, Turn(0, 1))
    short(page, ctx)
    short(page, ctx)
    shot(page, ctx, "chain-one-encoder")


def test_song_screen_with_one_encoder():
    page, ctx = song_page(encoders=1)
    page.turn(ctx, Turn(0, 2))
    short(page, ctx)
    short(page, ctx)
    shot(page, ctx, "song-one-encoder")


# --- through the machine -----------------------------------------------------------------------

def machine(caps=Caps()):
    from reverie.ui.machine import UI
    return UI(project(mode="song", song=Song(rows=list(ROWS))), caps)


def handle_press(u, name):
    return u.handle(Key(name, "press")) + u.handle(Key(name, "release"))


def test_through_the_machine_on_the_reference_box():
    u = machine()
    handle_press(u, "SONG")
    assert u.page_name == "SONG" and u.view().body.view == "song"
    assert u.handle(Pad(6, 100)) == [fx.QueuePattern("A07")]
    assert u.handle(Pad(6, 0)) == []
    u.handle(Turn(0, -1))
    assert u.handle(Turn(2, -2)) == [fx.ProjectEdited()] and u.project.mode == "pattern"
    handle_press(u, "SONG")                          # the page's own key: the chain
    assert u.page_name == "SONG" and u.view().body.view == "chain"
    u.handle(Key("FUNC", "press"))
    u.handle(Pad(3, 100))                            # FUNC + pad: the machine selects the track
    assert u.context.track == 3
    u.handle(Key("FUNC", "release"))
    u.handle(Key("SHIFT", "press"))
    u.handle(Turn(2, 1))
    assert "move the entry" in " ".join(u.view().overlay.lines)
    assert u.project.mode == "pattern"               # help does not act


def test_through_the_machine_with_one_encoder():
    from scenes import MINIMAL
    u = machine(MINIMAL)
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "long"))                    # the menu
    u.handle(Key("ENC1", "release"))
    assert u.menu_open
    u.handle(Turn(0, u.menu.items.index("SONG") - u.menu.cursor))
    handle_press(u, "ENC1")
    assert u.page_name == "SONG"
    handle_press(u, "ENC1")                          # a click: the focus to the row's pattern
    assert u.view().body.focus == "pattern"
    u.handle(Turn(0, 2))
    assert u.project.song.rows[0].pattern == "A03"
    handle_press(u, "ENC1")
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "double"))                  # back on the pattern: ENC2's push, delete
    u.handle(Key("ENC1", "release"))
    assert [r.pattern for r in u.project.song.rows] == ["A02", "B05"]
    assert u.view().body.focus == "pattern"


def test_every_help_text_fits_the_help_card():
    from reverie.ui.pages import help as helps
    from reverie.ui.pages.song import SongPage
    assert {"ENC1", "ENC1 TURN"} & set(SongPage.help)       # every box has ENC1
    for control in SongPage.help:
        for gesture in ((" TURN", " PUSH") if control in ("ENC1", "ENC2", "ENC3", "ENC4") else ("",)):
            text = helps.lookup(SongPage.help, control + gesture)
            assert text != "Nothing here." and not helps.wrap(text)[-1].endswith("~"), control + gesture
