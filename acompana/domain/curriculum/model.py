"""The curriculum as plain, immutable data: what the source files say, already checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LANGUAGES = ("es", "en")
# "break" is a scheduled pause: part of the session's time, so the meeting's clock holds.
ACTIVITY_KINDS = ("opening", "dinamica", "reflection", "practice", "input", "break", "closing")
AUDIENCES = ("acompanantes", "supervisors")


@dataclass(frozen=True)
class Text:
    """A text in Spanish (the source language) with its English version when there is one."""

    es: str
    en: str | None = None

    def in_lang(self, lang: str) -> str:
        """The text in `lang`, falling back to Spanish so a draft still builds."""
        return self.en if lang == "en" and self.en else self.es


@dataclass(frozen=True)
class Picture:
    """A picture of the library: its file, alternative text, origin and licence."""

    id: str
    file: str  # inside the pictures folder, e.g. "respirar.svg"
    alt: Text
    author: str
    licence: str  # a key of the library's licences
    origin: str  # "openmoji@17.0.0 black/svg/1F62E-200D-1F4A8.svg", or "drawn"
    data: bytes = field(repr=False, default=b"")

    @property
    def media_type(self) -> str:
        return "image/svg+xml" if self.file.endswith(".svg") else "image/png"


@dataclass(frozen=True)
class Licence:
    key: str
    name: str
    url: str
    text_file: str  # inside the pictures folder


@dataclass(frozen=True)
class HelpContact:
    """A place to call for help, as the program's file names it."""

    name: str
    phone: str
    hours: str = ""
    topic: str = ""  # clinic, crisis, violence, emergency...


@dataclass(frozen=True)
class MeetingGroup:
    """A group that meets for a track's sessions, as the printed materials name it: who
    facilitates, where and when. The supervisors' cohort has no name of its own ("")."""

    name: str
    audience: str  # one of AUDIENCES: the track whose materials list it
    facilitators: tuple[str, ...]  # people's names
    place: str = ""  # where it meets; unknown, nothing is printed
    weekday: int | None = None  # 0 is Monday
    week_of_month: int | None = None  # 1-4, or -1 for the last
    start: str = ""  # "10:00"


@dataclass(frozen=True)
class ProgramDetails:
    """What the printed materials say about the program that delivers them: its name, where
    to get help (its clinic first), its groups with their facilitators and meeting places, and
    the paper it prints on, so no handout carries a blank line to fill in by hand."""

    name: str
    contacts: tuple[HelpContact, ...] = ()
    groups: tuple[MeetingGroup, ...] = ()
    paper: str = "letter"

    def groups_of(self, audience: str) -> tuple[MeetingGroup, ...]:
        """The groups that meet for the tracks of `audience`."""
        return tuple(group for group in self.groups if group.audience == audience)

    def facilitators_of(self, audience: str) -> tuple[str, ...]:
        """Everyone who facilitates a track of `audience`, each once, in alphabetical order."""
        return tuple(sorted({name for group in self.groups_of(audience)
                             for name in group.facilitators}))

    def place_of(self, audience: str) -> str:
        """The meeting place, when every group of `audience` meets in the same one."""
        places = {group.place for group in self.groups_of(audience)}
        return places.pop() if len(places) == 1 else ""


@dataclass(frozen=True)
class Material:
    item: Text
    without_power: Text | None = None


@dataclass(frozen=True)
class Activity:
    name: Text
    kind: str
    minutes: int
    steps: tuple[Text, ...]
    facilitator_notes: Text | None = None
    low_literacy: Text | None = None
    picture: str | None = None  # a picture id of the library


@dataclass(frozen=True)
class Slide:
    title: Text
    bullets: tuple[Text, ...] = ()
    picture: str | None = None  # a picture id; without one the slide shows the session's


@dataclass(frozen=True)
class Card:
    """A picture card the session's activity uses (an emotion, a value): a picture and, unless
    the game is to guess, its words."""

    picture: str
    words: Text | None = None


@dataclass(frozen=True)
class Session:
    id: str
    track: str
    number: int
    title: Text
    summary: Text
    duration_minutes: int
    objectives: tuple[Text, ...]
    materials: tuple[Material, ...]
    activities: tuple[Activity, ...]
    slides: tuple[Slide, ...]
    take_home: Text
    evaluation_questions: tuple[Text, ...]
    tags: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    # The session's key skill each participant shows back, observed by the co-facilitator.
    teach_back: Text | None = None
    picture: str | None = None  # the session's picture id: handout, slides, cards
    cards: tuple[Card, ...] = ()  # picture cards, printed four to a page
    summary_cards: bool = False  # also a card per session of its track (picture and title)
    # Participant handout Markdown by language; a language may be missing while drafting.
    handouts: Mapping[str, str] = field(default_factory=dict)
    # The session's worksheets: names of Markdown files beside it ("<name>.<lang>.md"), the
    # printable annex (templates, worked examples, checklists) the guide points at.
    worksheets: tuple[str, ...] = ()
    # Their Markdown by language, in the order of `worksheets`; both languages are required.
    worksheet_texts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The library's pictures this session names (its own, its activities', slides', handouts').
    pictures: Mapping[str, Picture] = field(default_factory=dict)

    def handout(self, lang: str) -> str | None:
        """The handout in `lang`, falling back to Spanish."""
        return self.handouts.get(lang) or self.handouts.get("es")

    def worksheet_markdown(self, lang: str) -> tuple[str, ...]:
        """The worksheets' Markdown in `lang`, in order (empty when the session has none)."""
        return self.worksheet_texts.get(lang) or self.worksheet_texts.get("es") or ()


@dataclass(frozen=True)
class Track:
    id: str
    title: Text
    audience: str
    summary: Text
    sessions: tuple[str, ...]


@dataclass(frozen=True)
class OverviewSection:
    heading: Text
    body: Text  # Markdown


@dataclass(frozen=True)
class Overview:
    title: Text
    sections: tuple[OverviewSection, ...]


@dataclass(frozen=True)
class Curriculum:
    tracks: tuple[Track, ...]
    sessions: Mapping[str, Session]
    overview: Overview | None = None
    pictures: Mapping[str, Picture] = field(default_factory=dict)
    licences: Mapping[str, Licence] = field(default_factory=dict)
    credits: Mapping[str, Text] = field(default_factory=dict)  # author -> credit line

    def track(self, track_id: str) -> Track:
        return next(track for track in self.tracks if track.id == track_id)

    def sessions_of(self, track_id: str) -> tuple[Session, ...]:
        """The track's sessions in delivery order."""
        return tuple(self.sessions[session_id] for session_id in self.track(track_id).sessions)
