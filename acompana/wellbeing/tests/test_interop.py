"""Instruments travel to ODK, Kobo and CommCare as XLSForms and come back as CSV."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyxform.xls2xform import convert

from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment
from acompana.wellbeing.services import do_give_consent

HEADER = "participant," + ",".join(f"gad7_{n}" for n in range(1, 8)) + "\n"


@pytest.fixture
def consented(ces):
    for code in ("ac-g01-02", "ac-g01-03"):
        person = Person.objects.get(code=code)
        do_give_consent(person=person, method="signed-paper", recorded_by=person)


def test_xlsform_command_writes_a_form_pyxform_converts(tmp_path):
    out = tmp_path / "gad7.xlsx"
    call_command("xlsform", "gad7", "--out", str(out))
    xform = convert(xlsform=str(out)).xform
    assert "<h:html" in xform and "gad7_7" in xform


def test_submissions_import_whole_and_refuse_whole(consented, tmp_path):
    from acompana.domain.instruments.xlsform import RESPONDENT_FIELD

    header = HEADER.replace("participant", RESPONDENT_FIELD)
    good = tmp_path / "ok.csv"
    good.write_text(header + "ac-g01-02,1,1,1,1,1,1,1\nac-g01-03,0,0,0,0,0,0,0\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "ac-g01-02,2,2,2,2,2,2,2\nac-g09-99,0,0,0,0,0,0,0\n")
    with pytest.raises(CommandError, match="'ac-g09-99'"):
        call_command("import-submissions", "gad7", str(bad), "--wave", "midline")
    assert not Assessment.objects.exists()
    call_command("import-submissions", "gad7", str(good), "--wave", "baseline")
    assert sorted(Assessment.objects.values_list("total", flat=True)) == [0, 7]
    with pytest.raises(CommandError, match="ya se respondió en esta medición"):
        call_command("import-submissions", "gad7", str(good), "--wave", "baseline")
    assert Assessment.objects.count() == 2
