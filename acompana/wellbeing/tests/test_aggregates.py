"""Group results reveal no one: small cells hidden, with complements, for every role."""

import pytest
from django.urls import reverse

from acompana.policy import actor_of
from acompana.programs.models import Person
from acompana.wellbeing.selectors import aggregate_results
from acompana.wellbeing.services import do_give_consent, do_record_assessment


def _answer(codes, wave, value):
    for code in codes:
        person = Person.objects.get(code=code)
        do_give_consent(person=person, method="in-app", recorded_by=person)
        do_record_assessment(person=person, instrument="gad7", wave=wave,
                             responses=[value] * 7, mode="self", entered_by=person)


@pytest.fixture
def answered(ces):
    """g01: 6 at baseline and 6 at endline; g02: 2 at baseline (too few); g03: 5 at baseline."""
    g01 = [f"ac-g01-{n:02d}" for n in range(1, 7)]
    _answer(g01, "baseline", 2)
    _answer(g01, "endline", 1)
    _answer(["ac-g02-01", "ac-g02-02"], "baseline", 3)
    _answer([f"ac-g03-{n:02d}" for n in range(1, 6)], "baseline", 1)


def test_small_cells_and_their_complements_are_hidden(answered, login_as):
    supervisor = login_as("sup-01")  # sees g01, g02, g03
    table = aggregate_results(actor=actor_of(supervisor.user), lang="es")[0]
    cells = {name: dict(zip(table.waves, row, strict=True)) for name, row in table.rows}
    assert table.waves == ["baseline", "endline"]
    assert cells["Grupo Reforma"]["endline"] == (6, 7.0)
    # g02's 2 answers are hidden, and so is another baseline cell so that the total cannot
    # give them away.
    assert cells["Grupo Letrero"]["baseline"] == (None, None)
    hidden_baseline = [name for name, row in cells.items() if row["baseline"][0] is None]
    assert len(hidden_baseline) >= 2 or table.totals[0] is None


def test_no_hidden_count_can_be_worked_out_from_what_is_shown(answered, login_as):
    supervisor = login_as("sup-01")
    table = aggregate_results(actor=actor_of(supervisor.user), lang="es")[0]
    for column, total in enumerate(table.totals):
        hidden = [row[column][0] for _name, row in table.rows if row[column][0] is None]
        if total is not None and len(hidden) == 1:
            pytest.fail("one hidden cell in a column with a shown total is derivable")


def test_group_results_page_for_coordination_shows_aggregates_only(answered, login_as, client):
    login_as("coord-01")
    page = client.get(reverse("wellbeing:results")).content.decode()
    assert "GAD-7" in page or "Ansiedad" in page
    for code in ("ac-g01-01", "ac-g02-01"):
        assert Person.objects.get(code=code).name not in page


def test_evaluation_report_pdf_holds_aggregates_and_no_names(answered, login_as, client):
    import io

    from pypdf import PdfReader

    login_as("coord-01")
    response = client.get(reverse("wellbeing:evaluation_report"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Grupo Reforma" in text and "GAD-7" in text
    assert Person.objects.get(code="ac-g01-01").name not in text
