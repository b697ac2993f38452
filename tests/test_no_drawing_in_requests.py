"""No request ever imports matplotlib: pages draw their charts in the browser, and the PDFs
and plan files that need a chart are drawn by the background worker, in a child process
(tests/pages_child.py opens the pages in a fresh interpreter, whose modules are then looked
at)."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_no_page_imports_matplotlib(tmp_path):
    environment = {**os.environ, "ACOMPANA_DATA_DIR": str(tmp_path),
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'pages.sqlite3'}",
                   "PYTHONPATH": str(REPO)}
    finished = subprocess.run([sys.executable, str(REPO / "tests" / "pages_child.py")],
                              capture_output=True, text=True, env=environment, timeout=600,
                              cwd=REPO, check=False)
    assert finished.returncode == 0, finished.stderr[-3000:]
    answer = json.loads(finished.stdout.strip().splitlines()[-1])
    statuses = answer["statuses"]
    assert statuses["plan"] == 200
    assert len(statuses) > 20, statuses
    assert not [page for page, status in statuses.items() if status >= 500], statuses
    # The pages that had charts were really drawn, not refused.
    for page in ("/informes/", "/plan/", "/plan/descargar/json/"):
        assert statuses[f"coord-01 {page}"] == 200, page
    # The plan's files: the first download queues their build (the job's page); once the
    # worker has built them, they come from storage.
    for page in ("/plan/descargar/pdf/", "/plan/descargar/png/"):
        assert statuses[f"coord-01 {page}"] == 302, page
        assert statuses[f"coord-01 {page} built"] == 200, page
    # The monthly report is made by the background worker: the request only queues it.
    assert statuses["coord-01 /informes/mensual.pdf?month=2023-09"] == 302
    assert statuses["clin-01 /bienestar/resultados/informe.pdf"] == 200
    assert answer["matplotlib"] is False, "a request imported matplotlib"
