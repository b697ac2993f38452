"""Reads of wellbeing data. Individual reads go only to the worker or the clinician (policy)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from acompana.domain.instruments import INSTRUMENTS
from acompana.domain.instruments.change import ReliableChange, reliable_change
from acompana.planning.models import PlannedSession
from acompana.policy import Actor, visible_people
from acompana.programs.models import Person, Role
from acompana.programs.selectors import program_care
from acompana.wellbeing.models import Assessment, Consent, Referral, Wave


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


def battery(person: Person, wave: str) -> tuple[str, ...]:
    """The questionnaires the program asks in a wave (its program file's choice)."""
    return program_care(person.program).wave_instruments(wave)


def any_wave_battery(program) -> tuple[str, ...]:
    """Every questionnaire the program asks in some wave, in the order first asked."""
    care = program_care(program)
    return tuple(dict.fromkeys(i for wave in Wave.values for i in care.wave_instruments(wave)))


def offline_questionnaire(instrument_id: str, lang: str) -> dict:
    """An instrument for the phone's own screens: its questions, and for each item whose answer
    alone opens the path to care, the value from which it does (the instrument's own rule: the
    phone shows the help numbers at once; the server scores and refers when it receives it)."""
    form = questionnaire(instrument_id, lang)
    return {"id": form.id, "name": form.name, "instructions": form.instructions,
            "questions": [{"number": q.number, "text": q.text, "options": q.options}
                          for q in form.questions],
            "risk_from": {str(rule.item): rule.at_least
                          for rule in INSTRUMENTS[instrument_id].care_flags
                          if rule.item is not None}}


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
    return [instrument for instrument in battery(person, wave) if instrument not in done]


def plain_name(instrument_id: str) -> str:
    """What a questionnaire is about, in the worker's words: her pages never name a scale by
    its clinical title ('Generalized Anxiety Disorder', 'Burnout')."""
    return {"who5": gettext("How you have felt"), "phq9": gettext("Your mood"),
            "gad7": gettext("Nerves and worries"), "pss10": gettext("Stress"),
            "pss4": gettext("Stress"), "cbi": gettext("Tiredness from the work")}.get(
        instrument_id, gettext("Questionnaire"))


@dataclass(frozen=True)
class HelpContact:
    name: str
    phone: str
    hours: str
    call: str


def help_contacts(program) -> list[HelpContact]:
    """Where she can call for help, from the program file: the clinic, then the help lines."""
    from acompana.alerts.links import tel_link

    care = program_care(program)
    places = ([care.clinic] if care.clinic else []) + list(care.help_lines)
    return [HelpContact(place.name, place.phone, place.hours, tel_link(place.phone))
            for place in places]


@dataclass(frozen=True)
class HowSheIsDoing:
    """One questionnaire on her own page: kind words about now compared with before, and the
    score only when the program chose to show it."""

    topic: str
    words: str
    totals: dict[str, float | None]  # by wave, filled only when scores are shown
    bands: dict[str, str]


def how_she_is_doing(person: Person, lang: str) -> list[HowSheIsDoing]:
    show_scores = program_care(person.program).show_scores_to_worker
    rows = []
    for row in person_results(person, lang):
        waves = [w for w in Wave.values if w in row.cells]
        first = dict(Wave.choices)[waves[0]] if waves else ""
        if len(waves) < 2:
            words = gettext("Thank you for answering. Next time you answer, you will see here "
                            "how you are compared with today.")
        elif row.change is None:
            words = gettext("You have answered more than once. If you want to talk about how "
                            "you are, the clinic is there for you.")
        elif row.change.direction == "improved":
            words = gettext("Your answers show you are doing better than at the %(wave)s. "
                            "Whatever helped, keep it close.") % {"wave": first.lower()}
        elif row.change.direction == "worsened":
            words = gettext("Things seem harder for you than at the %(wave)s. You do not have to "
                            "carry it alone: talking with the clinic can help.") % {
                "wave": first.lower()}
        else:
            words = gettext("You are about the same as at the %(wave)s.") % {
                "wave": first.lower()}
        rows.append(HowSheIsDoing(
            topic=plain_name(row.instrument_id), words=words,
            totals={w: c.total for w, c in row.cells.items()} if show_scores else {},
            bands={w: c.band for w, c in row.cells.items()} if show_scores else {}))
    return rows


@dataclass(frozen=True)
class CarePromise:
    """What the finish page may truthfully say after a risk answer: who will look for her and
    by when, and which messages really left (or are still leaving)."""

    clinic: str
    hours: str
    within_hours: float
    sent: list[str]      # channel names that delivered
    sending: bool        # messages still waiting in the outbox
    urgent: bool


def care_promise(referral: Referral) -> CarePromise:
    from acompana.alerts.models import OutboxMessage
    from acompana.wellbeing.services import referral_label

    care = program_care(referral.person.program)
    messages = OutboxMessage.objects.filter(about=referral_label(referral),
                                            topic="referral.opened")
    statuses = list(messages.values_list("channel", "status"))
    labels = dict(OutboxMessage._meta.get_field("channel").choices)
    sent = sorted({str(labels[channel]) for channel, status in statuses
                   if status == OutboxMessage.Status.SENT})
    urgent = referral.urgency == Referral.Urgency.ITEM9
    return CarePromise(
        clinic=care.clinic.name if care.clinic else gettext("the program's clinician"),
        hours=care.clinic.hours if care.clinic else "",
        within_hours=care.escalation_hours.item9 if urgent else care.escalation_hours.severe,
        sent=sent, sending=any(status == OutboxMessage.Status.PENDING for _c, status in statuses),
        urgent=urgent)


@dataclass(frozen=True)
class ResultCell:
    total: float | None
    band: str


@dataclass(frozen=True)
class ResultRow:
    instrument: str
    instrument_id: str
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
            instrument=instrument.name.in_language(lang), instrument_id=instrument_id,
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


URGENCY_ORDER = Case(When(urgency=Referral.Urgency.ITEM9, then=Value(0)), default=Value(1))


def referral_queue(*, actor: Actor) -> QuerySet[Referral]:
    """The clinician's open referrals, most urgent first: a risk answer (item 9) before a severe
    band, not yet contacted before contacted, then the longest waiting."""
    return (Referral.objects.filter(person__program=actor.person.program_id)
            .exclude(status=Referral.Status.CLOSED).select_related("person", "assessment")
            .annotate(urgency_rank=URGENCY_ORDER)
            .order_by("urgency_rank", F("acknowledged_at").asc(nulls_first=True), "opened_at"))


@dataclass(frozen=True)
class QueueRow:
    """A referral as the clinician's queue shows it, with links to reach her at once."""

    referral: Referral
    waited: dt.timedelta
    call: str
    whatsapp: str


def queue_rows(*, actor: Actor) -> list[QueueRow]:
    from acompana.alerts.links import tel_link, whatsapp_link

    care = program_care(actor.person.program)
    clinic = care.clinic.name if care.clinic else actor.person.program.name
    now = timezone.now()
    rows = []
    for referral in referral_queue(actor=actor):
        person = referral.person
        text = gettext("Hello %(name)s, this is %(me)s from %(clinic)s. I would like to talk "
                       "with you today. When can I call you?") % {
            "name": person.name.split()[0], "me": actor.person.name, "clinic": clinic}
        rows.append(QueueRow(referral=referral, waited=now - referral.opened_at,
                             call=tel_link(person.phone),
                             whatsapp=whatsapp_link(person.whatsapp or person.phone, text)))
    return rows


@dataclass(frozen=True)
class PaperBacklog:
    """Paper questionnaires a wave's session collected that nobody has typed in yet."""

    group: str
    session_code: str
    wave: str
    held_on: dt.date
    collected: int
    not_entered: int

    @property
    def age_days(self) -> int:
        return (timezone.localdate() - self.held_on).days


def wave_sessions(program) -> dict[str, str]:
    """The curriculum session of each wave (session code -> wave), as the program numbers them."""
    from acompana.curriculum.selectors import current_curriculum
    from acompana.planning.selectors import DEFAULT_WAVES

    numbers = program.planning.get("assessment_waves") or DEFAULT_WAVES
    track = next((t for t in current_curriculum().tracks if t.audience == "acompanantes"), None)
    if track is None:
        return {}
    return {track.sessions[number - 1]: wave for wave, number in numbers.items()
            if 0 < number <= len(track.sessions)}


def paper_backlog(*, actor: Actor) -> list[PaperBacklog]:
    """Per held wave session, how many present members have no paper questionnaire of that wave
    entered yet, oldest session first: the sealed envelopes still waiting to be typed in."""
    from acompana.delivery.models import Attendance, SessionLog

    waves = wave_sessions(actor.person.program)
    logs = (SessionLog.objects.filter(group__program=actor.person.program_id,
                                      session_code__in=waves, outcome=SessionLog.Outcome.HELD)
            .select_related("group").order_by("date"))
    present = {}
    for log_id, person_id in Attendance.objects.filter(
            log__in=logs, status=Attendance.Status.PRESENT).values_list("log_id", "person_id"):
        present.setdefault(log_id, set()).add(person_id)
    entered = set(Assessment.objects.filter(
        mode="paper", person__in={p for people in present.values() for p in people})
        .values_list("person_id", "wave"))
    backlog = []
    for log in logs:
        wave = waves[log.session_code]
        people = present.get(log.pk, set())
        waiting = [p for p in people if (p, wave) not in entered]
        if waiting:
            backlog.append(PaperBacklog(group=log.group.name, session_code=log.session_code,
                                        wave=wave, held_on=log.date, collected=len(people),
                                        not_entered=len(waiting)))
    return backlog


@dataclass(frozen=True)
class Reachable:
    person: Person
    call: str
    whatsapp: str


@dataclass(frozen=True)
class OverdueSummary:
    """What the coordination sees of referrals nobody has contacted in time: how many and how
    long the longest has waited, and whom to call; never whose, which group or why."""

    count: int
    longest_wait: dt.timedelta | None
    contacts: list[Reachable]

    @property
    def longest_hours(self) -> int:
        return int(self.longest_wait.total_seconds() // 3600) if self.longest_wait else 0


def overdue_referrals_summary(*, actor: Actor) -> OverdueSummary:
    overdue = Referral.objects.filter(
        person__program=actor.person.program_id, status=Referral.Status.OPEN,
        acknowledged_at__isnull=True, contact_due_at__lte=timezone.now())
    oldest = overdue.order_by("opened_at").values_list("opened_at", flat=True).first()
    if oldest is None:
        return OverdueSummary(0, None, [])
    from acompana.alerts.links import tel_link, whatsapp_link

    care = program_care(actor.person.program)
    waited = timezone.now() - oldest
    text = gettext("An urgent referral in Acompaña has waited %(hours)s hours without contact. "
                   "Can you open the referral queue now?") % {
        "hours": int(waited.total_seconds() // 3600)}
    people = Person.objects.filter(program=actor.person.program_id).filter(
        Q(role=Role.CLINICIAN) | Q(code=care.backup_contact or "")).order_by("code")
    return OverdueSummary(
        count=overdue.count(), longest_wait=waited,
        contacts=[Reachable(person, tel_link(person.phone),
                            whatsapp_link(person.whatsapp or person.phone, text))
                  for person in people])


@dataclass(frozen=True)
class TimeToContact:
    wave: str
    referrals: int
    contacted: int
    median_hours: float | None
    longest_hours: float | None
    waiting: int


def time_to_first_contact(*, program) -> list[TimeToContact]:
    """Per wave, how long referrals waited for the clinician's first contact (median and
    longest, in hours), and how many still wait: figures over the wave, never per person."""
    from statistics import median

    rows = []
    referrals = Referral.objects.filter(person__program=program).values_list(
        "assessment__wave", "opened_at", "acknowledged_at")
    by_wave: dict[str, list] = {}
    for wave, opened, acknowledged in referrals:
        by_wave.setdefault(wave, []).append((opened, acknowledged))
    for wave in Wave.values:
        if wave not in by_wave:
            continue
        hours = [(ack - opened).total_seconds() / 3600 for opened, ack in by_wave[wave] if ack]
        rows.append(TimeToContact(
            wave=wave, referrals=len(by_wave[wave]), contacted=len(hours),
            median_hours=median(hours) if hours else None,
            longest_hours=max(hours) if hours else None,
            waiting=len(by_wave[wave]) - len(hours)))
    return rows


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
            # A wave's lowest and highest scores are one person's each: never released.
            distributions={w: dataclasses.replace(d, minimum=None, maximum=None)
                           for w, d in distributions(
                               instrument_id,
                               {w: v for w, v in by_wave.items() if len(v) >= k}).items()},
            change=paired_change(baseline, endline) if len(pairs) >= k else None))
    return tables
