"""The `acompana` command as people run it: in its own process, with typing mistakes.

Every bad input (a file that is not there, an id the program does not have, an option that does
not exist or a value it does not take) ends in a clear line and a non-zero exit, never a Python
traceback.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "tests" / "exports"


def _run(args: list[str], env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "acompana", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A data folder of its own, migrated and holding the CES program."""
    home = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACOMPANA_DATA_DIR": str(home / "var"),
           "DATABASE_URL": f"sqlite:///{home / 'acompana.sqlite3'}",
           "ACOMPANA_CURRICULUM_DIR": str(ROOT / "curriculum")}
    for args in (["migrate", "--verbosity", "0"], ["load-program", str(ROOT / "programs/ces")]):
        done = _run(args, env, home)
        assert done.returncode == 0, done.stderr
    return env, home


BAD_INPUT = {
    "missing attendance file": ["import", "attendance", "no-esta.csv"],
    "missing submissions file": ["import-submissions", "gad7", "no-esta.csv", "--wave",
                                 "baseline"],
    "unknown program": ["import", "attendance", str(EXPORTS / "commcare_asistencia.csv"),
                        "--program", "otro"],
    "unknown importer": ["import", "attendance", str(EXPORTS / "commcare_asistencia.csv"),
                         "--by", "nadie"],
    "map without =": ["import", "attendance", str(EXPORTS / "commcare_asistencia.csv"),
                      "--map", "fecha"],
    "unknown option": ["import", "attendance", "x.csv", "--nope"],
    "unknown instrument": ["import-submissions", "gad8", "x.csv", "--wave", "baseline"],
    "unknown group sheet": ["forms", "attendance", "--group", "g99", "--session",
                            "bienestar-01", "--out", "hoja.pdf"],
    "unknown group slips": ["forms", "suggestion", "--group", "g99", "--out", "s.pdf"],
    "unknown person login": ["createuser", "nadie", "usuaria"],
    "missing program dir": ["load-program", "no-hay-programa"],
    "missing plan program": ["plan", "--program", "no-hay-programa"],
    "bad time limit": ["plan", "--program", "programs/ces", "--time-limit", "mucho"],
    "bad month": ["report", "monthly", "--month", "2023-13"],
    "unknown report person": ["report", "monthly", "--month", "2023-07", "--by", "nadie"],
    "missing scan": ["scan", "no-esta.jpg"],
    "missing restore": ["restore", "no-esta.zip"],
    "missing import-all": ["import-all", "no-esta.zip"],
    "unknown xlsform": ["xlsform", "phq10"],
    "bad score": ["score", "phq9", "9", "9"],
    "unknown fhir person": ["fhir", "responses", "nadie", "--by", "clin-01"],
    "missing curriculum": ["curriculum", "check", "--source", "no-hay-curriculum"],
    "missing build source": ["build", "--source", "no-hay-curriculum", "--out", "out"],
    "pull without settings": ["pull", "odk", "--project", "1", "--form", "f", "--instrument",
                              "gad7", "--wave", "baseline"],
    "unknown command": ["planear"],
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_ends_in_a_clear_line_never_a_traceback(world, case):
    env, home = world
    done = _run(BAD_INPUT[case], env, ROOT if "programs/ces" in BAD_INPUT[case] else home)
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said
    assert done.returncode != 0
    assert done.stderr.strip(), said


def test_help_lists_every_command_with_one_line(world):
    env, home = world
    done = _run(["--help"], env, home)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    listed = {line.split()[0]: line for line in done.stdout.splitlines()
              if line.startswith("  ") and line.split()}
    for command in ("serve", "load-program", "import", "import-submissions", "plan", "pull",
                    "fhir", "report", "scan", "forms", "curriculum", "build", "score"):
        assert command in listed, done.stdout
        assert len(listed[command].split()) > 2, listed[command]  # a line saying what it does


def test_import_prints_json_when_asked(world):
    env, home = world
    done = _run(["import", "attendance", str(EXPORTS / "excel_mexico_asistencia.csv"),
                 "--json"], env, home)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["imported"] and result["tool"] == "spreadsheet" and result["added"] == 3


def test_plan_stores_the_plan_it_makes(world, tmp_path):
    env, home = world
    done = _run(["plan", "--program", str(ROOT / "programs/ces"), "--curriculum",
                 str(ROOT / "curriculum"), "--out", str(tmp_path), "--time-limit", "20",
                 "--json"], env, home)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["stored"] is True and result["sessions"] > 0
    sheet = _run(["forms", "attendance", "--group", "g01", "--session", "bienestar-01",
                  "--out", str(tmp_path / "hoja.pdf")], env, home)
    assert sheet.returncode == 0, sheet.stderr


def test_build_for_a_program_says_each_step_and_prints_its_people_and_places(world, tmp_path):
    """`acompana build --program programs/ces` numbers its steps on stderr, and the guide and
    handouts it writes name the program's facilitators and meeting places."""
    from pypdf import PdfReader

    from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum

    env, home = world
    source = write_curriculum(tmp_path / "curriculum")
    args = ["build", "--source", str(source), "--out", str(tmp_path / "out"), "--lang", "es",
            "--track", "supervisores", "--program", str(ROOT / "programs/ces")]
    done = _run(args, env, home)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "Step 1 of 5: reading and checking the curriculum",
        "Step 2 of 5: planning the files",
        "Step 3 of 5: rendering 14 of 14 files (0 unchanged since the last build)",
        "Step 4 of 5: writing the files",
        "Step 5 of 5: writing index.html and manifest.json"]
    assert "14 rendered, 0 unchanged" in done.stdout

    def text(path: str) -> str:
        pages = PdfReader(tmp_path / "out" / path).pages
        return " ".join(" ".join(page.extract_text().split()) for page in pages)

    guide = text("es/supervisores/supervisores-guia-facilitacion.pdf")
    assert ("Supervisoras Dolores Zunún Aguilar Oficina de Compañeros En Salud, Jaltenango de "
            "la Paz primer lunes de cada mes, 09:00") in guide
    handout = text("es/supervisores/supervisores-01/supervisores-01-hoja-participantes.pdf")
    assert ("Facilitadora: Dolores Zunún Aguilar · Lugar: Oficina de Compañeros En Salud, "
            "Jaltenango de la Paz") in handout
    again = _run([*args, "--quiet"], env, home)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
