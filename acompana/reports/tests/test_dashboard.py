"""Dashboard figures against a small fixture computed by hand (conftest.py), and exports
within scope."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from acompana.programs.models import Person
from acompana.reports.selectors import Period, dashboard

PERIOD = Period(dt.date(2023, 7, 1), dt.date(2024, 6, 30))


def test_figures_match_the_hand_computed_fixture(delivered):
    board = dashboard(actor=delivered, period=PERIOD)
    figures = {g.code: g for g in board.groups}
    g01, g02 = figures["g01"], figures["g02"]
    assert (g01.planned, g01.held, g01.missed) == (2, 1, 0)
    assert (g02.planned, g02.held, g02.missed) == (1, 0, 1)
    assert (g01.present, g01.marked, g01.attendance_rate) == (3, 4, 0.75)
    assert g01.fidelity == {"done": 2, "adapted": 1}
    assert g01.fidelity_done == pytest.approx(2 / 3)
    assert g01.feedback_mean == pytest.approx((3 * 2 + 1 * 1) / 3)
    assert set(figures) == {"g01", "g02", "g03"}  # sup-01's groups only
    assert board.monthly_attendance == [(dt.date(2023, 7, 1), 0.75)]
    assert board.totals.planned == 3


def test_period_filter_leaves_out_other_months(delivered):
    board = dashboard(actor=delivered, period=Period(dt.date(2023, 8, 1),
                                                     dt.date(2023, 8, 31)))
    g01 = next(g for g in board.groups if g.code == "g01")
    assert (g01.planned, g01.held, g01.marked) == (1, 0, 0)


def test_dashboard_page_and_drill_down(delivered, client):
    client.force_login(Person.objects.get(code="sup-01").user)
    response = client.get(reverse("reports:dashboard"))
    page = response.content.decode()
    assert "Grupo Reforma" in page and "75%" in page
    # The charts come as data for the browser to draw, with the code in a static file.
    charts = {chart["id"]: chart for chart in response.context["charts"]}
    assert set(charts) == {"sessions", "attendance"} and charts["attendance"]["percent"]
    assert 'id="chart-data"' in page and 'id="chart-sessions"' in page
    assert "acompana/charts.js" in page and "<svg" not in page
    drill = client.get(reverse("reports:group", args=["g01"])).content.decode()
    assert drill.count("100%") == 3 and "0%" in drill


def test_exports_hold_only_the_scope_and_open_as_data(delivered, client, login_as):
    client.force_login(Person.objects.get(code="sup-01").user)
    response = client.get(reverse("reports:export", args=["asistencia", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["date", "group", "session", "person", "name", "status"]
    assert len(rows) == 5
    response = client.get(reverse("reports:export", args=["sesiones", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["held",
                                                                                 "cancelled"]
    login_as("sup-02")
    response = client.get(reverse("reports:export", args=["asistencia", "csv"]))
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1


def test_groups_come_a_page_at_a_time_and_the_totals_count_them_all(delivered, client,
                                                                     monkeypatch):
    monkeypatch.setattr("acompana.reports.selectors.GROUPS_PER_PAGE", 2)
    first = dashboard(actor=delivered, period=PERIOD, page=1)
    second = dashboard(actor=delivered, period=PERIOD, page="2")
    assert [g.code for g in first.groups] == ["g01", "g02"]
    assert [g.code for g in second.groups] == ["g03"]
    assert first.totals == second.totals == dashboard(actor=delivered, period=PERIOD).totals
    assert (first.totals.planned, first.totals.held, first.totals.missed) == (3, 1, 1)
    assert first.sessions_by_month == {dt.date(2023, 7, 1): {"held": 1, "missed": 1},
                                       dt.date(2023, 8, 1): {"planned": 1}}
    assert [g.code for g in dashboard(actor=delivered, period=PERIOD, page="x").groups] == [
        "g01", "g02"]  # a page that is no number shows the first

    client.force_login(Person.objects.get(code="sup-01").user)
    page = client.get(reverse("reports:dashboard"), {"start": "2023-07-01", "page": 2})
    text = page.content.decode()
    assert "Página 2 de 2" in text and 'rel="prev"' in text and 'rel="next"' not in text
    assert "start=2023-07-01" in text.split('rel="prev"')[0].rsplit("<a", 1)[1]


def test_a_coordinators_overview_from_day_rows_equals_one_counted_from_the_records(delivered):
    """The whole program is summed from ProgramDay; a supervisor's scope from the records: the
    two ways give the same figures for the same records."""
    from acompana.policy import Actor
    from acompana.reports import selectors

    coordinator = Actor(user_id=None, person=Person.objects.get(code="coord-01"))
    from_days = selectors.overview(actor=coordinator, period=PERIOD)
    counted = selectors._from_records(coordinator, PERIOD, group="")
    assert (from_days.totals, from_days.supervisors_track) == counted[:2]
    assert from_days.sessions_by_month == {month: dict(counts)
                                           for month, counts in counted[2].items()}
    assert from_days.monthly_attendance == [(dt.date(2023, 7, 1), 0.75)]
    assert (from_days.totals.planned, from_days.totals.held) == (3, 1)


def test_a_group_outside_the_scope_has_no_figures(delivered):
    board = dashboard(actor=delivered, period=PERIOD, group="g04")  # sup-02's group
    assert board.groups == [] and board.totals.planned == 0 and board.sessions_by_month == {}
