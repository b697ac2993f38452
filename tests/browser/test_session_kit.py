"""The facilitator's session kit on a phone with no signal: the guide and the handout open, the
whole group's attendance and the fidelity checklist are marked, and arrive once, into the same
session log as the office-hours sheet, when the signal returns."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from acompana import policy
from acompana.delivery.models import SessionLog
from acompana.offline.models import Submission
from acompana.programs.models import Membership, Person
from tests.browser.test_offline_questionnaire import PHONE, kept_for_offline, log_in, wait_for

pytestmark = pytest.mark.browser
KEY = "g01:hoy"


@pytest.fixture
def today_session(transactional_db, live_server, settings, tmp_path):
    """fac-01 with a login, and her group g01's session planned for today (tiny curriculum)."""
    from acompana.accounts.services import do_create_account
    from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
    from acompana.planning.services import do_store_plan
    from acompana.programs.services import do_load_program
    from tests.support import CES

    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    program = do_load_program(location=CES, by=policy.OPERATOR).program
    do_create_account(person=Person.objects.get(code="fac-01"), username="fac-01",
                      password="una-clave-larga-1", by=policy.OPERATOR)
    do_store_plan(program=program, plan={"sessions": [{
        "id": KEY, "track": "wellbeing", "session": "bienestar-01", "group": "g01",
        "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
        "date": timezone.localdate().isoformat(), "start": "10:00", "end": "12:00"}]},
        by=policy.OPERATOR)
    return program


def group_of(program, size: int) -> list[str]:
    """g01 with `size` members, adding Acompañantes who joined last year."""
    group = program.groups.get(code="g01")
    community = group.community
    members = Membership.objects.filter(group=group, left=None).count()
    for n in range(members, size):
        person = Person.objects.create(program=program, code=f"ac-g01-x{n:02d}",
                                       name=f"Acompañante {n:02d}", role="acompanante",
                                       community=community)
        Membership.objects.create(person=person, group=group,
                                  joined=timezone.localdate() - dt.timedelta(days=365))
    return sorted(Membership.objects.filter(group=group, left=None)
                  .values_list("person__code", flat=True))


def open_kit(live_server, phone):
    page = phone.new_page()
    log_in(page, live_server, "fac-01")
    kit = f"/registro/hoja/{KEY}/kit/"
    kept_for_offline(page, kit)
    phone.set_offline(True)
    page.goto(live_server.url + kit)
    return page


def test_attendance_marked_offline_arrives_once_in_the_session_log(today_session, live_server,
                                                                   browser):
    roster = group_of(today_session, 9)
    phone = browser.new_context(viewport=PHONE, locale="es-MX")
    page = open_kit(live_server, phone)
    # The session readable with no signal: its guide (steps and timings) and its handout.
    assert page.get_by_role("heading", name="Guía").is_visible()
    assert page.get_by_role("heading", name="Folleto").is_visible()
    assert page.get_by_text("9 presentes de 9").is_visible()
    from tests.browser.test_phone_layout import PROBLEMS_JS

    assert page.evaluate(PROBLEMS_JS) == []  # the kit, offline, fits 360 px
    absent, excused = roster[1], roster[4]
    page.locator(f"button[data-name='attendance-{absent}']").click()
    page.locator(f"button[data-name='attendance-{excused}']").click()
    page.locator(f"button[data-name='attendance-{excused}']").click()
    page.get_by_label("Adaptada").first.check()
    page.get_by_role("button", name="Guardar asistencia").click()
    # Encrypting and keeping take a moment on a slow phone: wait for the words, then check.
    page.get_by_text("Guardado en este teléfono").wait_for()
    page.get_by_text("1 envío pendiente").wait_for()
    page.close()
    assert not SessionLog.objects.exists()

    phone.set_offline(False)
    page = phone.new_page()
    page.goto(live_server.url + "/")
    assert wait_for(lambda: SessionLog.objects.exists())
    page.wait_for_function("() => document.getElementById('pending').hidden")
    page.reload()
    page.wait_for_load_state("networkidle")
    log = SessionLog.objects.get()
    statuses = {a.person.code: a.status for a in log.attendance.select_related("person")}
    assert statuses == {code: ("absent" if code == absent else "excused" if code == excused
                               else "present") for code in roster}
    assert log.fidelity.first().status == "adapted"
    assert (log.outcome, log.entered_by.code, log.duration_minutes) == ("held", "fac-01", 120)
    assert log.planned.key == KEY and log.planned.status == "held"
    assert Submission.objects.count() == 1
    phone.close()


def test_a_sheet_typed_meanwhile_is_a_conflict_with_both_versions(today_session, live_server,
                                                                  browser):
    """The office typed the paper sheet while the phone had no signal: nothing is overwritten,
    and the sheet page shows both versions, as for two people typing the same sheet."""
    from acompana.delivery.selectors import sheet_page
    from acompana.delivery.services import do_save_session_log
    from acompana.domain.double_entry import sheet_from_fields
    from acompana.policy import as_actor

    roster = group_of(today_session, 9)
    phone = browser.new_context(viewport=PHONE, locale="es-MX")
    page = open_kit(live_server, phone)
    page.locator(f"button[data-name='attendance-{roster[0]}']").click()
    page.get_by_role("button", name="Guardar asistencia").click()
    supervisor = Person.objects.get(code="sup-01")
    sheet = sheet_page(actor=as_actor(supervisor), key=KEY)
    fields = {"date": timezone.localdate().isoformat(), "outcome": "held", "facilitator": "fac-01",
              "duration_minutes": "90"} | {f"attendance-{code}": "present" for code in roster} \
        | {f"fidelity-{n}": "done" for n in range(1, len(sheet.activities) + 1)}
    do_save_session_log(group=sheet.planned.group, session_code=sheet.planned.session_code,
                        sheet=sheet_from_fields(fields), rules=sheet.rules, entered_by=supervisor,
                        planned=sheet.planned, expected_version=None, keep_as_first_entry=True)
    phone.set_offline(False)
    page.evaluate("() => window.AcompanaQueue.sync()")
    assert wait_for(lambda: Submission.objects.filter(status="conflict").exists())
    log = SessionLog.objects.get()
    assert log.duration_minutes == 90 and log.version == 1  # the office's sheet stands
    page.goto(live_server.url + Submission.objects.get().outcome["compare"])
    assert page.get_by_role("heading", name="Otra persona guardó esta hoja antes").is_visible()
    # the table names each box as the paper does: her row by her name
    row = page.locator("tr", has_text=Person.objects.get(code=roster[0]).name)
    assert row.locator("td").nth(1).inner_text() == "present"  # saved at the office
    assert row.locator("td").nth(2).inner_text() == "absent"  # marked on the phone
    phone.close()


@pytest.mark.parametrize(("size", "absent", "target_seconds"), [(12, 4, 60), (40, 12, 180)])
def test_a_group_is_marked_well_within_the_target(today_session, live_server, browser, size,
                                                  absent, target_seconds):
    """Kolibri's target for a class of 30-40 is under 5 minutes; ours: 12 in under 60 s, 40 in
    under 3 minutes of interaction. Everyone starts present, so the work is one tap per absent
    person and one to save; even at 3 s a tap (a first-time user), the target holds."""
    roster = group_of(today_session, size)
    phone = browser.new_context(viewport=PHONE, locale="es-MX")
    page = open_kit(live_server, phone)
    taps, started = 0, time.monotonic()
    for code in roster[::size // absent][:absent]:
        page.locator(f"button[data-name='attendance-{code}']").click()
        taps += 1
    page.get_by_role("button", name="Guardar asistencia").click()
    taps += 1
    seconds = time.monotonic() - started
    assert page.get_by_text(f"{size - absent} presentes de {size}").is_visible()
    page.get_by_text("Guardado en este teléfono").wait_for()
    print(f"group of {size}: {taps} taps, {seconds:.1f} s scripted")
    assert taps * 3 < target_seconds and seconds < target_seconds
    # The worst case, every person absent, still fits: one tap each.
    assert (size + 1) * 3 < target_seconds  # 12: 39 s; 40: 123 s
    phone.close()
