"""Time a clean build of the materials bundle, then a rebuild after one session file changes.

    PYTHONPATH=. python benchmarks/build_materials.py [CURRICULUM] [--lang es|en] [--program DIR]

The curriculum (default ./curriculum) is copied to a temporary folder first, so the edited
session file is a copy; the edit adds a word to the session's summary, so its chapter of the
guide really changes. Targets: full bundle, both tracks, one language < 60 s; incremental < 3 s.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from time import perf_counter

import yaml

from acompana.domain.curriculum.build import BuildReport, build
from acompana.domain.curriculum.model import ProgramDetails
from acompana.domain.program_file import printed_details, read_program_file


def timed_build(source: Path, out: Path, lang: str, program: ProgramDetails | None
                ) -> tuple[float, BuildReport]:
    start = perf_counter()
    report = build(source, out, langs=[lang], program=program)
    return perf_counter() - start, report


def describe(seconds: float, report: BuildReport) -> str:
    size = sum((report.out_dir / entry.path).stat().st_size for entry in report.files)
    return (f"{seconds:6.1f} s  {len(report.rendered):3d} rendered, {len(report.cached):3d} from "
            f"cache, {len(report.files)} files ({size / 1e6:.1f} MB), {report.pages} PDF pages")


def edit_summary(path: Path) -> None:
    session = yaml.safe_load(path.read_text(encoding="utf-8"))
    summary = session["summary"]
    if isinstance(summary, dict):
        summary["es"] += " (revisado)"
    else:
        session["summary"] = summary + " (revisado)"
    path.write_text(yaml.safe_dump(session, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("curriculum", nargs="?", default="curriculum", type=Path)
    parser.add_argument("--lang", default="es", choices=["es", "en"])
    parser.add_argument("--program", type=Path, help="a program folder whose details are "
                        "printed in (as `acompana build --program`)")
    args = parser.parse_args()
    program = printed_details(read_program_file(args.program).document) if args.program else None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "curriculum"
        shutil.copytree(args.curriculum, source)
        out = Path(folder) / "out"
        sessions = sum(1 for path in source.glob("*/*.yaml") if path.parent.name != "pictures")
        print(f"{args.curriculum}: {sessions} session files, language {args.lang}")
        print("clean build:     ", describe(*timed_build(source, out, args.lang, program)))
        edited = sorted(source.glob("*/*.yaml"))[0]
        edit_summary(edited)
        print(f"after editing the summary in {edited.relative_to(source)}:")
        print("incremental:     ", describe(*timed_build(source, out, args.lang, program)))


if __name__ == "__main__":
    main()
