"""The shapes CommCare, KoboToolbox, ODK Central and spreadsheets give their exports.

An export is recognised by the columns each tool always writes; its columns are then matched to
what Acompaña reads by their field name, whatever group path the tool put before it
(`form.grupo`, `grupo/fecha`, `meta-instanceID`), in Spanish or English. A CommCare export with
a repeat group (attendance person by person) holds the repeat on its own sheet, each row's
`number` being its form's number, a dot and its position: the two sheets are joined here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from acompana.domain.messages import N_, Message
from acompana.domain.tabular import ImportRejected, Problem, Table, plain

COMMCARE, KOBO, ODK, SPREADSHEET = "commcare", "kobo", "odk", "spreadsheet"
# Columns each tool writes in every export, whatever the form.
TOOL_MARKERS = {
    ODK: {"submissiondate", "key", "meta-instanceid", "reviewstate"},
    KOBO: {"_uuid", "_submission_time", "_index", "__version__"},
    COMMCARE: {"formid", "completed_time", "received_on", "form_link"},
}
# The submission's own id, by tool: ODK's KEY (or meta-instanceID), Kobo's _uuid, CommCare's
# formid (its form.meta.instanceID).
SOURCE_ID_FIELDS = ("key", "instanceid", "_uuid", "formid", "uuid")
# When a thing happened, best first: the form's end, then when it was completed or sent. Never
# the day it is imported.
MOMENT_FIELDS = ("end", "timeend", "completed_time", "submissiondate", "_submission_time",
                 "received_on")
# Time stamps a tool writes in UTC without saying so.
NAIVE_UTC_FIELDS = frozenset({"_submission_time"})

SEPARATORS = re.compile(r"[/.\-]")


def field_names(column: str) -> set[str]:
    """The names a column answers to: whole, and its last part after a group path."""
    whole = plain(column).rstrip(".: ")
    names = {whole}
    if "/" in whole or "." in whole or "-" in whole:
        names.add(SEPARATORS.split(whole)[-1].strip())
    names.add(whole.rsplit("/", 1)[-1].strip())
    return names - {""}


def tool_of(header: Sequence[str]) -> str:
    """Which tool wrote a header: the one whose own columns it holds most of."""
    names = {plain(column) for column in header}
    scores = {tool: len(markers & names) for tool, markers in TOOL_MARKERS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] else SPREADSHEET


def find_column(header: Sequence[str], wanted: Sequence[str]) -> str | None:
    """The first column of `header` answering to the earliest name in `wanted`."""
    for name in wanted:
        for column in header:
            if name in field_names(column):
                return column
    return None


def naive_is_utc(column: str) -> bool:
    return bool(field_names(column) & NAIVE_UTC_FIELDS)


@dataclass(frozen=True)
class Export:
    """What was recognised in a file: the tool and the one table to read (repeat joined)."""

    tool: str
    table: Table


def recognise(tables: Sequence[Table], *, wanted: Mapping[str, Sequence[str]],
              file_name: str | None = None) -> Export:
    """The tool that wrote the file, and its table: the first sheet, or, when a later sheet is
    a CommCare repeat group holding more of the `wanted` columns, that sheet joined to its
    forms by `number`."""
    first = tables[0]
    tool = tool_of(first.header)
    repeats = [table for table in tables[1:] if "number" in table.header]
    if not repeats:
        return Export(tool, first)

    def score(table: Table) -> int:
        return sum(find_column(table.header, names) is not None for names in wanted.values())

    repeat = max(repeats, key=score)
    if score(repeat) == 0:
        return Export(tool, first)
    return Export(COMMCARE if tool == SPREADSHEET else tool,
                  join_repeat(first, repeat, file_name=file_name))


def join_repeat(forms: Table, repeat: Table, *, file_name: str | None = None) -> Table:
    """Each repeat row with its form's columns before its own (CommCare's `number` join)."""
    if "number" not in forms.header:
        raise ImportRejected([Problem(1, None, Message(
            N_("the sheet '%(repeat)s' is a repeat group, but the first sheet has no 'number' "
               "column to join it by; its columns are %(columns)s."),
            {"repeat": repeat.sheet, "columns": ", ".join(forms.header)}),
            sheet=forms.sheet, file=file_name)])
    at_form = forms.header.index("number")
    by_number = {row[at_form].strip(): list(row) for row in forms.rows if len(row) > at_form}
    at_repeat = repeat.header.index("number")
    own = [index for index in range(len(repeat.header)) if index != at_repeat]
    width = len(forms.header)

    def rows() -> Iterator[list[str]]:
        problems = []
        for line, row in enumerate(repeat.rows, start=2):
            number = row[at_repeat].strip() if len(row) > at_repeat else ""
            form = by_number.get(number.rsplit(".", 1)[0]) if "." in number else None
            if form is None:
                problems.append(Problem(line, "number", Message(
                    N_("'%(value)s' names no form of the sheet '%(sheet)s'; expected its "
                       "form's number, a dot and the position (e.g. 0.1)."),
                    {"value": number, "sheet": forms.sheet}), sheet=repeat.sheet,
                    file=file_name))
                continue
            yield [*form, *[""] * (width - len(form)),
                   *(row[index] if index < len(row) else "" for index in own)]
        if problems:
            raise ImportRejected(problems)

    header = [*forms.header, *(repeat.header[index] for index in own)]
    return Table(header, rows(), sheet=repeat.sheet)
