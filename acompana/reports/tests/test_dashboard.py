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
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "<svg" in page and "Grupo Reforma" in page and "75%" in page
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
