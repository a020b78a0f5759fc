import pytest

from reverie.base.events import Key, Turn
from reverie.project import mix_edit
from reverie.project.history import History
from reverie.project.model import Project, Track
from reverie.ui import effects as fx
from reverie.ui.context import Caps, Context
from reverie.ui.draw.canvas import render
from reverie.ui.pages.project import BACK, CHARS, NAME_CHARS, OK, ProjectPage
from reverie.ui.status import Status
from reverie.ui.view import Header, Screen

from golden import assert_golden
from scenes import page_click as click, page_press as press

PROJECTS = ("Night-bus", "Demo-jam", "Sketch-04", "LIVE-SET-2024", "Ambient")   # folder names


def page_with(edits=0, saved=True, saved_as="Night-bus", encoders=4, projects=PROJECTS):
    history = History(Project(name="Night bus", tracks=[Track("Kick")]))
    for i in range(edits):
        history.apply(mix_edit.set_tempo, 100 + i)
    status = Status(projects=projects, saved_as=saved_as,
                    saved_revision=history.revision if saved else history.revision - 1)
    ctx = Context(history, caps=Caps(encoders=encoders), status=status)
    page = ProjectPage()
    page.enter(ctx)
    return page, ctx


def choose(page, ctx, item):
    page.turn(ctx, Turn(0, -10))
    page.turn(ctx, Turn(0, ("SAVE", "SAVE AS", "LOAD", "NEW", "HISTORY").index(item)))
    return press(page, ctx, "ENC1")


def spell(page, ctx, text):
    """Types `text` from the first place with ENC1 (place) and ENC2 (letter)."""
    page.turn(ctx, Turn(0, -NAME_CHARS))
    for ch in text.ljust(NAME_CHARS):
        now = page.view(ctx).spelled[page.view(ctx).pos]
        page.turn(ctx, Turn(1, CHARS.index(ch) - CHARS.index(now)))
        page.turn(ctx, Turn(0, 1))


# --- the menu -------------------------------------------------------------------------------

def test_the_menu_shows_the_name_whether_saved_and_the_undo_depth():
    page, ctx = page_with(edits=12, saved=False)
    v = page.view(ctx)
    assert (v.mode, v.name, v.state, v.undo) == ("menu", "Night bus", "unsaved", 12)
    ctx.status = Status(saved_as="Night-bus", saved_revision=ctx.history.revision)
    assert page.view(ctx).state == "saved"
    ctx.status = Status(saved_as="")
    assert page.view(ctx).state == "new"


def test_save_writes_where_it_was_loaded_from():
    page, ctx = page_with(edits=2, saved=False)
    assert choose(page, ctx, "SAVE") == [fx.SaveProject("")]
    assert page.view(ctx).mode == "menu"


def test_save_of_a_project_without_a_name_on_the_box_asks_for_one():
    page, ctx = page_with(saved_as="")
    assert choose(page, ctx, "SAVE") == []
    v = page.view(ctx)
    assert v.mode == "name" and v.spelled.rstrip() == "Night bus"


# --- save as ------------------------------------------------------------------------------

def test_save_as_spells_a_name_renames_the_project_and_saves_it():
    page, ctx = page_with()
    choose(page, ctx, "SAVE AS")
    spell(page, ctx, " Dub  7")
    out = press(page, ctx, "ENC1")
    assert out == [fx.SaveProject("Dub-7")] and ctx.project.name == "Dub-7"   # its folder's name
    assert page.view(ctx).mode == "menu"
    ctx.undo()
    assert ctx.project.name == "Night bus"


def test_letters_stop_at_the_ends_of_the_alphabet():
    page, ctx = page_with()
    choose(page, ctx, "SAVE AS")
    page.turn(ctx, Turn(0, -NAME_CHARS))
    page.turn(ctx, Turn(1, -100))
    assert page.view(ctx).spelled[0] == " "
    page.turn(ctx, Turn(1, 1000))
    assert page.view(ctx).spelled[0] == "_"


@pytest.mark.parametrize("blank", ["", "  -  -"])
def test_a_blank_name_is_refused(blank):
    page, ctx = page_with()
    choose(page, ctx, "SAVE AS")
    spell(page, ctx, blank)
    before = ctx.project
    assert press(page, ctx, "ENC1") == [] and ctx.project is before
    assert ctx.message and page.view(ctx).mode == "name"


def test_saving_over_another_project_asks_first():
    page, ctx = page_with()
    choose(page, ctx, "SAVE AS")
    spell(page, ctx, "Ambient")
    assert press(page, ctx, "ENC1") == []
    v = page.view(ctx)
    assert v.mode == "confirm" and v.at == 0 and "Ambient" in v.question[0]
    assert press(page, ctx, "ENC1") == [] and ctx.project.name == "Night bus"   # NO
    choose(page, ctx, "SAVE AS")
    spell(page, ctx, "Ambient")
    press(page, ctx, "ENC1")
    page.turn(ctx, Turn(0, 1))
    assert press(page, ctx, "ENC1") == [fx.SaveProject("Ambient")]             # YES
    assert ctx.project.name == "Ambient"


def test_back_leaves_the_name_unsaved():
    page, ctx = page_with()
    choose(page, ctx, "SAVE AS")
    page.turn(ctx, Turn(0, BACK))
    assert page.view(ctx).pos == BACK
    assert press(page, ctx, "ENC1") == [] and page.view(ctx).mode == "menu"
    assert ctx.project.name == "Night bus"


# --- load and new -------------------------------------------------------------------------

def test_load_lists_the_projects_and_loads_at_once_when_nothing_is_unsaved():
    page, ctx = page_with()
    choose(page, ctx, "LOAD")
    v = page.view(ctx)
    assert v.mode == "load" and v.items[:-1] == PROJECTS and v.at == 0 and v.current == "Night-bus"
    page.turn(ctx, Turn(0, 2))
    assert press(page, ctx, "ENC1") == [fx.LoadProject("Sketch-04")]


def test_load_over_unsaved_changes_asks_first():
    page, ctx = page_with(edits=3, saved=False)
    choose(page, ctx, "LOAD")
    page.turn(ctx, Turn(0, 1))
    assert press(page, ctx, "ENC1") == []
    assert page.view(ctx).question == ("load Demo-jam?", "unsaved edits will", "be lost")
    assert press(page, ctx, "ENC1") == []                                       # NO
    choose(page, ctx, "LOAD")
    page.turn(ctx, Turn(0, 1))
    press(page, ctx, "ENC1")
    page.turn(ctx, Turn(0, 1))
    assert press(page, ctx, "ENC1") == [fx.LoadProject("Demo-jam")]            # YES


def test_load_with_no_projects_says_so():
    page, ctx = page_with(projects=())
    assert choose(page, ctx, "LOAD") == [] and page.view(ctx).mode == "menu"
    assert "no saved projects" in ctx.message


def test_new_asks_only_over_unsaved_changes():
    page, ctx = page_with()
    assert choose(page, ctx, "NEW") == [fx.NewProject()]
    page, ctx = page_with(edits=1, saved=False)
    assert choose(page, ctx, "NEW") == []
    page.turn(ctx, Turn(0, 1))
    assert press(page, ctx, "ENC1") == [fx.NewProject()]


def test_left_and_the_project_key_go_back_to_the_menu():
    page, ctx = page_with()
    choose(page, ctx, "LOAD")
    assert press(page, ctx, "LEFT") == [] and page.view(ctx).mode == "menu"
    choose(page, ctx, "LOAD")
    page.turn(ctx, Turn(0, 99))
    assert page.view(ctx).items[page.view(ctx).at] == "‹ back"
    press(page, ctx, "ENC1")
    assert page.view(ctx).mode == "menu"
    choose(page, ctx, "SAVE AS")
    assert press(page, ctx, "PROJECT") == [] and page.view(ctx).mode == "menu"
    assert page.heading(ctx) == "PROJECT"


# --- one encoder --------------------------------------------------------------------------

def test_one_encoder_spells_a_name_and_saves():
    page, ctx = page_with(encoders=1)
    page.turn(ctx, Turn(0, 1))
    click(page, ctx)                                   # SAVE AS
    assert page.heading(ctx) == "SAVE AS"
    page.turn(ctx, Turn(0, -NAME_CHARS))               # the cursor to the first letter
    click(page, ctx)                                   # now turning changes the letter
    assert page.view(ctx).editing
    page.turn(ctx, Turn(0, -13))                       # N -> A
    click(page, ctx)
    page.turn(ctx, Turn(0, OK))                        # the cursor onto SAVE
    assert click(page, ctx) == [fx.SaveProject("Aight-bus")]


def test_one_encoder_loads_through_the_question():
    page, ctx = page_with(encoders=1, edits=1, saved=False)
    page.turn(ctx, Turn(0, 2))
    click(page, ctx)                                   # LOAD
    page.turn(ctx, Turn(0, 4))
    assert click(page, ctx) == []                      # asks
    page.turn(ctx, Turn(0, 1))
    assert click(page, ctx) == [fx.LoadProject("Ambient")]


def test_one_encoder_leaves_the_long_push_to_the_machine():
    page, ctx = page_with(encoders=1)
    page.key(ctx, Key("ENC1", "press"))
    assert page.key(ctx, Key("ENC1", "long")) is None
    assert page.key(ctx, Key("ENC1", "release")) == [] and page.view(ctx).mode == "menu"


# --- screens ------------------------------------------------------------------------------

def shot(page, ctx, name):
    screen = Screen(Header(page.heading(ctx), "A01", 0, 120.0, False), page.view(ctx))
    assert_golden(render(screen), name)


def test_project_screens():
    page, ctx = page_with(edits=12, saved=False)
    page.turn(ctx, Turn(0, 1))
    shot(page, ctx, "project")
    press(page, ctx, "ENC1")
    page.turn(ctx, Turn(0, -4))
    shot(page, ctx, "project-name")
    press(page, ctx, "PROJECT")
    choose(page, ctx, "LOAD")
    page.turn(ctx, Turn(0, 3))
    shot(page, ctx, "project-load")
    press(page, ctx, "ENC1")
    shot(page, ctx, "project-confirm")


# --- the saves kept (HISTORY) -------------------------------------------------------------------

SAVES = (("20261204T204401.000000Z.json", "12-04 20:44:01"), ("20261204T203012.000000Z.json", "12-04 20:30:12"),
         ("20261203T181500.000000Z.json", "12-03 18:15:00"), ("20261203T120000.000000Z.json", "12-03 12:00:00"),
         ("20261202T090000.000000Z.json", "12-02 09:00:00"))


def test_history_asks_for_the_saves_then_lists_them_newest_first():
    page, ctx = page_with(edits=3, saved=False)
    ctx.saves = SAVES                               # from an earlier visit: read afresh
    assert choose(page, ctx, "HISTORY") == [fx.ListSaves()]
    assert ctx.saves is None
    v = page.view(ctx)
    assert (v.mode, v.items, page.heading(ctx)) == ("history", ("reading the saves…",), "HISTORY")
    ctx.saves = SAVES
    assert page.view(ctx).items == tuple(when for _, when in SAVES) + ("‹ back",)


def test_one_press_restores_a_save_even_over_unsaved_edits():
    page, ctx = page_with(edits=3, saved=False)
    choose(page, ctx, "HISTORY")
    ctx.saves = SAVES
    page.turn(ctx, Turn(0, 2))
    assert press(page, ctx, "ENC1") == [fx.RestoreSave("20261203T181500.000000Z.json")]
    assert page.view(ctx).mode == "menu"            # back to the menu: unsaved, undo one more


def test_history_with_no_saves_or_back_goes_to_the_menu():
    page, ctx = page_with()
    choose(page, ctx, "HISTORY")
    ctx.saves = ()
    assert page.view(ctx).items == ("no saves yet  ‹ back",)
    assert press(page, ctx, "ENC1") == []
    assert page.view(ctx).mode == "menu"
    choose(page, ctx, "HISTORY")
    ctx.saves = SAVES
    page.turn(ctx, Turn(0, 10))
    assert press(page, ctx, "ENC1") == [] and page.view(ctx).mode == "menu"


def test_history_screens():
    page, ctx = page_with(edits=12, saved=False)
    page.turn(ctx, Turn(0, 4))
    shot(page, ctx, "project-menu-history")
    press(page, ctx, "ENC1")
    shot(page, ctx, "project-history-reading")
    ctx.saves = SAVES
    page.turn(ctx, Turn(0, 1))
    shot(page, ctx, "project-history")


# --- through the machine ------------------------------------------------------------------------

def test_through_the_machine_save_and_the_saved_state():
    from reverie.ui.machine import UI
    u = UI(Project(name="Night bus", tracks=[Track("Kick")]))
    u.update(Status(projects=PROJECTS, saved_as="Night-bus", saved_revision=u.context.history.revision))
    assert u.handle(Key("PROJECT", "press")) == []
    assert u.view().body.state == "saved" and u.view().header.title == "PROJECT"
    u.handle(Key("SOUND", "press"))
    u.handle(Turn(0, 3))                             # an edit on another page
    assert u.context.history.can_undo
    u.handle(Key("PROJECT", "press"))
    assert u.view().body.state == "unsaved"
    assert u.handle(Key("ENC1", "press")) == [fx.SaveProject("")]


def test_through_the_machine_with_one_encoder_load_asks_over_unsaved_edits():
    from scenes import MINIMAL
    from reverie.ui.machine import UI
    u = UI(Project(name="Night bus", tracks=[Track("Kick")]), MINIMAL)
    u.update(Status(projects=PROJECTS, saved_as="Night-bus", saved_revision=-5))
    u.open_page("PROJECT")
    u.handle(Turn(0, 2))
    for expected in ([], [], [fx.LoadProject("Demo-jam")]):
        u.handle(Key("ENC1", "press"))
        assert u.handle(Key("ENC1", "release")) == expected
        u.handle(Turn(0, 1))


def test_every_help_text_fits_the_help_card():
    from reverie.ui.pages import help as helps
    from reverie.ui.pages.project import ProjectPage
    assert {"ENC1", "ENC1 TURN"} & set(ProjectPage.help)       # every box has ENC1
    for control in ProjectPage.help:
        for gesture in ((" TURN", " PUSH") if control in ("ENC1", "ENC2", "ENC3", "ENC4") else ("",)):
            text = helps.lookup(ProjectPage.help, control + gesture)
            assert text != "Nothing here." and not helps.wrap(text)[-1].endswith("~"), control + gesture
