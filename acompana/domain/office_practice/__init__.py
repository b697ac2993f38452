"""The hands-on practice files of the supervisors' Office sessions (supervisores-06 to 08).

Each file comes as an exercise and a solved version, filled with the fictional program of
`program_data`. File, sheet and column names are the same in both languages (the curriculum
names them); instructions and prose follow the language. Same inputs, same bytes: dates inside
the files and their zips are fixed (see acompana.domain.reproducible).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from acompana.domain.office_practice.excel_practice import attendance_xlsx
from acompana.domain.office_practice.powerpoint_practice import results_pptx
from acompana.domain.office_practice.program_data import LANGUAGES, Program, fictional_program
from acompana.domain.office_practice.word_practice import report_docx

# Each practice file's name (without "-resuelto") and the writer of its two versions.
PRACTICE_FILES: dict[str, Callable[..., bytes]] = {
    "practica-word-informe.docx": report_docx,
    "practica-excel-asistencia.xlsx": attendance_xlsx,
    "practica-powerpoint-resultados.pptx": results_pptx,
}
SOLVED_SUFFIX = "-resuelto"
PRINTED = (".docx", ".xlsx")  # the files laid out on the program's paper (slides are not)


def practice_files(lang: str, paper: str = "letter") -> dict[str, bytes]:
    """Every practice file's name and bytes, each exercise followed by its solved version;
    the report and the workbook print on `paper` ('letter' or 'a4')."""
    if lang not in LANGUAGES:
        raise ValueError(f"Office practice files: language {lang!r} is not available; expected "
                         f"one of: {', '.join(LANGUAGES)}.")
    program: Program = fictional_program()
    files = {}
    for name, writer in PRACTICE_FILES.items():
        options = {"paper": paper} if name.endswith(PRINTED) else {}
        files[name] = writer(program, lang, solved=False, **options)
        files[solved_name(name)] = writer(program, lang, solved=True, **options)
    return files


def solved_name(name: str) -> str:
    """'practica-word-informe.docx' -> 'practica-word-informe-resuelto.docx'."""
    stem, dot, extension = name.rpartition(".")
    return f"{stem}{SOLVED_SUFFIX}{dot}{extension}"


def write_practice_files(out_dir: Path, lang: str, paper: str = "letter") -> list[Path]:
    """Write the six practice files of one language into out_dir (created if missing)."""
    files = practice_files(lang, paper)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in files.items():
        path = out_dir / name
        path.write_bytes(content)
        paths.append(path)
    return paths


__all__ = ["PRACTICE_FILES", "practice_files", "solved_name", "write_practice_files"]
