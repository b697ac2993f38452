"""Writes of paper forms: printing them (keeping their layouts), receiving their photos, and
confirming what was read through the same services as typed entry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acompana import policy
from acompana.delivery.models import SessionLog, Suggestion
from acompana.delivery.services import do_receive_suggestion, do_save_session_log
from acompana.domain.omr import errors as omr_errors
from acompana.domain.omr.entries import encode_png
from acompana.domain.omr.forms import attendance_form, questionnaire_form, suggestion_slip
from acompana.domain.omr.read import PageReading, scan
from acompana.domain.omr.render import render_pdf
from acompana.domain.omr.spec import FormIdentity, FormSpec
from acompana.domain.session_sheet import SessionSheet, SheetRules
from acompana.domain.uploads import UploadRefused, check_upload
from acompana.forms.models import PrintedPage, ScannedPage
from acompana.forms.selectors import (
    attendance_contents,
    questionnaire_contents,
    spec_lookup,
)
from acompana.i18n import say
from acompana.planning.models import PlannedSession
from acompana.planning.selectors import session_name
from acompana.programs.models import Group, Person, Program
from acompana.programs.selectors import program_care
from acompana.wellbeing.models import Assessment, Wave
from acompana.wellbeing.services import do_record_assessment

PAPERS = ("a4", "letter")
MAX_PDF_PAGES = 40  # a batch of sheets from one office day; more is split into several uploads


class ScanRefused(Exception):
    """A confirmation that cannot be made, with the reason in a sentence."""


# --- Printing -----------------------------------------------------------------------------

def do_print_attendance_form(*, planned: PlannedSession, by: policy.Actor | Person | None,
                             paper: str | None = None) -> bytes:
    """The attendance-and-feedback sheet of one group's session, roster pre-printed."""
    by = policy.authorize(by, "forms.do_print_attendance_form", planned).person
    contents = attendance_contents(planned)
    specs = attendance_form(planned.program.code, planned.group.code, planned.session_code,
                            contents.title, contents.roster, contents.activities,
                            contents.questions, paper=_paper(paper, planned.program),
                            group_name=planned.group.name, program_name=planned.program.name)
    return _print(planned.program, specs, by=by)


def do_print_questionnaires(*, program: Program, instrument: str, wave: str, copies: int,
                            by: policy.Actor | Person | None, paper: str | None = None) -> bytes:
    """`copies` numbered copies of a wellbeing questionnaire for one wave."""
    by = policy.authorize(by, "forms.do_print_questionnaires", program).person
    if wave not in Wave.values:
        raise ScanRefused(_("Unknown wave %(wave)s.") % {"wave": wave})
    asked = program_care(program).wave_instruments(wave)
    if instrument not in asked:
        raise ScanRefused(_("The program does not ask %(instrument)s in this wave; it asks "
                            "%(asked)s.") % {"instrument": instrument.upper(),
                                             "asked": ", ".join(i.upper() for i in asked)})
    contents = questionnaire_contents(instrument, program.default_language)
    specs = questionnaire_form(program.code, instrument, contents.title, [], [], wave,
                               paper=_paper(paper, program), sections=contents.sections,
                               program_name=program.name)
    return _print(program, specs, by=by, copies=copies)


def do_print_suggestion_slips(*, group: Group, copies: int, by: policy.Actor | Person | None,
                              paper: str | None = None) -> bytes:
    """Anonymous suggestion slips of one group, numbered so a slip scanned twice is caught."""
    by = policy.authorize(by, "forms.do_print_suggestion_slips", group).person
    specs = suggestion_slip(group.program.code, group.code,
                            paper=_paper(paper, group.program), group_name=group.name,
                            program_name=group.program.name)
    return _print(group.program, specs, by=by, copies=copies)


def _paper(paper: str | None, program: Program) -> str:
    """The paper asked for, or the program's (its setting, else its country's)."""
    if not paper:
        return program.paper
    if paper not in PAPERS:
        raise ScanRefused(_("Paper size must be A4 or letter."))
    return paper


def _print(program: Program, specs: Sequence[FormSpec], *, by: Person | None,
           copies: int = 1) -> bytes:
    """Keep every page's layout (the reader needs it), then draw the PDF. Copies of forms
    filled once per person are numbered on from the last print run, so a sheet of a new run is
    never mistaken for a second scan of an old one."""
    if not 1 <= copies <= 500:
        raise ScanRefused(_("Print between 1 and 500 copies."))
    numbered = specs[0].identity.form_type != "attendance"
    with transaction.atomic():
        pages = [PrintedPage.objects.select_for_update().get_or_create(
            program=program, stem=spec.identity.file_stem(),
            defaults={"spec": spec.to_json(), "printed_by": by})[0] for spec in specs]
        first_copy = max(page.copies_printed for page in pages) + 1 if numbered else 1
        for page, spec in zip(pages, specs, strict=True):
            page.spec, page.printed_by = spec.to_json(), by
            page.copies_printed = first_copy + copies - 1
            page.save()
    return render_pdf(specs, copies, first_copy)


# --- Receiving photos and scans -----------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    source: str
    message: str
    detail: str = ""


@dataclass
class Received:
    pages: list[ScannedPage]
    problems: list[Problem]
    several: dict[str, int] = dataclasses.field(default_factory=dict)  # photo -> sheets found in it


ERROR_MESSAGES = {
    omr_errors.UnreadableFileError: gettext_lazy(
        "This file cannot be opened as a photo or a PDF."),
    omr_errors.NotAnAcompanaFormError: gettext_lazy(
        "This page is not an Acompaña form: no Acompaña QR code was found on it."),
    omr_errors.UnreadableQrError: gettext_lazy(
        "The QR code in the top right corner of this sheet could not be read: check it is not "
        "covered, folded, torn or in shadow, and take the photo again."),
    omr_errors.UnknownFormVersionError: gettext_lazy(
        "This form was printed by another version of Acompaña, which this one cannot read."),
    omr_errors.UnknownFormError: gettext_lazy(
        "This form was not printed from this Acompaña, so its layout is unknown: print forms "
        "from Acompaña before filling them."),
    omr_errors.MissingMarkersError: gettext_lazy(
        "The four black squares in the corners are not all visible: photograph the whole "
        "sheet, flat, with its four corners."),
    omr_errors.DuplicatePageError: gettext_lazy(
        "The same sheet appears twice in what you sent."),
    omr_errors.WrongSessionError: gettext_lazy(
        "This sheet belongs to another session than the one you are entering."),
    omr_errors.OutOfFrameError: gettext_lazy(
        "Part of the page is outside the photo: take it again with the whole page, and its "
        "four black corner squares, in view."),
    omr_errors.BlurredPhotoError: gettext_lazy(
        "The photo is too blurred to read: hold the phone still, let it focus on the page, "
        "and take it again."),
}
SEVERAL_SHEETS = gettext_lazy(
    "This photo shows several sheets and this one could not be read: photograph it on its "
    "own.")


def do_receive_scans(*, program: Program, files: Iterable[tuple[str, bytes]], by: Person,
                     expected: FormIdentity | None = None) -> Received:
    """Read every page of the photos and PDFs sent; pages read wait for a person to check
    them, and every page that cannot be taken is named with the reason. Nothing is saved to
    the records yet. Only forms of the sender's groups, and of kinds hers to enter, are kept."""
    actor = policy.authorize(by, "forms.do_receive_scans", program)
    allowed_forms, groups = policy.forms_received_by(actor), policy.visible_groups(actor)
    received = Received([], [])
    with tempfile.TemporaryDirectory(prefix="acompana-scan-") as folder:
        paths = _store_uploads(files, Path(folder), received.problems)
        results = list(scan(paths, spec_lookup(program), expected))
        with transaction.atomic():
            for result in results:
                source = _shown_source(result.source, folder)
                photo, sheets = _photo_and_sheets(source)
                if sheets > 1:
                    received.several[photo] = sheets
                if isinstance(result, omr_errors.OmrError):
                    message = str(ERROR_MESSAGES[type(result)])
                    if sheets > 1:
                        message = f"{message} {SEVERAL_SHEETS}"
                    received.problems.append(Problem(source, message, result.reason))
                    continue
                try:
                    received.pages.append(_keep_page(program, result, source, by, groups,
                                                     allowed_forms))
                except ScanRefused as refused:
                    received.problems.append(Problem(source, str(refused)))
    return received


def _store_uploads(files: Iterable[tuple[str, bytes]], folder: Path,
                   problems: list[Problem]) -> list[Path]:
    paths = []
    for number, (name, data) in enumerate(files, start=1):
        try:
            kind = check_upload(data, name, accept={"png", "jpeg", "pdf"},
                                max_bytes=settings.MAX_UPLOAD_BYTES)
            if kind == "pdf":
                _check_pdf_pages(data, name)
        except UploadRefused as refused:
            problems.append(Problem(name, say(refused.message)))
            continue
        except ScanRefused as refused:
            problems.append(Problem(name, str(refused)))
            continue
        path = folder / f"{number:03d}" / Path(name).name
        path.parent.mkdir()
        path.write_bytes(data)
        paths.append(path)
    return paths


def _check_pdf_pages(data: bytes, name: str) -> None:
    try:
        with pymupdf.open(stream=data, filetype="pdf") as document:
            count = document.page_count
    except (RuntimeError, ValueError) as error:
        raise ScanRefused(_("%(name)s cannot be opened as a PDF.") % {"name": name}) from error
    if count > MAX_PDF_PAGES:
        raise ScanRefused(_("%(name)s has %(count)s pages; send at most %(limit)s pages at a "
                              "time.") % {"name": name, "count": count, "limit": MAX_PDF_PAGES})


def _photo_and_sheets(source: str) -> tuple[str, int]:
    """`photo.jpg (2/3)` is the second of 3 sheets in photo.jpg."""
    photo, _, count = source.rpartition(" (")
    if photo and count.endswith(")") and "/" in count:
        number, _, total = count[:-1].partition("/")
        if number.isdigit() and total.isdigit():
            return photo, int(total)
    return source, 1


def _shown_source(source: str, folder: str) -> str:
    """`photo.jpg page 2` rather than the temporary folder it was read from."""
    prefix = str(Path(folder)) + "/"
    source = source.removeprefix(prefix)
    return source.split("/", 1)[-1]


def _keep_page(program: Program, reading: PageReading, source: str, by: Person,
               groups: QuerySet[Group], allowed_forms: frozenset[str]) -> ScannedPage:
    identity = reading.identity
    if identity.program != program.code:
        raise ScanRefused(_("This sheet belongs to the program %(other)s, not to this one.")
                          % {"other": identity.program})
    if identity.form_type not in allowed_forms:
        raise ScanRefused(_("This is a %(form)s; it is not yours to enter (questionnaires go "
                            "to the mental-health clinician alone).") % {
            "form": ScannedPage.FormType(identity.form_type).label})
    group = None
    if identity.group:
        group = groups.filter(code=identity.group).first()
        if group is None:
            named = Group.objects.filter(program=program, code=identity.group).first()
            raise ScanRefused(_("This sheet belongs to %(group)s, which is not one of your "
                                "groups.") % {"group": named.name if named else identity.group})
    if identity.form_type == "attendance" and not PlannedSession.objects.filter(
            group=group, session_code=identity.occasion).exists():
        raise ScanRefused(_("%(group)s has no %(session)s in the work plan.") % {
            "group": group.name if group else identity.group,
            "session": session_name(identity.occasion)})
    payload = identity.to_payload()
    earlier = ScannedPage.objects.filter(program=program, payload=payload).exclude(
        status=ScannedPage.Status.DISCARDED).select_related("uploaded_by").first()
    if earlier is not None:
        raise ScanRefused(_("This sheet was already uploaded (%(source)s, on %(when)s by "
                            "%(who)s): the same sheet is not entered twice.") % {
            "source": earlier.source, "who": earlier.uploaded_by.name,
            "when": timezone.localtime(earlier.uploaded_at).strftime("%Y-%m-%d %H:%M")})
    data = reading.to_dict()
    for field in data["fields"]:
        field.pop("measures")
    return ScannedPage.objects.create(
        program=program, form_type=identity.form_type, group=group,
        occasion=identity.occasion, instrument=identity.instrument, page=identity.page,
        pages=identity.pages, copy=identity.copy, payload=payload, source=source[:300],
        reading=data, image=encode_png(reading.image), uploaded_by=by)


# --- Confirming what was read --------------------------------------------------------------

def do_discard_scan(*, scans: Sequence[ScannedPage], by: Person) -> None:
    """Set a misread or wrong sheet aside; it may be photographed and sent again."""
    policy.authorize(by, "forms.do_discard_scan", scans)
    with transaction.atomic():
        _decide(_pending(scans), by, ScannedPage.Status.DISCARDED)


def do_confirm_attendance_sheet(*, scans: Sequence[ScannedPage], planned: PlannedSession,
                                sheet: SessionSheet, rules: SheetRules, by: Person,
                                expected_version: int | None,
                                date_confirmed: bool = True) -> SessionLog:
    """Save the checked sheet exactly as typed entry saves it (same validation, same audit,
    kept as the sheet's first entry for double entry, the same check of the date against the
    plan's), and mark its pages saved."""
    policy.authorize(by, "forms.do_confirm_attendance_sheet", scans)
    with transaction.atomic():
        pages = _pending(scans)
        log = do_save_session_log(group=planned.group, session_code=planned.session_code,
                                  sheet=sheet, rules=rules, entered_by=by, planned=planned,
                                  expected_version=expected_version, keep_as_first_entry=True,
                                  date_confirmed=date_confirmed)
        _decide(pages, by, ScannedPage.Status.CONFIRMED, f"session-log:{log.pk}")
    return log


def do_confirm_questionnaire(*, scans: Sequence[ScannedPage], person: Person,
                             responses: list[int | None], taken_on: dt.date,
                             by: Person) -> Assessment:
    """Store the checked answers as a paper questionnaire the clinician entered."""
    policy.authorize(by, "forms.do_confirm_questionnaire", scans)
    with transaction.atomic():
        pages = _pending(scans)
        first = pages[0]
        assessment, _referral = do_record_assessment(
            person=person, instrument=first.instrument, wave=first.occasion,
            responses=responses, mode="paper", entered_by=by, taken_on=taken_on)
        _decide(pages, by, ScannedPage.Status.CONFIRMED, f"assessment:{assessment.pk}")
    return assessment


def do_confirm_suggestion(*, scans: Sequence[ScannedPage], text: str, received_on: dt.date,
                          by: Person) -> Suggestion:
    """Record the slip as a suggestion of its group, as the suggestions page does."""
    policy.authorize(by, "forms.do_confirm_suggestion", scans)
    with transaction.atomic():
        pages = _pending(scans)
        suggestion = do_receive_suggestion(program=pages[0].program, text=text,
                                           received_on=received_on, by=by,
                                           group=pages[0].group)
        _decide(pages, by, ScannedPage.Status.CONFIRMED, f"suggestion:{suggestion.pk}")
    return suggestion


def _pending(scans: Sequence[ScannedPage]) -> list[ScannedPage]:
    """The pages locked for this decision; a page someone else decided meanwhile refuses it."""
    pages = list(ScannedPage.objects.select_for_update(of=("self",)).filter(
        pk__in=[page.pk for page in scans]).select_related("program", "group"))
    if not pages or any(page.status != ScannedPage.Status.PENDING for page in pages):
        raise ScanRefused(_("This sheet was already saved or discarded by someone else."))
    return pages


def _decide(pages: list[ScannedPage], by: Person, status: str, saved_as: str = "") -> None:
    """The pages saved (as the record `saved_as` names) or discarded, by whom and when."""
    for page in pages:
        page.status, page.decided_by, page.decided_at, page.saved_as = (
            status, by, timezone.now(), saved_as)
        page.save(update_fields=["status", "decided_by", "decided_at", "saved_as"])
