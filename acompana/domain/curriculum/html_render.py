"""The curriculum as HTML: the fragments the web app shows and the documents printed to PDF.

One source of truth: the facilitator guide PDF is the track fragment, which is the session
fragments, which are what the web app's session page shows.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from acompana.domain.curriculum import handout as handout_format
from acompana.domain.curriculum.labels import join_names, labels, meeting_when
from acompana.domain.curriculum.model import (
    Activity,
    Curriculum,
    Overview,
    Picture,
    ProgramDetails,
    Session,
    Text,
    Track,
)
from acompana.domain.curriculum.pictures import HANDOUT_PICTURE, picture_png
from acompana.domain.reproducible import FIXED_DATE

TEMPLATES = Path(__file__).parent / "templates"
# Handouts use lists and tables (e.g. the supervisors' comparison matrices).
MARKDOWN_EXTENSIONS = ["sane_lists", "tables"]
ROSTER_LINES = 15
LONG_CUE = 1100  # characters on a flip chart's back page before its type gets smaller


@pass_context
def _translate(context, text: Text | None) -> str:
    return "" if text is None else text.in_lang(context["lang"])


def _markdown(source: str) -> Markup:
    # Curriculum authors are trusted; their Markdown may hold plain HTML on purpose.
    return Markup(markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS))


@pass_context
def _markdown_with_pictures(context, source: str, pictures: Mapping[str, Picture] | None = None
                            ) -> Markup:
    """Markdown to HTML, with `![](picture:id)` drawn from the picture library."""
    def placed(match) -> str:
        picture = (pictures or {}).get(match["id"])
        return match[0] if picture is None else picture_html(picture, context["lang"],
                                                            alt=match["alt"] or None)

    return _markdown(HANDOUT_PICTURE.sub(placed, source))


def picture_html(picture: Picture, lang: str, *, alt: str | None = None,
                 css_class: str = "picture") -> Markup:
    """An <img> carrying the picture itself, so a PDF or a saved page needs no other file."""
    data = base64.b64encode(picture_png(picture)).decode("ascii")
    return Markup('<img class="{}" src="data:image/png;base64,{}" alt="{}">').format(
        css_class, Markup(data), alt or picture.alt.in_lang(lang))


@pass_context
def _picture(context, session: Session, picture_id: str | None, css_class: str = "picture"
             ) -> Markup:
    """The session's picture `picture_id` as an <img>; nothing when it has none."""
    picture = session.pictures.get(picture_id) if picture_id else None
    return picture_html(picture, context["lang"], css_class=css_class) if picture else Markup("")


@pass_context
def _session_reference(context, session: Session, session_id: str) -> str:
    """'supervisores-01' -> 'Sesión 1' (of this track) or 'Sesión 1 (supervisores)': a
    prerequisite as a reader names it, not as the files key it."""
    track, _dash, number = session_id.rpartition("-")
    if not number.isdigit():
        return session_id
    named = f"{context['t']['session']} {int(number)}"
    return named if track == session.id.rpartition("-")[0] else f"{named} ({track})"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters["tr"] = _translate
    env.filters["markdown"] = _markdown_with_pictures
    env.filters["picture"] = _picture
    env.filters["session_reference"] = _session_reference
    return env


def _render(template: str, lang: str, **context: object) -> str:
    return environment().get_template(template).render(lang=lang, t=labels(lang), **context)


def schedule(session: Session) -> list[tuple[str, Activity]]:
    """Each activity with the clock time it starts at, counted from the session's start."""
    rows, elapsed = [], 0
    for activity in session.activities:
        rows.append((f"{elapsed // 60}:{elapsed % 60:02d}", activity))
        elapsed += activity.minutes
    return rows


def render_session_html(session: Session, lang: str) -> str:
    """An HTML fragment with the whole session: objectives, materials, timings, activities."""
    return _render(
        "session.html.j2", lang, session=session, schedule=schedule(session),
        total_minutes=sum(activity.minutes for activity in session.activities),
    )


def render_track_intro_html(track: Track, lang: str) -> str:
    """An HTML fragment introducing the track: title, summary, how to use the guide."""
    return _render("track_intro.html.j2", lang, track=track)


def render_track_html(track: Track, sessions: Sequence[Session], lang: str) -> str:
    """An HTML fragment with the track's introduction and every session in delivery order."""
    fragments = [Markup(render_session_html(session, lang)) for session in sessions]
    intro = Markup(render_track_intro_html(track, lang))
    return _render("track.html.j2", lang, intro=intro, session_fragments=fragments)


def guide_title(track: Track, lang: str) -> str:
    return f"{labels(lang)['facilitator_guide']}: {track.title.in_lang(lang)}"


def meeting_groups(program: ProgramDetails | None, track: Track, lang: str
                   ) -> list[dict[str, str]]:
    """The groups that meet for the track, for its guide's table: name, who facilitates,
    where and when (the supervisors' cohort is named by its audience)."""
    if program is None:
        return []
    t = labels(lang)
    return [{"name": group.name or t[f"audience_{group.audience}"],
             "facilitators": join_names(group.facilitators, lang), "place": group.place,
             "when": meeting_when(group.weekday, group.week_of_month, group.start, lang)}
            for group in program.groups_of(track.audience)]


def program_people(program: ProgramDetails | None, track: Track, lang: str
                   ) -> list[tuple[str, str]]:
    """What a track's handout says of who leads it: its facilitators and, when all its groups
    meet in one place, that place (labelled, e.g. ("Facilitadoras", "Ana y Bety"))."""
    if program is None:
        return []
    t = labels(lang)
    names = program.facilitators_of(track.audience)
    people = [(t["facilitators_one" if len(names) == 1 else "facilitators_many"],
               join_names(names, lang))] if names else []
    if place := program.place_of(track.audience):
        people.append((t["meeting_place"], place))
    return people


def guide_front_document(
    track: Track, sessions: Sequence[Session], lang: str, first_pages: Mapping[str, int],
    program: ProgramDetails | None = None,
) -> str:
    """The guide's cover and contents, each session with the page its chapter starts on, then
    the program's groups for the track: who facilitates, where and when."""
    return _render(
        "guide_front.html.j2", lang, track=track, sessions=sessions, first_pages=first_pages,
        title=guide_title(track, lang), body_class="guide", fixed_date=FIXED_DATE,
        groups=meeting_groups(program, track, lang),
    )


def guide_part_document(fragment: str, title: str, lang: str) -> str:
    """One part of the guide (a fragment from above) as a document of its own."""
    return _render(
        "guide_part.html.j2", lang, content=Markup(fragment), title=title, body_class="guide",
        fixed_date=FIXED_DATE,
    )


def handout_document(session: Session, track: Track, lang: str,
                     program: ProgramDetails | None = None) -> str:
    """The participant handout: each key message beside its picture in large type, boxes to
    draw or tick in, and where to get help (the program's own clinic and lines) when the
    program is known: where the handout places `[help]`, else at the end."""
    markdown = session.handout(lang) or ""
    boxes = {box.kind for line in markdown.splitlines()
             if (box := handout_format.box_of(line)) is not None}
    help_box = Markup(_render("help_box.html.j2", lang, program=program))
    return _render(
        "handout.html.j2", lang, session=session, track=track,
        body=handout_html(markdown, session.pictures, lang, help_box) if markdown else None,
        title=session.title.in_lang(lang), body_class="handout", fixed_date=FIXED_DATE,
        # a handout with days to tick gives its own home practice, in fewer words
        take_home="days" not in boxes,
        help_box=help_box if program and "help" not in boxes else None,
        notes_box="draw" not in boxes,
        people=program_people(program, track, lang),
    )


def handout_html(markdown: str, pictures: Mapping[str, Picture], lang: str,
                 help_box: str = "") -> Markup:
    """The handout's key messages, each a row: its picture, then its heading and text."""
    rows = []
    for message in handout_format.key_messages(markdown):
        picture = pictures.get(message.picture[0]) if message.picture else None
        side = Markup('<div class="message-picture">{}</div>').format(
            picture_html(picture, lang, alt=message.picture[1] or None)) if picture else ""
        heading = (_markdown(f"## {message.heading}") if message.heading is not None else "")
        body = _handout_markdown(message.body, pictures, lang, help_box)
        # the picture and the heading keep together, and with what follows, across a page
        rows.append(Markup('<section class="message"><div class="message-head">{}'
                           '<div class="message-text">{}</div></div>'
                           '<div class="message-text">{}</div></section>').format(
                               side, heading, body))
    return Markup("\n").join(rows)


# a list item that starts with a tick box or a picture needs no bullet
MARKED_ITEM = re.compile(r'<li>(?P<p>\s*<p>)?(?P<mark><span class="tick">|<img class="picture )')
# A space just before bold or italic text: WeasyPrint (70) cannot break a line there and breaks
# after the line's first word instead; the same space inside the tag breaks as it should.
SPACE_BEFORE_EMPHASIS = re.compile(r" <(strong|em)>")


def _handout_markdown(source: str, pictures: Mapping[str, Picture], lang: str,
                      help_box: str) -> Markup:
    """A key message's Markdown with its boxes drawn, and its pictures: large when alone on
    a line, the size of a word inside a sentence or a list."""
    lines = []
    for line in source.splitlines():
        box = handout_format.box_of(line)
        if box is not None:
            lines.append(f"\n{_box_html(box, help_box)}\n")
            continue
        alone = handout_format.LONE_PICTURE.match(line) is not None
        css_class = "picture picture-alone" if alone else "picture picture-inline"

        def placed(match, css_class=css_class) -> str:
            picture = pictures.get(match["id"])
            return match[0] if picture is None else picture_html(
                picture, lang, alt=match["alt"] or None, css_class=css_class)

        lines.append(HANDOUT_PICTURE.sub(placed, line))
    text = handout_format.TICK_ITEM.sub(r'\g<lead><span class="tick"></span> ', "\n".join(lines))
    html = SPACE_BEFORE_EMPHASIS.sub(r"<\1> ", str(_markdown(text)))
    return Markup(MARKED_ITEM.sub(
        lambda m: f'<li class="{"ticked" if "tick" in m["mark"] else "pictured"}">'
                  f'{m["p"] or ""}{m["mark"]}', html))


def _box_html(box: handout_format.Box, help_box: str) -> str:
    """One line of raw HTML (Markdown passes it through) for a box of the handout."""
    if box.kind == "draw":
        return f'<div class="draw-box" style="height: {box.size}cm"></div>'
    if box.kind == "days":
        days = "".join(f'<span class="day"><span class="tick"></span>{number}</span>'
                       for number in range(1, box.size + 1))
        return f'<div class="days">{days}</div>'
    return " ".join(str(help_box).split())  # one line, so Markdown keeps it whole


def attendance_document(session: Session, track: Track, lang: str) -> str:
    """The attendance roster and the evaluation questions with a three-face scale."""
    t = labels(lang)
    return _render(
        "attendance.html.j2", lang, session=session, track=track,
        title=f"{t['attendance_sheet']}: {session.title.in_lang(lang)}",
        body_class="sheet", fixed_date=FIXED_DATE, roster_lines=ROSTER_LINES,
    )


def overview_document(overview: Overview, lang: str) -> str:
    return _render(
        "overview.html.j2", lang, overview=overview, title=overview.title.in_lang(lang),
        body_class="overview", fixed_date=FIXED_DATE,
    )


def flipchart_sheets(session: Session, lang: str) -> list[dict]:
    """The flip chart's sheets: the session's cover, then one per activity. The back of each
    sheet carries the cue for the sheet the group sees once it is flipped: the next one's."""
    t = labels(lang)
    fronts = [(session.picture, session.title.in_lang(lang), f"{t['session']} {session.number}")]
    fronts += [(activity.picture or session.picture, activity.name.in_lang(lang),
                f"{activity.minutes} {t['minutes_long']}") for activity in session.activities]
    sheets = []
    for index, (picture, words, small) in enumerate(fronts):
        sheet = {"picture": picture, "words": words, "small": small}
        if index < len(session.activities):
            following = session.activities[index]
            notes = following.facilitator_notes
            sheet.update(
                cue_head=f"{t['flip_group_sees']}: {index + 1}. {following.name.in_lang(lang)}"
                         f" · {following.minutes} {t['minutes']}",
                cue_steps=following.steps,
                cue_note=f"{t['facilitator_notes']}: {notes.in_lang(lang)}" if notes else "")
        else:
            sheet.update(cue_head=t["take_home"], cue_steps=(),
                         cue_note=session.take_home.in_lang(lang))
        cue_length = sum(len(step.in_lang(lang)) for step in sheet["cue_steps"])
        sheet["long"] = cue_length + len(sheet["cue_note"]) > LONG_CUE
        sheets.append(sheet)
    return sheets


def flipchart_document(session: Session, track: Track, lang: str) -> str:
    t = labels(lang)
    return _render(
        "flipchart.html.j2", lang, session=session, sheets=flipchart_sheets(session, lang),
        title=f"{t['flipchart']}: {session.title.in_lang(lang)}", body_class="flipchart",
        fixed_date=FIXED_DATE,
    )


def worksheets_document(session: Session, track: Track, lang: str) -> str:
    """The session's worksheets, one after the other; a leading `#` title line is left out
    (the document puts the session's title on top)."""
    t = labels(lang)
    bodies = [re.sub(r"\A\s*#(?!#)[^\n]*\n", "", text)
              for text in session.worksheet_markdown(lang)]
    return _render(
        "worksheets.html.j2", lang, session=session, track=track, worksheets=bodies,
        title=f"{t['worksheets']}: {session.title.in_lang(lang)}", body_class="worksheets",
        fixed_date=FIXED_DATE,
    )


def cards_document(session: Session, cards: Sequence[tuple[Picture | None, str]], lang: str
                   ) -> str:
    """Picture cards, four to a page: each a picture and a few words."""
    t = labels(lang)
    shown = [{"picture": picture_html(picture, lang) if picture else Markup(""), "words": words}
             for picture, words in cards]
    return _render(
        "cards.html.j2", lang, cards=shown, title=f"{t['cards']}: {session.title.in_lang(lang)}",
        body_class="cards", fixed_date=FIXED_DATE,
    )


def attribution_document(curriculum: Curriculum, lang: str) -> str:
    """Every picture of the library with its author, origin and licence."""
    t = labels(lang)
    return _render(
        "attribution.html.j2", lang, pictures=sorted(curriculum.pictures.values(),
                                                     key=lambda picture: picture.id),
        licences=curriculum.licences, credits=sorted(curriculum.credits.items()),
        picture_html=picture_html, title=t["picture_credits"], body_class="overview",
        fixed_date=FIXED_DATE,
    )


def index_document(title: str, languages: Sequence[dict]) -> str:
    """The bundle's front page; `languages` is prepared by the build (see build.index_view)."""
    return environment().get_template("index.html.j2").render(title=title, languages=languages)


def render_handout_html(session: Session, lang: str) -> str:
    """The participant handout as an HTML fragment (empty when the session has none); its
    `[help]` asks the facilitator for the numbers, as a handout printed without a program."""
    markdown = session.handout(lang)
    if not markdown:
        return ""
    help_box = _render("help_box.html.j2", lang, program=None)
    return str(handout_html(markdown, session.pictures, lang, help_box))
