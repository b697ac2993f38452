"""Instruments as XLSForms for ODK, KoboToolbox or CommCare, and their submissions read back.

The form asks for a participant code (never a name) so waves can be paired; every item is a
`select_one` whose choice names are the scored values, so an export needs no recoding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from acompana.domain.export_shapes import (
    MOMENT_FIELDS,
    SOURCE_ID_FIELDS,
    field_names,
    find_column,
    naive_is_utc,
)
from acompana.domain.instruments.model import Instrument
from acompana.domain.instruments.registry import get_instrument
from acompana.domain.messages import N_, Message
from acompana.domain.tabular import (
    MAX_PROBLEMS,
    ImportRejected,
    Problem,
    Table,
    day_in_zone,
    missing_column,
    plain,
)

SPANISH = "Español (es)"
ENGLISH = "English (en)"
RESPONDENT_FIELD = "respondent"
MISSING_MARKERS = frozenset({"", "na", "n/a", "-", "---", "."})
UTC = ZoneInfo("UTC")


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
    """One form's answers; `row` is the spreadsheet row number (header = row 1).

    `instance_id` is the tool's own id of the submission (ODK's KEY, Kobo's _uuid, CommCare's
    formid) and `taken_on` the day it was filled in, in the program's time zone.
    """

    row: int
    respondent: str
    instance_id: str | None
    answers: Mapping[int, int | None]
    taken_on: dt.date | None = None


RESPONDENT_NAMES = (RESPONDENT_FIELD, plain("Código de participante"), "participant code")


def read_submissions(instrument_id: str, table: Table, *, zone: ZoneInfo = UTC,
                     file_name: str | None = None) -> list[Submission]:
    """Answers per submission from an ODK Central, KoboToolbox or CommCare export.

    Columns are found by field name, with or without a group path (`group/phq9_1`,
    `group-phq9_1`, `form.phq9_1`), or by the question's label (Kobo's "labels" header). A cell
    may hold the choice value (`2`) or its Spanish or English label; blank, NA, `-` or `---`
    mean no answer. Raises ImportRejected listing every problem.
    """
    instrument = get_instrument(instrument_id)
    columns = _find_columns(instrument, table, file_name)
    problems: list[Problem] = []
    submissions = []
    moment_is_utc = "moment" in columns and naive_is_utc(table.header[columns["moment"]])
    for row_number, row in enumerate(table.rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        submission, row_problems = _read_row(instrument, table, columns, row_number, row,
                                             zone, moment_is_utc, file_name)
        problems += row_problems
        if submission is not None:
            submissions.append(submission)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ImportRejected(problems)
    return submissions


def _item_column(instrument: Instrument, number: int, header: Sequence[str]) -> list[int]:
    """The columns of an item: by field name, else by its label at the end of the header."""
    field = item_field(instrument, number)
    by_name = [index for index, column in enumerate(header) if field in field_names(column)]
    if by_name:
        return by_name
    item = instrument.item(number)
    labels = {plain(f"{number}. {item.text.es}"), plain(f"{number}. {item.text.en}")}
    return [index for index, column in enumerate(header)
            if any(plain(column).endswith(label) for label in labels)]


def _find_columns(instrument: Instrument, table: Table, file_name: str | None
                  ) -> dict[str, int]:
    """Column index of the respondent, each item, the instance id and the moment; or
    ImportRejected naming the file's real columns."""
    header = table.header
    problems = []
    columns: dict[str, int] = {}
    respondent = find_column(header, RESPONDENT_NAMES)
    if respondent is None:
        problems.append(missing_column(
            RESPONDENT_FIELD, header, wanted=Message(N_("the participant code")),
            file_name=file_name, sheet=table.sheet))
    else:
        columns[RESPONDENT_FIELD] = header.index(respondent)
    for item in instrument.items:
        field = item_field(instrument, item.number)
        indexes = _item_column(instrument, item.number, header)
        if not indexes:
            problems.append(missing_column(field, header, wanted=Message(N_("a question")),
                                           file_name=file_name, sheet=table.sheet))
        elif len(indexes) > 1:
            problems.append(Problem(1, None, Message(
                N_("the question %(field)s appears in %(count)s columns (%(columns)s); keep "
                   "one."), {"field": field, "count": len(indexes), "columns": ", ".join(
                    f"'{header[index]}'" for index in indexes)}), sheet=table.sheet,
                file=file_name))
        else:
            columns[field] = indexes[0]
    if problems:
        raise ImportRejected(problems)
    for key, names in (("instance", SOURCE_ID_FIELDS), ("moment", MOMENT_FIELDS)):
        if found := find_column(header, names):
            columns[key] = header.index(found)
    return columns


def _read_row(instrument: Instrument, table: Table, columns: Mapping[str, int], row_number: int,
              row: Sequence[str], zone: ZoneInfo, moment_is_utc: bool, file_name: str | None
              ) -> tuple[Submission | None, list[Problem]]:
    header = table.header

    def problem(column: str | None, text: str, params: dict) -> Problem:
        return Problem(row_number, column, Message(text, params), sheet=table.sheet,
                       file=file_name)

    if len(row) != len(header):
        return None, [problem(None, N_("%(count)s fields; the header has %(header)s."),
                              {"count": len(row), "header": len(header)})]
    problems = []
    respondent = row[columns[RESPONDENT_FIELD]].strip()
    if not respondent:
        problems.append(problem(header[columns[RESPONDENT_FIELD]], N_(
            "empty; expected the participant code."), {}))
    answers = {}
    for item in instrument.items:
        index = columns[item_field(instrument, item.number)]
        value, wrong = _answer(instrument, item.number, row[index])
        if wrong:
            problems.append(problem(header[index], *wrong))
        answers[item.number] = value
    taken_on = None
    if "moment" in columns and (moment := row[columns["moment"]].strip()):
        taken_on = day_in_zone(moment, zone, naive_is_utc=moment_is_utc)
        if taken_on is None:
            problems.append(problem(header[columns["moment"]], N_(
                "'%(value)s' is not a date and time; expected for example "
                "2023-07-11T18:40:00-06:00."), {"value": moment}))
    if problems:
        return None, problems
    instance = row[columns["instance"]].strip() if "instance" in columns else ""
    return Submission(row_number, respondent, instance or None, answers, taken_on), []


def _answer(instrument: Instrument, number: int, cell: str
            ) -> tuple[int | None, tuple[str, dict] | None]:
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
    return None, (N_("'%(value)s'; expected one of %(allowed)s, or blank for no answer."),
                  {"value": text, "allowed": allowed})
