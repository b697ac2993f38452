"""Reads of wellbeing data. Individual reads go only to the worker or the clinician (policy)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from acompana.domain.instruments import INSTRUMENTS
from acompana.domain.instruments.change import ReliableChange, reliable_change
from acompana.planning.models import PlannedSession
from acompana.policy import Actor, visible_people
from acompana.programs.models import Person, Role
from acompana.wellbeing.models import Assessment, Consent, Referral, Wave

# Instruments every wave asks, in this order, unless the program file says otherwise.
DEFAULT_BATTERY = ("who5", "pss10", "cbi", "phq9", "gad7")


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    options: list[tuple[int, str]]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    name: str
    instructions: str
    questions: list[Question]


def questionnaire(instrument_id: str, lang: str) -> Questionnaire:
    """An instrument as the screens show it, in one language."""
    instrument = INSTRUMENTS[instrument_id]
    return Questionnaire(
        id=instrument_id, name=instrument.name.in_language(lang),
        instructions=" ".join((instrument.instructions.in_language(lang),
                               instrument.time_frame.in_language(lang))).strip(),
        questions=[Question(number=item.number, text=item.text.in_language(lang),
                            options=[(option.value, option.label.in_language(lang))
                                     for option in instrument.option_sets[item.options]])
                   for item in instrument.items])


def battery(person: Person) -> tuple[str, ...]:
    return tuple(person.program.planning.get("assessment_instruments", DEFAULT_BATTERY))


def wave_dates(person: Person) -> dict[str, dt.date]:
    """The dates of the waves for the worker's group, as the work plan sets them."""
    from acompana.planning.selectors import wave_dates as plan_wave_dates

    membership = person.memberships.filter(left__isnull=True).select_related("group").first()
    if membership is None:
        return {}
    sessions = PlannedSession.objects.filter(group=membership.group).select_related("group")
    waves = plan_wave_dates(program=person.program, sessions=sessions)
    return {wave: day for wave, day in waves.get(membership.group.code, {}).items() if day}


def current_wave(person: Person, today: dt.date | None = None) -> str:
    """The latest wave whose session date has come (baseline before any)."""
    today = today or timezone.localdate()
    dates = wave_dates(person)
    reached = [wave for wave in Wave.values if wave in dates and dates[wave] <= today]
    return reached[-1] if reached else Wave.BASELINE


def pending_instruments(person: Person, wave: str) -> list[str]:
    done = set(Assessment.objects.filter(person=person, wave=wave)
               .values_list("instrument", flat=True))
    return [instrument for instrument in battery(person) if instrument not in done]


@dataclass(frozen=True)
class ResultCell:
    total: float | None
    band: str


@dataclass(frozen=True)
class ResultRow:
    instrument: str
    cells: dict[str, ResultCell]  # by wave
    change: ReliableChange | None  # between the first and the last wave, when computable


def person_results(person: Person, lang: str) -> list[ResultRow]:
    """One row per instrument: each wave's score and band, and the reliable change."""
    rows: dict[str, dict[str, Assessment]] = {}
    for assessment in person.assessments.order_by("taken_on"):
        rows.setdefault(assessment.instrument, {})[assessment.wave] = assessment
    results = []
    for instrument_id, by_wave in rows.items():
        instrument = INSTRUMENTS[instrument_id]
        bands = {band.key: band.label.in_language(lang) for band in instrument.bands}
        waves = [w for w in Wave.values if w in by_wave and by_wave[w].total is not None]
        change = None
        if len(waves) >= 2:
            try:
                change = reliable_change(instrument_id, by_wave[waves[0]].total,
                                         by_wave[waves[-1]].total)
            except ValueError:  # no published SD for this scale: shown without an RCI
                change = None
        results.append(ResultRow(
            instrument=instrument.name.in_language(lang),
            cells={wave: ResultCell(a.total, bands.get(a.band, "")) for wave, a in by_wave.items()},
            change=change))
    return results


def consenting_acompanantes(*, actor: Actor) -> QuerySet[Person]:
    """The Acompañantes the actor may see who have consent in force, by name: whose scanned
    questionnaire may be typed in (one query, not one per person)."""
    in_force = Consent.objects.filter(person=OuterRef("pk"), withdrawn_at__isnull=True)
    return (visible_people(actor).filter(Exists(in_force), role=Role.ACOMPANANTE)
            .order_by("name"))


def person_for_clinician(*, actor: Actor, code: str) -> Person:
    return get_object_or_404(visible_people(actor).filter(role=Role.ACOMPANANTE), code=code)


def referral_queue(*, actor: Actor) -> QuerySet[Referral]:
    """Open referrals, longest waiting first."""
    return (Referral.objects.filter(person__program=actor.person.program_id)
            .exclude(status=Referral.Status.CLOSED).select_related("person")
            .order_by("opened_at"))


def _settled_scores(*, program_id: int, groups: list) -> dict[str, dict[tuple[str, str],
                                                                       dict[int, float]]]:
    """Scores by instrument, then (group code, wave), then person: only respondents who count.

    A respondent counts in a group's wave only if her record came from the program file or an
    audited service, and her membership was written before the wave opened (the moment the
    program's first answer of that wave was recorded). So made-up people, and groups or moves
    made up once a wave is open, can never fill a small cell around a real person.
    """
    from django.db.models import Min

    from acompana.domain.instruments.suppression import RecordedMembership, settled_members
    from acompana.programs.models import Membership, Provenance

    opened_at = dict(Assessment.objects.filter(person__program=program_id)
                     .values("wave").annotate(opened=Min("created_at"))
                     .values_list("wave", "opened"))
    trusted = (Provenance.PROGRAM_FILE, Provenance.SERVICE)
    memberships = [
        RecordedMembership(person=person, group=group, recorded_at=recorded_at, left=left,
                           left_recorded_at=left_recorded_at)
        for person, group, recorded_at, left, left_recorded_at in Membership.objects.filter(
            group__in=groups, person__provenance__in=trusted, person__role=Role.ACOMPANANTE)
        .values_list("person_id", "group__code", "recorded_at", "left", "left_recorded_at")]
    members = settled_members(memberships, opened_at)
    people = {person for by_group in members.values() for group in by_group.values()
              for person in group}
    scores: dict[str, dict[tuple[str, str], dict[int, float]]] = {}
    for instrument, wave, person, total in Assessment.objects.filter(
            person__in=people, total__isnull=False).values_list(
            "instrument", "wave", "person_id", "total"):
        for group, group_members in members.get(wave, {}).items():
            if person in group_members:
                scores.setdefault(instrument, {}).setdefault((group, wave), {})[person] = total
    return scores


@dataclass(frozen=True)
class AggregateTable:
    """One instrument's results by group and wave, as they may be shown."""

    instrument: str
    name: str
    waves: list[str]
    rows: list[tuple[str, list[tuple[int | None, float | None]]]]  # group: (n, median)
    totals: list[int | None]
    k: int
    distributions: dict
    change: object | None  # paired baseline -> endline change over the whole scope


def aggregate_results(*, actor: Actor, lang: str) -> list[AggregateTable]:
    """Counts and medians by group and wave, small cells suppressed with their complements.

    Nobody sees fewer than k respondents, and no hidden cell can be worked out from the totals.
    """
    from statistics import median

    from acompana.domain.instruments.change import distributions, paired_change
    from acompana.domain.instruments.suppression import CountTable, suppress
    from acompana.policy import visible_groups

    k = int(actor.person.program.planning.get("suppression_k", 5))
    groups = list(visible_groups(actor).order_by("code"))
    tables = []
    scores = _settled_scores(program_id=actor.person.program_id, groups=groups)
    for instrument_id in sorted(scores):
        cells = scores[instrument_id]
        waves = [w for w in Wave.values if any(wave == w for _g, wave in cells)]
        codes = [g.code for g in groups]
        counts = tuple(tuple(len(cells.get((g, w), {})) for w in waves) for g in codes)
        released = suppress(CountTable(tuple(codes), tuple(waves), counts), k=k)
        medians = [[median(cells[(g, w)].values()) if cells.get((g, w)) else None
                    for w in waves] for g in codes]
        shown_medians = released.mask(medians)
        # Each respondent once per wave, even when she counts in two groups.
        by_wave = {w: list({p: s for g in codes for p, s in cells.get((g, w), {}).items()}
                           .values()) for w in waves}
        baseline = {p: s for g in codes for p, s in cells.get((g, Wave.BASELINE), {}).items()}
        endline = {p: s for g in codes for p, s in cells.get((g, Wave.ENDLINE), {}).items()}
        pairs = set(baseline) & set(endline)
        tables.append(AggregateTable(
            instrument=instrument_id, name=INSTRUMENTS[instrument_id].name.in_language(lang),
            waves=waves,
            rows=[(group.name, list(zip(released.cells[i], shown_medians[i], strict=True)))
                  for i, group in enumerate(groups)],
            totals=list(released.column_totals), k=k,
            distributions={w: d for w, d in distributions(
                instrument_id, {w: v for w, v in by_wave.items() if len(v) >= k}).items()},
            change=paired_change(baseline, endline) if len(pairs) >= k else None))
    return tables
