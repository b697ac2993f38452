"""Reads for paper forms: what a form prints, the layouts kept, and scanned sheets to check."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from acompana.curriculum.selectors import curriculum_session
from acompana.domain.instruments import INSTRUMENTS
from acompana.domain.omr import marks
from acompana.domain.omr.entries import (
    EntryValues,
    RowToCheck,
    attendance_entry,
    crop_png,
    questionnaire_entry,
    rows_to_check,
)
from acompana.domain.omr.forms import rebuild_spec
from acompana.domain.omr.spec import FormIdentity, FormSpec
from acompana.forms.models import PrintedPage, ScannedPage
from acompana.planning.models import PlannedSession
from acompana.policy import Actor, visible_scans
from acompana.programs.models import Membership, Program


@dataclass(frozen=True)
class AttendanceContents:
    title: str
    roster: list[tuple[str, str]]  # (person code, name)
    activities: list[str]
    questions: list[str]


def attendance_contents(planned: PlannedSession) -> AttendanceContents:
    """What a session's sheet prints, in the program's language: the roster on the day."""
    lang = planned.program.default_language
    session = curriculum_session(planned.session_code)
    members = (Membership.objects.filter(group=planned.group, joined__lte=planned.date)
               .exclude(left__lt=planned.date).select_related("person")
               .order_by("person__name"))
    return AttendanceContents(
        title=f"{session.number}. {session.title.in_lang(lang)}",  # names, not the code
        roster=[(m.person.code, m.person.name) for m in members],
        activities=[activity.name.in_lang(lang) for activity in session.activities],
        questions=[question.in_lang(lang) for question in session.evaluation_questions])


@dataclass(frozen=True)
class QuestionnaireContents:
    title: str
    sections: list[tuple[list[tuple[str, str]], list[tuple[int, str]]]]


def questionnaire_contents(instrument_id: str, lang: str) -> QuestionnaireContents:
    """An instrument's items, in runs that share an answer scale."""
    instrument = INSTRUMENTS[instrument_id]
    sections: list[tuple[str, list[tuple[str, str]], list[tuple[int, str]]]] = []
    for item in instrument.items:
        if not sections or sections[-1][0] != item.options:
            options = [(str(option.value), option.label.in_language(lang))
                       for option in instrument.option_sets[item.options]]
            sections.append((item.options, options, []))
        sections[-1][2].append((item.number, item.text.in_language(lang)))
    return QuestionnaireContents(title=instrument.name.in_language(lang),
                                 sections=[(options, items) for _title, options, items in sections])


def spec_lookup(program: Program) -> Callable[[FormIdentity], FormSpec | None]:
    """The reader's way to a page's layout: the one kept when it was printed."""
    def lookup(identity: FormIdentity) -> FormSpec | None:
        printed = PrintedPage.objects.filter(program=program,
                                             stem=identity.sheet.file_stem()).first()
        return FormSpec.from_json(printed.spec) if printed else rebuild_spec(identity)
    return lookup


# --- Sheets to check -----------------------------------------------------------------------

# Why a mark was left for a person, in words a reviewer reads beside the picture.
FLAG_REASONS = {
    marks.MULTIPLE: _("more than one mark on this line; one was expected."),
    marks.FAINT_ONLY: _("only a faint mark; check whether it was meant."),
    marks.EMPTY: _("nothing is marked where an answer is needed."),
    marks.CANCELLED: _("an answer was crossed or scribbled out and no other one is clear."),
}


@dataclass(frozen=True)
class Picture:
    row: RowToCheck
    data_uri: str

    @property
    def reasons(self) -> list[str]:
        return [str(FLAG_REASONS.get(status, _("the mark could not be read.")))
                for status in self.row.flagged]


@dataclass(frozen=True)
class SheetToCheck:
    """Every uploaded page of one filled sheet, its rows pictured, and the values read."""

    pages: list[ScannedPage]
    missing_pages: list[int]
    pictures: list[Picture]
    entry: EntryValues
    notes_pictures: list[Picture]

    @property
    def first(self) -> ScannedPage:
        return self.pages[0]


def pending_scans(*, actor: Actor):
    return visible_scans(actor).filter(status=ScannedPage.Status.PENDING).select_related(
        "group", "uploaded_by")


def recent_scans(*, actor: Actor, limit: int = 30):
    return visible_scans(actor).exclude(status=ScannedPage.Status.PENDING).select_related(
        "group", "decided_by").order_by("-decided_at")[:limit]


def sheet_to_check(*, actor: Actor, pk: int) -> SheetToCheck:
    """The sheet a scanned page belongs to, within the actor's scope (404 outside it)."""
    page = get_object_or_404(visible_scans(actor), pk=pk)
    pages = list(visible_scans(actor).filter(
        form_type=page.form_type, group=page.group, occasion=page.occasion,
        instrument=page.instrument, copy=page.copy, status=page.status).order_by("page"))
    fields = [field for p in pages for field in p.reading["fields"]]
    entry = (questionnaire_entry(fields) if page.form_type == "questionnaire"
             else attendance_entry(fields))
    pictures, notes = [], []
    layouts = spec_lookup(page.program)
    for p in pages:
        spec = layouts(FormIdentity(**p.reading["identity"]))
        for row in rows_to_check(p.reading["fields"], spec):
            picture = Picture(row, _data_uri(crop_png(bytes(p.image), row.box_px)))
            (pictures if row.values else notes).append(picture)
    present = {p.page for p in pages}
    return SheetToCheck(pages=pages, missing_pages=[n for n in range(1, page.pages + 1)
                                                    if n not in present],
                        pictures=pictures, entry=entry, notes_pictures=notes)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
