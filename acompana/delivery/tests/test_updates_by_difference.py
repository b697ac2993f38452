"""A session log's detail rows are updated by difference: an edit touches only what changed,
and the audit trail holds one entry per changed log saying exactly what changed."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from acompana.audit.models import AuditEntry
from acompana.delivery.models import Attendance, FeedbackCount, FidelityItem, SessionLog
from acompana.delivery.selectors import sheet_page
from acompana.delivery.services import do_import_attendance, do_save_session_log
from acompana.delivery.tests.sheets import KEY, complete_form
from acompana.domain.double_entry import sheet_from_fields
from acompana.policy import actor_of

# The page's save was 55 and 15 audit rows (all rows re-created); 2 of these ask the policy.
NOTES_ONLY_QUERIES = 19


def _sheet(supervisor, **changes) -> tuple[dict, object]:
    """The entry page's save of the complete sheet with `changes`, as keyword arguments."""
    page = sheet_page(actor=actor_of(supervisor.user), key=KEY)
    form = complete_form(page, **changes)
    return {"group": page.planned.group, "session_code": page.planned.session_code,
            "sheet": sheet_from_fields(form), "rules": page.rules, "entered_by": supervisor,
            "planned": page.planned,
            "expected_version": page.log.version if page.log else None}, page


def _save(supervisor, **changes):
    arguments, page = _sheet(supervisor, **changes)
    return do_save_session_log(**arguments), page


def _details() -> set:
    return (set(Attendance.objects.values_list("id", "person_id", "status"))
            | set(FidelityItem.objects.values_list("id", "position", "status"))
            | set(FeedbackCount.objects.values_list("id", "question", "count")))


def test_editing_only_the_notes_of_a_9_person_sheet_is_one_entry_and_few_queries(planned,
                                                                               supervisor):
    log, page = _save(supervisor)
    assert len(page.roster) == 9
    details, entries = _details(), AuditEntry.objects.count()
    arguments, _page = _sheet(supervisor, notes="Llovió; empezamos a las 10:40.")
    with CaptureQueriesContext(connection) as queries:
        do_save_session_log(**arguments)
    assert _details() == details  # the same rows, untouched
    new = list(AuditEntry.objects.order_by("id")[entries:])
    assert len(new) == 1, [(e.action, e.target) for e in new]
    assert new[0].target == f"delivery.sessionlog#{log.pk}"
    assert new[0].changes["notes"] == ["Llovió; empezamos tarde.",
                                       "Llovió; empezamos a las 10:40."]
    assert not {"attendance", "fidelity", "feedback"} & set(new[0].changes)
    assert len(queries) <= NOTES_ONLY_QUERIES, [q["sql"][:80] for q in queries.captured_queries]


def test_a_changed_attendance_is_one_row_updated_and_named_in_the_logs_entry(planned,
                                                                          supervisor):
    log, page = _save(supervisor)
    absent = page.roster[0]
    before = dict(Attendance.objects.values_list("person_id", "id"))
    entries = AuditEntry.objects.count()
    _save(supervisor, **{f"attendance-{absent.code}": "absent", "feedback-1-3": "",
                         "feedback-1-1": "1"})
    assert dict(Attendance.objects.values_list("person_id", "id")) == before
    new = list(AuditEntry.objects.order_by("id")[entries:])
    assert len(new) == 1
    changes = new[0].changes
    assert changes["attendance"] == {absent.code: ["present", "absent"]}
    assert changes["feedback"] == {"1-1": [None, 1], "1-3": [4, None]}
    assert "fidelity" not in changes
    assert SessionLog.objects.get().attendance_present == 8


def test_an_import_changing_one_status_writes_one_entry_for_its_log(planned, supervisor):
    log, page = _save(supervisor)
    absent = page.roster[1]
    entries = AuditEntry.objects.count()
    rows = "".join(f"2023-07-11,g01,bienestar-01,{person.code},"
                   f"{'ausente' if person == absent else 'presente'}\n" for person in page.roster)
    report = do_import_attendance(program=planned.group.program, entered_by=supervisor,
                                  file_name="a.csv",
                                  data=b"date,group,session,person,status\n" + rows.encode())
    assert (report.changed, report.added) == (1, 0)
    new = list(AuditEntry.objects.order_by("id")[entries:])
    assert [(e.action, e.target) for e in new] == [("record.update",
                                                    f"delivery.sessionlog#{log.pk}")]
    assert new[0].changes == {"attendance": {absent.code: ["present", "absent"]}}
