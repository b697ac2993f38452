"""XLSForms convert to XForms with pyxform; submission CSVs come back as answers or as errors."""

import io
import shutil
from zoneinfo import ZoneInfo

import pytest
from pyxform.xls2xform import convert

from acompana.domain.instruments import INSTRUMENTS, score
from acompana.domain.instruments.xlsform import read_submissions, xlsform_workbook
from acompana.domain.tabular import ImportRejected, read_table


def _read(instrument_id: str, text: str, name: str = "envios.csv"):
    return read_submissions(instrument_id, read_table(text.encode(), name), file_name=name,
                            zone=ZoneInfo("America/Mexico_City"))


def xlsx_bytes(instrument_id: str) -> io.BytesIO:
    buffer = io.BytesIO()
    xlsform_workbook(instrument_id).save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_each_instrument_converts_to_an_xform(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    warnings: list[str] = []
    xform = convert(xlsx_bytes(instrument_id), warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert f'id="acompana_{instrument_id}"' in xform
    for item in instrument.items:
        assert f"/{instrument_id}_{item.number}" in xform
    assert 'lang="Español (es)"' in xform and 'lang="English (en)"' in xform
    assert instrument.items[0].text.es in xform and instrument.items[0].text.en in xform


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_the_cbi_form_passes_odk_validate():
    # CBI is the richest form (two option sets, 19 items); the others share its builder.
    convert(xlsx_bytes("cbi"), validate=True, file_type=".xlsx")


ODK_CENTRAL_EXPORT = """\
SubmissionDate,start,end,respondent,gad7-gad7_1,gad7-gad7_2,gad7-gad7_3,gad7-gad7_4,\
gad7-gad7_5,gad7-gad7_6,gad7-gad7_7,KEY
2024-02-01T16:02:11.000Z,2024-02-01T09:50:00.000-06:00,2024-02-01T09:58:41.000-06:00,\
A-017,0,1,2,3,0,1,2,uuid:1
2024-02-01T16:02:12.000Z,2024-01-31T18:20:00.000-06:00,2024-01-31T18:31:09.000-06:00,\
A-018,1,,1,1,1,1,1,uuid:2
"""


def test_an_odk_central_export_with_group_prefixes_reads_back():
    first, second = _read("gad7", ODK_CENTRAL_EXPORT)
    assert (first.row, first.respondent, first.instance_id) == (2, "A-017", "uuid:1")
    assert score("gad7", first.answers).total == 9
    assert second.answers[2] is None
    assert (first.taken_on.isoformat(), second.taken_on.isoformat()) == ("2024-02-01",
                                                                        "2024-01-31")
    assert not score("gad7", second.answers).scorable


def test_a_kobo_export_with_labels_and_missing_markers_reads_back():
    csv_text = (
        "respondent,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9,_uuid\n"
        "B-1,Ningún día,Varios días,Nearly every day,0,0,0,0,NA,---,abc\n"
    )
    (submission,) = _read("phq9", csv_text, "kobo.csv")
    assert submission.answers == {1: 0, 2: 1, 3: 3, 4: 0, 5: 0, 6: 0, 7: 0, 8: None, 9: None}
    assert submission.instance_id == "abc"


def test_every_problem_is_listed_with_row_and_column():
    csv_text = (
        "respondent,who5_1,who5_2,who5_3,who5_4,who5_5\n"
        "C-1,5,4,3,2,1\n"
        ",5,9,3,2,todo el tiempo\n"
        "C-3,5,4\n"
    )
    with pytest.raises(ImportRejected) as error:
        _read("who5", csv_text, "who5.csv")
    assert [str(problem) for problem in error.value.problems] == [
        "who5.csv, row 3, column 'respondent': empty; expected the participant code.",
        "who5.csv, row 3, column 'who5_2': '9'; expected one of 5 (Todo el tiempo), "
        "4 (La mayor parte del tiempo), 3 (Más de la mitad del tiempo), "
        "2 (Menos de la mitad del tiempo), 1 (De vez en cuando), 0 (Nunca), "
        "or blank for no answer.",
        "who5.csv, row 4: 3 fields; the header has 6.",
    ]


def test_missing_and_duplicated_columns_are_named():
    csv_text = "respondent,pss4_1,pss4_2,g/pss4_2,pss4_3\nD-1,0,0,0,0\n"
    with pytest.raises(ImportRejected) as error:
        _read("pss4", csv_text)
    assert [str(problem) for problem in error.value.problems] == [
        "envios.csv, row 1: the question pss4_2 appears in 2 columns ('pss4_2', 'g/pss4_2'); "
        "keep one.",
        "envios.csv, row 1: no column 'pss4_4' (for a question); did you mean 'pss4_3', "
        "'pss4_2', 'pss4_1'? The file's columns are 'respondent', 'pss4_1', 'pss4_2', "
        "'g/pss4_2', 'pss4_3'.",
    ]


def test_an_empty_file_is_refused():
    with pytest.raises(ImportRejected, match="envios.csv is empty"):
        _read("pss4", "")
