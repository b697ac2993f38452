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


@dataclass(frozen=True)
class Slide:
    title: Text
    bullets: tuple[Text, ...] = ()


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
    # Participant handout Markdown by language; a language may be missing while drafting.
    handouts: Mapping[str, str] = field(default_factory=dict)

    def handout(self, lang: str) -> str | None:
        """The handout in `lang`, falling back to Spanish."""
        return self.handouts.get(lang) or self.handouts.get("es")


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

    def track(self, track_id: str) -> Track:
        return next(track for track in self.tracks if track.id == track_id)

    def sessions_of(self, track_id: str) -> tuple[Session, ...]:
        """The track's sessions in delivery order."""
        return tuple(self.sessions[session_id] for session_id in self.track(track_id).sessions)
