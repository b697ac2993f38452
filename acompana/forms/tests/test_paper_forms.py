"""Paper forms end to end: printed from the program's data, photographed, read, checked beside
the picture and saved through the same services as typed entry."""

import datetime as dt
from io import StringIO

import cv2
import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

from acompana import policy
from acompana.delivery.models import SessionLog, SheetEntry, Suggestion
from acompana.delivery.selectors import log_sheet
from acompana.domain.double_entry import sheet_from_fields
from acompana.domain.omr.forms import questionnaire_form
from acompana.domain.omr.handmarks import hand_photo
from acompana.domain.omr.render import render_pdf
from acompana.forms.models import ScannedPage
from acompana.forms.tests.paper import photo, printed_specs, upload
from acompana.planning.models import PlannedSession
from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment
from acompana.wellbeing.services import do_give_consent
from tests.support import ROLE_PEOPLE

KEY, OTHER_KEY, FOREIGN_KEY = "g01:bienestar-01", "g02:bienestar-01", "g05:bienestar-01"
HEADER = {"date": "2023-07-11", "outcome": "held", "facilitator": "sup-01",
          "duration_minutes": "115", "notes": "Llovió; empezamos tarde."}


@pytest.fixture
def plan(ces, settings, tmp_path):
    """bienestar-01 planned for g01 and g02 (sup-01's groups) and g05 (sup-02's)."""
    from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
    from acompana.planning.services import do_store_plan

    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    rows = [("g01", "sup-01", "fac-01", "reforma"), ("g02", "sup-01", "fac-01", "reforma"),
            ("g05", "sup-02", "fac-02", "laguna-del-cofre")]
    do_store_plan(by=policy.OPERATOR, program=ces, plan={"sessions": [{
        "id": f"{group}:bienestar-01", "track": "wellbeing", "session": "bienestar-01",
        "group": group, "supervisor": supervisor, "facilitator": facilitator,
        "community": community, "date": "2023-07-11", "start": "10:00", "end": "12:00"}
        for group, supervisor, facilitator, community in rows]})
    return ces


def _print_sheet(client, key: str) -> list:
    response = client.get(reverse("forms:print_sheet", args=[key]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    group = key.split(":")[0]
    return [s for s in printed_specs(PlannedSession.objects.get(key=key).program, "attendance")
            if s.identity.group == group]


def _marks_for(specs, roster: list[str], absent: str = "", double: str = "") -> dict:
    """Everyone present but `absent`; faces: question 1 'Bien' for the first four present,
    question 2 'Regular' for the next two; every activity done."""
    marks, present = {}, [code for code in roster if code != absent]
    for code in roster:
        marks[f"attendance:{code}"] = "absent" if code == absent else "present"
    if double:
        marks[f"attendance:{double}"] = ("present", "absent")
    for code in present[:4]:
        marks[f"q1:{code}"] = "3"
    for code in present[4:6]:
        marks[f"q2:{code}"] = "2"
    for spec in specs:
        for row in spec.rows:
            if row.id.startswith("activity:"):
                marks[row.id] = "done"
    return marks


def _send(client, *photos: bytes, session: str = ""):
    files = [upload(f"hoja-{n}.jpg", data) for n, data in enumerate(photos, start=1)]
    return client.post(reverse("forms:upload"), {"files": files, "session": session})


def _roster(key: str) -> list[str]:
    planned = PlannedSession.objects.get(key=key)
    return sorted(planned.group.memberships.filter(left__isnull=True)
                  .values_list("person__code", flat=True),
                  key=lambda code: Person.objects.get(code=code).name)


def test_a_photographed_sheet_is_saved_exactly_as_the_same_sheet_typed(plan, login_as,
                                                                        client):
    login_as(ROLE_PEOPLE["supervisor"])
    specs = _print_sheet(client, KEY)
    roster = _roster(KEY)
    marks = _marks_for(specs, roster, absent=roster[1])
    photos = [photo(spec, marks, seed=n, photographed=True) for n, spec in enumerate(specs)]
    response = _send(client, *photos)
    scans = ScannedPage.objects.filter(status="pending")
    assert scans.count() == len(specs), response.content.decode()[:2000]
    review = client.get(reverse("forms:review", args=[scans.first().pk]))
    assert review.status_code == 200
    page = review.content.decode()
    assert page.count("data:image/png;base64,") >= len(roster)  # each row beside its values
    assert review.context["to_decide"] == []

    posted = review.context["typed"] | HEADER
    saved = client.post(reverse("forms:review", args=[scans.first().pk]), posted)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert saved["Location"] == reverse("delivery:saved", args=[KEY])

    typed = HEADER | {f"attendance-{code}": "present" for code in roster} | {
        f"attendance-{roster[1]}": "absent", "feedback-1-3": "4", "feedback-2-2": "2"} | {
        f"fidelity-{n}": "done" for n in range(1, sum(
            row.id.startswith("activity:") for s in specs for row in s.rows) + 1)}
    log = SessionLog.objects.get(planned__key=KEY)
    assert log_sheet(log) == sheet_from_fields(typed)
    assert log.entries.filter(round=SheetEntry.Round.FIRST).exists()  # ready for double entry
    assert set(ScannedPage.objects.values_list("status", flat=True)) == {"confirmed"}
    assert PlannedSession.objects.get(key=KEY).status == "held"


def test_an_uncertain_mark_is_left_for_a_person_and_nothing_is_saved_until_chosen(
        plan, login_as, client):
    login_as(ROLE_PEOPLE["supervisor"])
    specs = _print_sheet(client, KEY)
    roster = _roster(KEY)
    marks = _marks_for(specs, roster, double=roster[0])
    _send(client, *[photo(spec, marks, seed=7) for spec in specs])
    scan = ScannedPage.objects.first()
    review = client.get(reverse("forms:review", args=[scan.pk]))
    assert f"attendance-{roster[0]}" in review.context["to_decide"]
    assert f"attendance-{roster[0]}" not in review.context["typed"]
    refused = client.post(reverse("forms:review", args=[scan.pk]),
                          review.context["typed"] | HEADER)
    assert refused.status_code == 400
    assert refused.context["errors"][f"attendance-{roster[0]}"]
    assert refused.context["typed"]["notes"] == HEADER["notes"]  # what was typed is kept
    assert not SessionLog.objects.exists()
    assert ScannedPage.objects.get(pk=scan.pk).status == "pending"
    chosen = refused.context["typed"] | {f"attendance-{roster[0]}": "present"}
    assert client.post(reverse("forms:review", args=[scan.pk]), chosen).status_code == 302
    assert SessionLog.objects.get().attendance.get(person__code=roster[0]).status == "present"


def test_each_wrong_page_is_named_with_its_reason_and_kept_out(plan, login_as, client):
    coordinator = login_as(ROLE_PEOPLE["coordinator"])
    foreign = _print_sheet(client, FOREIGN_KEY)
    login_as(ROLE_PEOPLE["supervisor"])
    specs = _print_sheet(client, KEY)
    other = _print_sheet(client, OTHER_KEY)
    good = photo(specs[0], {}, seed=3)
    blank = cv2.imencode(".png", np.full((1400, 1000), 255, np.uint8))[1].tobytes()
    cornerless = cv2.imdecode(np.frombuffer(photo(specs[0], {}, seed=4), np.uint8),
                              cv2.IMREAD_COLOR)
    height, width = cornerless.shape[:2]
    cornerless[height - height // 10:, : width // 6] = 255  # the two bottom corners' markers
    cornerless[height - height // 10:, width - width // 6:] = 255
    newer = photo(specs[0], {}, seed=5, version=99)

    response = _send(client, good, good, blank, cv2.imencode(".jpg", cornerless)[1].tobytes(),
                     newer, photo(foreign[0], {}, seed=6), photo(other[0], {}, seed=8),
                     session=KEY)
    problems = {p.source: p.message for p in response.context["received"].problems}
    assert "twice" in problems["hoja-2.jpg"] or "dos veces" in problems["hoja-2.jpg"]
    assert "QR" in problems["hoja-3.jpg"]
    assert "cuatro" in problems["hoja-4.jpg"] or "four" in problems["hoja-4.jpg"]
    assert "versión" in problems["hoja-5.jpg"] or "version" in problems["hoja-5.jpg"]
    assert "otra sesión" in problems["hoja-6.jpg"] or "another session" in problems["hoja-6.jpg"]
    assert "otra sesión" in problems["hoja-7.jpg"] or "another session" in problems["hoja-7.jpg"]
    assert list(ScannedPage.objects.values_list("source", flat=True)) == ["hoja-1.jpg"]

    again = _send(client, good)  # another day, the same sheet
    message = again.context["received"].problems[0].message
    assert "hoja-1.jpg" in message and ("already" in message or "ya se" in message)
    assert ScannedPage.objects.count() == 1
    without_session = _send(client, photo(foreign[0], {}, seed=6))
    assert "Laguna del Cofre" in without_session.context["received"].problems[0].message
    assert coordinator  # printed g05's sheet: coordinators reach every group


def test_a_questionnaire_reaches_the_clinician_alone(plan, login_as, client):
    worker = Person.objects.get(code="ac-g01-02")
    do_give_consent(person=worker, method="paper", recorded_by=worker)
    login_as(ROLE_PEOPLE["clinician"])
    response = client.get(reverse("forms:print_questionnaires"),
                          {"instrument": "who5", "wave": "baseline", "copies": "2"})
    assert response.status_code == 200
    spec = printed_specs(plan, "questionnaire")[0]
    answers = {f"item:{n}": value for n, value in zip(range(1, 6), "54321", strict=True)}
    assert _send(client, photo(spec, answers, copy=2, seed=2)).status_code == 302
    scan = ScannedPage.objects.get()
    assert (scan.form_type, scan.copy) == ("questionnaire", 2)
    review = client.get(reverse("forms:review", args=[scan.pk]))
    assert review["Cache-Control"] == "no-store"
    assert {k: v for k, v in review.context["typed"].items() if k.startswith("item-")} == {
        f"item-{n}": v for n, v in zip(range(1, 6), "54321", strict=True)}

    for role in ("supervisor", "coordinator"):
        login_as(ROLE_PEOPLE[role])
        assert client.get(reverse("forms:review", args=[scan.pk])).status_code == 404
        assert "who5" not in client.get(reverse("forms:index")).content.decode()
        refused = _send(client, photo(spec, answers, copy=1, seed=3))
        assert "clínica" in refused.context["received"].problems[0].message or \
            "clinician" in refused.context["received"].problems[0].message

    login_as(ROLE_PEOPLE["clinician"])
    posted = review.context["typed"] | {"person": worker.code, "taken_on": "2023-07-20"}
    assert client.post(reverse("forms:review", args=[scan.pk]), posted).status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.person, assessment.mode, assessment.total) == (worker, "paper", 60.0)


def test_a_suggestion_slip_becomes_its_groups_suggestion(plan, login_as, client):
    login_as(ROLE_PEOPLE["supervisor"])
    response = client.get(reverse("forms:print_slips"), {"group": "g01", "copies": "3"})
    assert response.status_code == 200
    spec = printed_specs(plan, "suggestion")[0]
    _send(client, photo(spec, {"feeling:group": "4", "topic:main": "schedule"}, copy=3))
    scan = ScannedPage.objects.get()
    review = client.get(reverse("forms:review", args=[scan.pk])).content.decode()
    assert "Bien" in review and "El horario" in review
    client.post(reverse("forms:review", args=[scan.pk]),
                {"text": "Reunirnos más temprano", "received_on": "2023-07-12"})
    suggestion = Suggestion.objects.get()
    assert (suggestion.group.code, suggestion.text) == ("g01", "Reunirnos más temprano")


def test_forms_command_prints_and_scan_reads_back_with_the_kept_layouts(plan, tmp_path):
    out = tmp_path / "hoja.pdf"
    call_command("forms", "attendance", "--group", "g01", "--session", "bienestar-01",
                 "--out", str(out), stdout=StringIO())
    printed = StringIO()
    call_command("scan", str(out), "--json", stdout=printed)
    assert '"form_type": "attendance"' in printed.getvalue()
    for form, extra in (("questionnaire", ["--instrument", "gad7", "--wave", "endline"]),
                        ("suggestion", ["--group", "g01", "--paper", "letter"])):
        call_command("forms", form, *extra, "--copies", "2", "--out", str(tmp_path / "f.pdf"),
                     stdout=StringIO())
        assert (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")


def test_questionnaires_answered_on_two_scales_print_each_scale_with_its_items():
    specs = questionnaire_form("ces", "cbi", "CBI", [], [], "baseline", sections=[
        ([("0", "Nunca"), ("4", "Siempre")], [(1, "Uno"), (2, "Dos")]),
        ([("0", "Muy poco"), ("4", "Mucho")], [(3, "Tres")])])
    rows = [row for spec in specs for row in spec.rows]
    assert [row.id for row in rows] == ["item:1", "item:2", "item:3"]
    assert [c.label for c in rows[2].choices] == ["Muy poco", "Mucho"]
    assert render_pdf(specs).startswith(b"%PDF")


def test_a_scanned_phq9_with_item9_marked_opens_the_same_urgent_referral(plan, login_as, client):
    """The sealed envelope has a deadline too: confirming the scan opens the referral that the
    phone would have, on the clinician's queue at once, with its alerts queued."""
    from acompana.wellbeing.models import Referral

    worker = Person.objects.get(code="ac-g01-02")
    do_give_consent(person=worker, method="paper", recorded_by=worker)
    login_as(ROLE_PEOPLE["clinician"])
    client.get(reverse("forms:print_questionnaires"),
               {"instrument": "phq9", "wave": "baseline", "copies": "1"})
    spec = printed_specs(plan, "questionnaire")[0]
    marks = {f"item:{n}": "0" for n in range(1, 9)} | {"item:9": "2"}
    assert _send(client, photo(spec, marks, seed=4)).status_code == 302
    scan = ScannedPage.objects.get()
    review = client.get(reverse("forms:review", args=[scan.pk]))
    posted = review.context["typed"] | {"person": worker.code, "taken_on": "2023-07-11"}
    assert client.post(reverse("forms:review", args=[scan.pk]), posted).status_code == 302
    referral = Referral.objects.get(person=worker)
    assert referral.urgency == "item9"
    assert f'data-referral="{referral.pk}"' in client.get(reverse("home")).content.decode()


def test_two_sheets_in_one_photo_are_both_read_and_said(plan, login_as, client):
    """Two slips photographed side by side: both wait to be checked, and the page says so."""
    login_as(ROLE_PEOPLE["supervisor"])
    client.get(reverse("forms:print_slips"), {"group": "g01", "copies": "2"})
    spec = printed_specs(plan, "suggestion")[0]
    both = hand_photo([spec, spec], "two_sheets", seed=4, copy=1)
    response = _send(client, cv2.imencode(".jpg", both.image)[1].tobytes())
    assert response.status_code == 200, response.content.decode()[:1000]
    assert sorted(ScannedPage.objects.values_list("copy", flat=True)) == [1, 2]
    assert sorted(ScannedPage.objects.values_list("source", flat=True)) == [
        "hoja-1.jpg (1/2)", "hoja-1.jpg (2/2)"]
    assert response.context["received"].several == {"hoja-1.jpg": 2}
    assert "hoja-1.jpg" in response.content.decode()


def test_a_photo_with_the_top_of_the_page_cut_off_says_what_to_do(plan, login_as, client):
    login_as(ROLE_PEOPLE["supervisor"])
    specs = _print_sheet(client, KEY)
    image = cv2.imdecode(np.frombuffer(photo(specs[0], {}, seed=2), np.uint8),
                         cv2.IMREAD_COLOR)
    cut = image[round(0.07 * image.shape[0]):]
    response = _send(client, cv2.imencode(".jpg", cut)[1].tobytes())
    (problem,) = response.context["received"].problems
    assert "fuera de la foto" in problem.message or "outside the photo" in problem.message
    assert "top edge" in problem.detail
    assert not ScannedPage.objects.exists()


def test_the_review_page_shows_each_flagged_row_with_its_picture_and_why(plan, login_as,
                                                                         client):
    login_as(ROLE_PEOPLE["supervisor"])
    specs = _print_sheet(client, KEY)
    roster = _roster(KEY)
    marks = _marks_for(specs, roster, double=roster[0])
    _send(client, *[photo(spec, marks, seed=7) for spec in specs])
    page = client.get(reverse("forms:review", args=[ScannedPage.objects.first().pk]))
    html = page.content.decode()
    flagged = [row for row in html.split("<tr")[1:] if row.startswith(' class="flagged"')]
    name = Person.objects.get(code=roster[0]).name
    (row,) = [row for row in flagged if name in row]
    assert 'src="data:image/png;base64,' in row  # the photo's crop of that row
    assert "más de una marca" in row or "more than one mark" in row


def test_a_checked_sheet_dated_off_the_plan_is_saved_only_once_confirmed(plan, login_as,
                                                                         client):
    """The photographed sheet's date is checked against the plan's as a typed one is."""
    login_as(ROLE_PEOPLE["supervisor"])
    specs = _print_sheet(client, KEY)
    roster = _roster(KEY)
    _send(client, *[photo(spec, _marks_for(specs, roster), seed=n)
                    for n, spec in enumerate(specs)])
    scan = ScannedPage.objects.filter(status="pending").first()
    posted = client.get(reverse("forms:review", args=[scan.pk])).context["typed"] | HEADER
    planned = PlannedSession.objects.get(key=KEY).date
    later = (planned + dt.timedelta(days=3)).isoformat()
    refused = client.post(reverse("forms:review", args=[scan.pk]), posted | {"date": later})
    assert refused.status_code == 400 and "3 días después" in refused.content.decode()
    assert not SessionLog.objects.exists()
    saved = client.post(reverse("forms:review", args=[scan.pk]),
                        posted | {"date": later, "confirm_date": later})
    assert saved.status_code == 302
    assert SessionLog.objects.get(planned__key=KEY).date.isoformat() == later
