"""Fill forms synthetically, photograph them badly, read them back, and count how it went.

    PYTHONPATH=. python benchmarks/omr.py [--pages 60] [--seed 1] [--workers 1]

Pages cycle through an attendance sheet, two questionnaires and a suggestion slip, on A4 and US
Letter, three photos to one scan. Every bubble row counts once. A readable row (one mark of any
kind, a correction, or blank where blank is allowed) is read correctly, flagged for review, or
wrong and unflagged; a row ambiguous on purpose (two filled bubbles, a barely visible mark)
should be flagged. Reading time covers opening the JPEG files through the last row; on a
shared machine the CPU time per page says more than the wall clock.
Targets on 2 cores: >= 99.5% read correctly, <= 0.1% wrong and unflagged, >= 5 pages/second.
"""

from __future__ import annotations

import argparse
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from time import perf_counter, process_time

import cv2

from acompana.domain.omr.forms import attendance_form, questionnaire_form, suggestion_slip
from acompana.domain.omr.read import PageReading, scan
from acompana.domain.omr.spec import FormIdentity, FormSpec
from acompana.domain.omr.synthetic import Answer, photographed_form

ROSTER = [(f"p{n:02d}", name) for n, name in enumerate([
    "María Guadalupe Hernández", "Ana López Gómez", "Juana Gómez Ruiz", "Rosa Méndez",
    "Petrona Díaz Santiz", "Catalina Santiz", "Micaela Pérez", "Andrea Núñez", "Lucía Martínez",
    "Verónica Cruz", "Elena Ruiz Álvarez", "Sofía Jiménez"], start=1)]
WHO5 = ["Me he sentido alegre y de buen humor", "Me he sentido tranquila y relajada",
        "Me he sentido activa y enérgica", "Me he despertado fresca y descansada",
        "Mi vida diaria ha estado llena de cosas que me interesan"]
FREQUENCY = [("5", "Todo el tiempo"), ("4", "La mayor parte del tiempo"),
             ("3", "Más de la mitad del tiempo"), ("2", "Menos de la mitad del tiempo"),
             ("1", "De vez en cuando"), ("0", "Nunca")]
AGREEMENT = [("1", "Nada"), ("2", "Poco"), ("3", "Bastante"), ("4", "Mucho")]


def sample_pages(paper: str) -> list[FormSpec]:
    """One page of each form with rows to read."""
    attendance = attendance_form(
        "ces", "g01", "s05", "Sesión 5: Cuidarnos para cuidar", ROSTER,
        ["Bienvenida", "Repaso de la sesión anterior", "Respiración y relajación",
         "Trabajo en parejas: mi red de apoyo", "Cierre y compromisos"],
        ["¿Te gustó la sesión?", "¿Aprendiste algo útil?", "¿Te sentiste escuchada?"], paper)
    who5 = questionnaire_form("ces", "who5", "Bienestar (OMS-5)", list(enumerate(WHO5, 1)),
                              FREQUENCY, "linea-base", paper)
    support = questionnaire_form(
        "ces", "apoyo", "Apoyo en el trabajo",
        [(n, f"Afirmación número {n} sobre el apoyo que recibe en su trabajo")
         for n in range(1, 13)], AGREEMENT, "linea-base", paper)
    specs = attendance + who5 + support + suggestion_slip("ces", "g01", paper)
    return [spec for spec in specs if spec.rows]


def make_batch(pages: int, seed: int, folder: Path) -> tuple[list[Path], dict, dict]:
    layouts = {paper: sample_pages(paper) for paper in ("a4", "letter")}
    specs = {spec.identity.sheet: spec for group in layouts.values() for spec in group}
    paths, truth = [], {}
    for n in range(pages):
        group = layouts["a4" if n % 2 == 0 else "letter"]
        spec = group[(n // 2) % len(group)]
        image, answers = photographed_form(spec, seed + n, copy=n + 1, photo=n % 4 != 3)
        path = folder / f"page{n:03d}.jpg"
        cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
        paths.append(path)
        truth[str(path)] = answers
    return paths, specs, truth


def read_batch(paths: list[Path], specs: dict[FormIdentity, FormSpec]) -> list:
    return list(scan(paths, specs.get))


def score(results: list, truth: dict[str, dict[str, Answer]]) -> dict[str, int]:
    counts = dict.fromkeys(["rows", "correct", "flagged", "wrong", "ambiguous",
                            "ambiguous_flagged", "page_errors"], 0)
    for result in results:
        if not isinstance(result, PageReading):
            counts["page_errors"] += 1
            print(f"  page not read: {result}")
            continue
        for field in result.fields:
            if field.kind == "text":
                continue
            answer = truth[result.source][field.field_id]
            if answer.should_flag:
                counts["ambiguous"] += 1
                counts["ambiguous_flagged"] += field.flagged
                continue
            counts["rows"] += 1
            if field.flagged:
                counts["flagged"] += 1
            elif field.value == answer.value:
                counts["correct"] += 1
            else:
                counts["wrong"] += 1
                print(f"  wrong: {result.source} {field.field_id} read {field.value!r}, "
                      f"marked {answer.marks}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="reading processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = perf_counter()
        paths, specs, truth = make_batch(args.pages, args.seed, Path(folder))
        made = perf_counter() - start
        start, cpu_start = perf_counter(), process_time()
        if args.workers > 1:
            chunks = [paths[n::args.workers] for n in range(args.workers)]
            with ProcessPoolExecutor(args.workers) as pool:
                results = [r for part in pool.map(read_batch, chunks, [specs] * len(chunks))
                           for r in part]
        else:
            results = read_batch(paths, specs)
        reading, cpu = perf_counter() - start, process_time() - cpu_start
    counts = score(results, truth)
    rows = max(counts["rows"], 1)
    print(f"pages: {args.pages} ({counts['page_errors']} not read), made in {made:.1f} s")
    print(f"rows with a readable answer: {counts['rows']}")
    print(f"  read correctly:       {100 * counts['correct'] / rows:6.2f} %")
    print(f"  flagged for review:   {100 * counts['flagged'] / rows:6.2f} %")
    print(f"  wrong and unflagged:  {100 * counts['wrong'] / rows:6.2f} %")
    print(f"rows ambiguous on purpose: {counts['ambiguous']}, flagged "
          f"{100 * counts['ambiguous_flagged'] / max(counts['ambiguous'], 1):.1f} %")
    print(f"reading: {reading:.2f} s, {args.pages / reading:.1f} pages/second "
          f"({args.workers} process{'es' if args.workers > 1 else ''})")
    if args.workers == 1:  # other processes' work is not counted in this one's CPU time
        print(f"CPU time: {1000 * cpu / args.pages:.0f} ms per page (all threads), so "
              f"{2 * args.pages / cpu:.1f} pages/second on 2 free cores")


if __name__ == "__main__":
    main()
