"""Instruments as XLSForms for ODK, KoboToolbox or CommCare, and their submissions read back.

The form asks for a participant code (never a name) so waves can be paired; every item is a
`select_one` whose choice names are the scored values, so an export needs no recoding.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from acompana.domain.instruments.model import Instrument
from acompana.domain.instruments.registry import get_instrument

SPANISH = "Español (es)"
ENGLISH = "English (en)"
RESPONDENT_FIELD = "respondent"
# What ODK Central (KEY), Kobo (_uuid) and CommCare (form.meta.instanceID) call a submission id.
INSTANCE_FIELDS = ("KEY", "instanceID", "_uuid")
MISSING_MARKERS = frozenset({"", "na", "n/a", "-", "---", "."})


def item_field(instrument: Instrument, number: int) -> str:
    """The form field name of an item, e.g. `phq9_9`."""
    return f"{instrument.id}_{number}"


def xlsform_workbook(instrument_id: str, version: str = "1") -> Workbook:
    """The XLSForm (survey, choices, settings sheets) with Spanish and English labels."""
    instrument = get_instrument(instrument_id)
    workbook = Workbook()
    _survey_sheet(workbook, instrument)
    _choices_sheet(workbook, instrument)
    _settings_sheet(workbook, instrument, version)
    return workbook


def write_xlsform(instrument_id: str, path: Path, version: str = "1") -> Path:
    xlsform_workbook(instrument_id, version).save(path)
    return path


def _survey_sheet(workbook: Workbook, instrument: Instrument) -> None:
    """Participant code, the instructions as a note, then one select_one per item."""
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", f"label::{SPANISH}", f"label::{ENGLISH}", "required"])
    sheet.append(["start", "start", "", "", ""])
    sheet.append(["end", "end", "", "", ""])
    sheet.append(["text", RESPONDENT_FIELD, "Código de participante", "Participant code", "yes"])
    sheet.append(
        ["note", "instructions", instrument.instructions.es, instrument.instructions.en, ""]
    )
    for item in instrument.items:
        sheet.append(
            [
                f"select_one {_list_name(instrument, item.options)}",
                item_field(instrument, item.number),
                f"{item.number}. {item.text.es}",
                f"{item.number}. {item.text.en}",
                # Not required: a person may leave an item out; scoring then says what it means.
                "",
            ]
        )


def _choices_sheet(workbook: Workbook, instrument: Instrument) -> None:
    sheet = workbook.create_sheet("choices")
    sheet.append(["list_name", "name", f"label::{SPANISH}", f"label::{ENGLISH}"])
    for set_name, options in instrument.option_sets.items():
        for option in options:
            sheet.append(
                [
                    _list_name(instrument, set_name),
                    str(option.value),
                    option.label.es,
                    option.label.en,
                ]
            )


def _settings_sheet(workbook: Workbook, instrument: Instrument, version: str) -> None:
    sheet = workbook.create_sheet("settings")
    sheet.append(["form_title", "form_id", "version", "default_language"])
    sheet.append([instrument.name.es, f"acompana_{instrument.id}", version, SPANISH])


def _list_name(instrument: Instrument, set_name: str) -> str:
    return f"{instrument.id}_{set_name}"


@dataclass(frozen=True)
class Submission:
    """One form's answers; `row` is the spreadsheet row number in the CSV (header = row 1)."""

    row: int
    respondent: str
    instance_id: str | None
    answers: Mapping[int, int | None]


class SubmissionError(ValueError):
    """A submissions file that cannot be read; lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = tuple(problems)
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: {len(problems)} problem(s):\n{listed}")


def read_submissions(
    instrument_id: str, csv_text: str, source: str = "submissions.csv"
) -> list[Submission]:
    """Answers per submission from an ODK Central, Kobo or CommCare CSV export.

    Columns are found by field name, with or without a group prefix (`group/phq9_1`,
    `group-phq9_1`, `form.phq9_1`). A cell may hold the choice value (`2`) or its Spanish or
    English label; blank, NA, `-` or `---` mean no answer.
    """
    instrument = get_instrument(instrument_id)
    try:
        rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    except csv.Error as error:  # e.g. a field longer than the csv module accepts
        raise SubmissionError(source, [f"the CSV file is malformed: {error}"]) from error
    if not rows:
        raise SubmissionError(source, ["the file is empty; expected a header row"])
    header, data = rows[0], rows[1:]
    columns, problems = _find_columns(instrument, header)
    if problems:
        raise SubmissionError(source, problems)
    submissions = []
    for row_number, row in enumerate(data, start=2):
        if not any(cell.strip() for cell in row):
            continue
        submission, row_problems = _read_row(instrument, header, columns, row_number, row)
        problems += row_problems
        if submission is not None:
            submissions.append(submission)
    if problems:
        raise SubmissionError(source, problems)
    return submissions


def _field_of(column: str) -> str:
    """The field name inside a group path: the part after the last '/', '-' or '.'."""
    for separator in ("/", "-", "."):
        column = column.rsplit(separator, 1)[-1]
    return column.strip()


def _find_columns(instrument: Instrument, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column index of the respondent, the instance id and each item; problems if any is off."""
    wanted = [RESPONDENT_FIELD] + [item_field(instrument, item.number) for item in instrument.items]
    found: dict[str, list[int]] = {}
    for index, column in enumerate(header):
        found.setdefault(_field_of(column), []).append(index)
    problems = []
    columns = {}
    for name in wanted:
        indexes = found.get(name, [])
        if not indexes:
            problems.append(
                f"header: no column for field {name!r} (a column named {name!r}, "
                f"optionally with a group prefix such as 'group/{name}')"
            )
        elif len(indexes) > 1:
            names = ", ".join(repr(header[index]) for index in indexes)
            problems.append(f"header: field {name!r} appears in {len(indexes)} columns ({names})")
        else:
            columns[name] = indexes[0]
    instance = next((found[name][0] for name in INSTANCE_FIELDS if name in found), None)
    if instance is not None:
        columns["instance"] = instance
    return columns, problems


def _read_row(
    instrument: Instrument,
    header: list[str],
    columns: Mapping[str, int],
    row_number: int,
    row: list[str],
) -> tuple[Submission | None, list[str]]:
    if len(row) != len(header):
        return None, [f"row {row_number}: {len(row)} fields; the header has {len(header)}"]
    problems = []
    respondent = row[columns[RESPONDENT_FIELD]].strip()
    if not respondent:
        problems.append(
            f"row {row_number}, column {header[columns[RESPONDENT_FIELD]]!r}: empty; "
            "expected the participant code"
        )
    answers = {}
    for item in instrument.items:
        index = columns[item_field(instrument, item.number)]
        value, problem = _answer(instrument, item.number, row[index])
        if problem:
            problems.append(f"row {row_number}, column {header[index]!r}: {problem}")
        answers[item.number] = value
    if problems:
        return None, problems
    instance = row[columns["instance"]].strip() if "instance" in columns else ""
    return Submission(row_number, respondent, instance or None, answers), []


def _answer(instrument: Instrument, number: int, cell: str) -> tuple[int | None, str | None]:
    """The value of one cell: a choice value, a choice label (es/en), or a missing marker."""
    text = cell.strip()
    if text.lower() in MISSING_MARKERS:
        return None, None
    options = instrument.option_sets[instrument.item(number).options]
    for option in options:
        if text == str(option.value) or text.casefold() in {
            option.label.es.casefold(),
            option.label.en.casefold(),
        }:
            return option.value, None
    allowed = ", ".join(f"{option.value} ({option.label.es})" for option in options)
    return None, f"got {text!r}; expected one of {allowed}, or blank for no answer"
