"""Build the printable materials from the curriculum, in explicit stages.

    read_sources -> validate -> plan_outputs -> current_outputs -> render_outputs
    -> write_outputs -> write_practice_files (optional) -> write_index_and_manifest -> save_cache

Each stage is a plain function over plain data, testable alone. An output is re-rendered only
when the hash of what it is made of (its source files, the renderer's own files and library
versions) differs from the one recorded in `<out>/.cache/outputs.json` for the file on disk.
A facilitator guide that must be re-rendered reuses the chapters of its other sessions from
`<out>/.cache/parts/` (see guide_pdf).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from tqdm import tqdm

from acompana.domain.curriculum import html_render, slides, word
from acompana.domain.curriculum.fingerprint import renderer_fingerprint
from acompana.domain.curriculum.guide_pdf import PartStore, guide_pdf
from acompana.domain.curriculum.handout import MAX_PAGES
from acompana.domain.curriculum.labels import labels
from acompana.domain.curriculum.loading import inspect_sources
from acompana.domain.curriculum.model import (
    LANGUAGES,
    Curriculum,
    Overview,
    Picture,
    ProgramDetails,
    Session,
    Track,
)
from acompana.domain.curriculum.pdf import html_to_pdf, tiled_halves
from acompana.domain.curriculum.pictures import is_picture_file, picture_file_names
from acompana.domain.curriculum.problems import CurriculumError, Problem
from acompana.domain.curriculum.sources import OVERVIEW_FILE, TRACKS_FILE, Sources, read_sources

CACHE_DIR = Path(".cache")
CACHE_FILE = CACHE_DIR / "outputs.json"
PARTS_DIR = CACHE_DIR / "parts"  # the laid-out parts of the guides (see guide_pdf)
PRACTICE_MODULE = "acompana.domain.office_practice"
DEFAULT_PAPER = "letter"  # without a program: the paper the PDFs are laid out on

# The kinds of file in the bundle (the `kind` of each manifest entry).
GUIDE = "facilitator-guide"
HANDOUT = "participant-handout"
SLIDES = "slides"
ATTENDANCE = "attendance-sheet"
OVERVIEW = "overview"
PRACTICE = "practice"
INDEX = "index"
ATTRIBUTION = "picture-credits"
FLIPCHART = "flip-chart"
FLIPCHART_TILED = "flip-chart-letter"
CARDS = "cards"
WORKSHEETS = "worksheets"
MANIFEST_FILE = "manifest.json"

# File names in each language, so downloaded files stay recognisable to their readers.
FILE_NAMES = {
    "es": {GUIDE: "guia-facilitacion", HANDOUT: "hoja-participantes", SLIDES: "diapositivas",
           ATTENDANCE: "asistencia-evaluacion", OVERVIEW: "presentacion-programa",
           PRACTICE: "practica", ATTRIBUTION: "creditos-imagenes", FLIPCHART: "rotafolio",
           FLIPCHART_TILED: "rotafolio-tamano-carta", CARDS: "tarjetas",
           WORKSHEETS: "hojas-trabajo"},
    "en": {GUIDE: "facilitator-guide", HANDOUT: "participant-handout", SLIDES: "slides",
           ATTENDANCE: "attendance-evaluation", OVERVIEW: "program-overview",
           PRACTICE: "practice", ATTRIBUTION: "picture-credits", FLIPCHART: "flip-chart",
           FLIPCHART_TILED: "flip-chart-letter-size", CARDS: "cards",
           WORKSHEETS: "worksheets"},
}


# Hears each stage of a build as it starts: (step number, step count, what the step does).
StepReport = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int | None = None  # PDFs only


@dataclass(frozen=True)
class PlannedOutput:
    """A file the bundle will hold, and the hash of everything its bytes depend on."""

    path: str  # relative to the output folder, with forward slashes
    kind: str
    track: str | None
    session: str | None
    lang: str | None
    key: str
    render: Callable[[], Rendered] = field(compare=False, repr=False)


@dataclass(frozen=True)
class ProducedOutput:
    """A planned output after rendering: new bytes to write, or None if the file is current."""

    planned: PlannedOutput
    sha256: str
    pages: int | None
    data: bytes | None


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    kind: str
    track: str | None
    session: str | None
    language: str | None
    sha256: str


@dataclass(frozen=True)
class BuildReport:
    """What a build did: which outputs it rendered, which it kept, and every file it lists."""

    out_dir: Path
    rendered: tuple[str, ...]
    cached: tuple[str, ...]
    files: tuple[ManifestEntry, ...]
    pages: int
    warnings: tuple[Problem, ...]


# --- the whole build ------------------------------------------------------------------------


def build(
    source: Path,
    out_dir: Path,
    *,
    langs: Sequence[str] = LANGUAGES,
    track: str | None = None,
    strict: bool = False,
    progress: bool = False,
    program: ProgramDetails | None = None,
    on_step: StepReport | None = None,
) -> BuildReport:
    """Build the bundle for `langs` (and one `track`, if given) from `source` into `out_dir`;
    with `program`, its name and help contacts are printed into the handouts, its groups with
    their facilitators and meeting places into the guides, and the practice files print on
    its paper.

    `on_step(number, count, what)` hears each stage as it starts ("step 3 of 6: rendering...");
    `progress` shows a bar of the files rendered on the terminal.

    Raises CurriculumError when the curriculum has errors, ValueError for an unknown language
    or track. The program overview and practice files are built only for the whole program.
    """
    steps = _Steps(on_step, count=6 if track is None else 5)
    steps("reading and checking the curriculum")
    sources = read_sources(Path(source))
    curriculum, warnings = validate(sources, strict=strict)
    out_dir = Path(out_dir)
    steps("planning the files")
    plan = plan_outputs(curriculum, sources, langs=langs, track=track,
                        parts_dir=out_dir / PARTS_DIR, program=program)
    cache_entries = load_cache(out_dir)
    current = current_outputs(plan, cache_entries, out_dir)
    steps(f"rendering {len(plan) - len(current)} of {len(plan)} files "
          f"({len(current)} unchanged since the last build)")
    produced = render_outputs(plan, cache_entries, current, progress=progress)
    steps("writing the files")
    write_outputs(out_dir, produced)
    entries = [_manifest_entry(output) for output in produced]
    if track is None:
        steps("writing the Office practice files")
        entries += write_practice_files(out_dir, langs,
                                        paper=program.paper if program else DEFAULT_PAPER)
    steps("writing index.html and manifest.json")
    entries += earlier_entries(out_dir, langs, track, entries)
    entries += write_index_and_manifest(out_dir, curriculum, entries)
    save_cache(out_dir, cache_entries, produced)
    return BuildReport(
        out_dir=out_dir,
        rendered=tuple(output.planned.path for output in produced if output.data is not None),
        cached=tuple(output.planned.path for output in produced if output.data is None),
        files=tuple(sorted(entries, key=lambda entry: entry.path)),
        pages=sum(output.pages or 0 for output in produced),
        warnings=(*warnings, *long_handouts(produced)),
    )


def _planned_file(source: Path, out_dir: Path, *, lang: str, track: str,
                  wanted: Callable[[PlannedOutput], bool],
                  program: ProgramDetails | None) -> PlannedOutput:
    """The first planned file of a track `wanted` accepts (LookupError when none)."""
    sources = read_sources(Path(source))
    curriculum, _warnings = validate(sources)
    plan = plan_outputs(curriculum, sources, langs=[lang], track=track,
                        parts_dir=Path(out_dir) / PARTS_DIR, program=program)
    planned = next((planned for planned in plan if wanted(planned)), None)
    if planned is None:
        raise LookupError(f"no such file in the {track} track ({lang})")
    return planned


def built_file(source: Path, out_dir: Path, *, lang: str, track: str,
               wanted: Callable[[PlannedOutput], bool],
               program: ProgramDetails | None = None) -> Path | None:
    """The file build_file would bring up to date, when it is current on disk already; None
    when it must be rendered first (a track's PDF guide takes seconds: a page hands that to
    the background worker)."""
    out_dir = Path(out_dir)
    planned = _planned_file(source, out_dir, lang=lang, track=track, wanted=wanted,
                            program=program)
    return out_dir / planned.path if is_current(planned, load_cache(out_dir), out_dir) else None


def build_file(source: Path, out_dir: Path, *, lang: str, track: str,
               wanted: Callable[[PlannedOutput], bool],
               program: ProgramDetails | None = None) -> Path:
    """Bring one file of a track up to date (the first of its planned files `wanted` accepts;
    LookupError when none) and return its path. A download needs its own file: a handout
    renders in a fraction of a second, where building the whole track takes half a minute."""
    out_dir = Path(out_dir)
    planned = _planned_file(source, out_dir, lang=lang, track=track, wanted=wanted,
                            program=program)
    cache_entries = load_cache(out_dir)
    produced = render_outputs([planned], cache_entries,
                              current_outputs([planned], cache_entries, out_dir))
    write_outputs(out_dir, produced)
    save_cache(out_dir, cache_entries, produced)
    return out_dir / planned.path


def long_handouts(produced: Sequence[ProducedOutput]) -> list[Problem]:
    """A warning for each handout that prints on more pages than one sheet holds."""
    return [Problem("warning", f"{output.planned.track}/{output.planned.session}.handout."
                               f"{output.planned.lang}.md", None, "pages",
                    f"the printed handout has {output.pages} pages; at most {MAX_PAGES}: "
                    f"fewer words, smaller boxes")
            for output in produced
            if output.planned.kind == HANDOUT and (output.pages or 0) > MAX_PAGES]


class _Steps:
    """Numbers the build's stages for whoever listens: step 1 of `count`, step 2..."""

    def __init__(self, listener: StepReport | None, count: int) -> None:
        self.listener, self.count, self.number = listener, count, 0

    def __call__(self, what: str) -> None:
        self.number += 1
        if self.listener is not None:
            self.listener(self.number, self.count, what)


def validate(sources: Sources, *, strict: bool = False) -> tuple[Curriculum, list[Problem]]:
    """The checked curriculum and its warnings; raises CurriculumError if it has errors."""
    curriculum, problems = inspect_sources(sources, strict=strict)
    if curriculum is None:
        raise CurriculumError(problems)
    return curriculum, problems


# --- planning: which files, made of what ----------------------------------------------------


def plan_outputs(
    curriculum: Curriculum,
    sources: Sources,
    *,
    langs: Sequence[str] = LANGUAGES,
    track: str | None = None,
    parts_dir: Path | None = None,
    program: ProgramDetails | None = None,
) -> list[PlannedOutput]:
    """Every output of the bundle for the languages (and track) asked for, in a stable order.

    `parts_dir` keeps the guides' laid-out parts between builds (none kept without it).
    """
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language '{unknown[0]}'; expected one of: "
                         f"{', '.join(LANGUAGES)}")
    track_ids = [each.id for each in curriculum.tracks]
    if track is not None and track not in track_ids:
        raise ValueError(f"unknown track '{track}'; expected one of: {', '.join(track_ids)}")
    plan: list[PlannedOutput] = []
    for lang in langs:
        if track is None and curriculum.overview is not None:
            plan += _plan_overview(curriculum.overview, sources, lang)
        if track is None and curriculum.pictures:
            plan.append(_planned(
                f"{lang}/{FILE_NAMES[lang][ATTRIBUTION]}.pdf", ATTRIBUTION, None, None, lang,
                sources, sorted(name for name in sources.files if is_picture_file(name)),
                partial(_pdf, html_render.attribution_document, curriculum, lang)))
        for each in curriculum.tracks:
            if track in (None, each.id):
                parts = PartStore(parts_dir / lang / each.id if parts_dir else None)
                plan += _plan_track(curriculum, each, sources, lang, parts, program)
    return plan


def _plan_overview(overview: Overview, sources: Sources, lang: str) -> list[PlannedOutput]:
    name = f"{lang}/{FILE_NAMES[lang][OVERVIEW]}"
    inputs = [OVERVIEW_FILE]
    return [
        _planned(f"{name}.pdf", OVERVIEW, None, None, lang, sources, inputs,
                 partial(_pdf, html_render.overview_document, overview, lang)),
        _planned(f"{name}.docx", OVERVIEW, None, None, lang, sources, inputs,
                 partial(_office, word.overview_docx, overview, lang)),
    ]


def _plan_track(
    curriculum: Curriculum, track: Track, sources: Sources, lang: str, parts: PartStore,
    program: ProgramDetails | None = None,
) -> list[PlannedOutput]:
    """The track's guide (made of all its sessions), then each session's own files."""
    names = FILE_NAMES[lang]
    sessions = curriculum.sessions_of(track.id)
    guide = f"{lang}/{track.id}/{track.id}-{names[GUIDE]}"
    guide_inputs = [TRACKS_FILE, *(_session_file(sources, session) for session in sessions),
                    *(name for session in sessions for name in picture_file_names(session))]
    # The guides list the track's groups: who facilitates each, where and when.
    groups = [asdict(group) for group in program.groups_of(track.audience)] if program else None
    plan = [
        _planned(f"{guide}.pdf", GUIDE, track.id, None, lang, sources, guide_inputs,
                 partial(_guide_pdf, track, sessions, lang, parts, program), also=groups),
        _planned(f"{guide}.docx", GUIDE, track.id, None, lang, sources, guide_inputs,
                 partial(_office, word.guide_docx, track, sessions, lang, program),
                 also=groups),
    ]
    for session in sessions:
        stem = f"{lang}/{track.id}/{session.id}/{session.id}"
        inputs = [TRACKS_FILE, _session_file(sources, session), *picture_file_names(session)]
        plan += [
            _planned(f"{stem}-{names[HANDOUT]}.pdf", HANDOUT, track.id, session.id, lang,
                     sources, [*inputs, *_handout_files(sources, session)],
                     partial(_pdf, html_render.handout_document, session, track, lang, program),
                     also=asdict(program) if program else None),
            _planned(f"{stem}-{names[SLIDES]}.pptx", SLIDES, track.id, session.id, lang,
                     sources, inputs, partial(_office, slides.session_pptx, session, track, lang)),
            _planned(f"{stem}-{names[ATTENDANCE]}.pdf", ATTENDANCE, track.id, session.id, lang,
                     sources, inputs,
                     partial(_pdf, html_render.attendance_document, session, track, lang)),
            _planned(f"{stem}-{names[FLIPCHART]}.pdf", FLIPCHART, track.id, session.id, lang,
                     sources, inputs,
                     partial(_flipchart, session, track, lang)),
            _planned(f"{stem}-{names[FLIPCHART_TILED]}.pdf", FLIPCHART_TILED, track.id,
                     session.id, lang, sources, inputs,
                     partial(_tiled_flipchart, session, track, lang)),
        ]
        if session.worksheets:
            plan.append(_planned(
                f"{stem}-{names[WORKSHEETS]}.pdf", WORKSHEETS, track.id, session.id, lang,
                sources, [*inputs, *_worksheet_files(session, lang)],
                partial(_pdf, html_render.worksheets_document, session, track, lang)))
        cards = session_cards(curriculum, track, session, lang)
        if cards:
            plan.append(_planned(
                f"{stem}-{names[CARDS]}.pdf", CARDS, track.id, session.id, lang, sources,
                [*inputs, *(_session_file(sources, each) for each in sessions
                            if session.summary_cards)],
                partial(_pdf, html_render.cards_document, session, cards, lang)))
    return plan


def _session_file(sources: Sources, session: Session) -> str:
    return next(
        name for name in sources.files
        if name in (f"{session.track}/{session.id}.yaml", f"{session.track}/{session.id}.yml")
    )


def _handout_files(sources: Sources, session: Session) -> list[str]:
    prefix = f"{session.track}/{session.id}.handout."
    return [name for name in sources.files if name.startswith(prefix)]


def _worksheet_files(session: Session, lang: str) -> list[str]:
    """The worksheets' files in `lang` (the loader made sure both languages exist)."""
    return [f"{session.track}/{name}.{lang}.md" for name in session.worksheets]


def _planned(
    path: str, kind: str, track: str | None, session: str | None, lang: str,
    sources: Sources, inputs: Sequence[str], render: Callable[[], Rendered],
    also: object = None,
) -> PlannedOutput:
    """An output and its key; `also` is anything else its bytes depend on (the program)."""
    key = _hash_json({
        "renderer": renderer_fingerprint(), "path": path, "kind": kind, "lang": lang,
        "inputs": {name: sources.digests[name] for name in sorted(inputs)},
        **({"also": also} if also is not None else {}),
    })
    return PlannedOutput(path, kind, track, session, lang, key, render)


def _pdf(document: Callable[..., str], *args: object) -> Rendered:
    laid_out = html_to_pdf(document(*args))
    return Rendered(laid_out.data, laid_out.pages)


def _flipchart(session: Session, track: Track, lang: str) -> Rendered:
    laid_out = _laid_out_flipchart(html_render.flipchart_document(session, track, lang))
    return Rendered(laid_out.data, laid_out.pages)


def _tiled_flipchart(session: Session, track: Track, lang: str) -> Rendered:
    laid_out = _laid_out_flipchart(html_render.flipchart_document(session, track, lang))
    tiled = tiled_halves(laid_out.data)
    return Rendered(tiled.data, tiled.pages)


@lru_cache(maxsize=2)
def _laid_out_flipchart(html: str):
    """A flip chart laid out once for both of its files (planned one after the other)."""
    return html_to_pdf(html)


def session_cards(curriculum: Curriculum, track: Track, session: Session, lang: str
                  ) -> list[tuple[Picture | None, str]]:
    """The session's picture cards: its own, then one per session of its track if it asks."""
    cards = [(session.pictures.get(card.picture), card.words.in_lang(lang) if card.words else "")
             for card in session.cards]
    if session.summary_cards:
        cards += [(session.pictures.get(each.picture or ""),
                   f"{each.number}. {each.title.in_lang(lang)}")
                  for each in curriculum.sessions_of(track.id)]
    return cards


def _guide_pdf(
    track: Track, sessions: Sequence[Session], lang: str, parts: PartStore,
    program: ProgramDetails | None,
) -> Rendered:
    laid_out = guide_pdf(track, sessions, lang, parts, program)
    return Rendered(laid_out.data, laid_out.pages)


def _office(writer: Callable[..., bytes], *args: object) -> Rendered:
    return Rendered(writer(*args))


def _hash_json(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


# --- rendering, with the cache ----------------------------------------------------------------


def load_cache(out_dir: Path) -> dict[str, dict]:
    """What the last builds recorded: output path -> its key, sha256 and page count."""
    try:
        return json.loads((out_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def is_current(planned: PlannedOutput, cache_entries: dict[str, dict], out_dir: Path) -> bool:
    """The file on disk is what this plan would render: same key, and nobody changed the file."""
    entry = cache_entries.get(planned.path)
    if entry is None or entry.get("key") != planned.key:
        return False
    target = out_dir / planned.path
    return target.is_file() and _sha256(target.read_bytes()) == entry.get("sha256")


def current_outputs(
    plan: Sequence[PlannedOutput], cache_entries: dict[str, dict], out_dir: Path
) -> set[str]:
    """The paths of the planned outputs whose file on disk is current."""
    return {planned.path for planned in plan if is_current(planned, cache_entries, out_dir)}


def render_outputs(
    plan: Sequence[PlannedOutput], cache_entries: dict[str, dict], current: set[str],
    *, progress: bool = False,
) -> list[ProducedOutput]:
    """Render every planned output that is not `current` on disk; keep the others."""
    bar = tqdm(total=len(plan) - len(current), desc="Rendering", unit="file",
               disable=not progress)
    produced = []
    for planned in plan:
        if planned.path in current:
            entry = cache_entries[planned.path]
            produced.append(ProducedOutput(planned, entry["sha256"], entry.get("pages"), None))
        else:
            rendered = planned.render()
            produced.append(
                ProducedOutput(planned, _sha256(rendered.data), rendered.pages, rendered.data)
            )
            bar.update()
    bar.close()
    return produced


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- writing ----------------------------------------------------------------------------------


def write_outputs(out_dir: Path, produced: Sequence[ProducedOutput]) -> None:
    """Write the newly rendered files; a file is replaced whole, never left half written."""
    for output in produced:
        if output.data is not None:
            _write_file(out_dir / output.planned.path, output.data)


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial_path = path.with_name(path.name + ".part")
    partial_path.write_bytes(data)
    os.replace(partial_path, path)


def _manifest_entry(output: ProducedOutput) -> ManifestEntry:
    planned = output.planned
    return ManifestEntry(planned.path, planned.kind, planned.track, planned.session,
                         planned.lang, output.sha256)


def write_practice_files(
    out_dir: Path, langs: Sequence[str], module: str = PRACTICE_MODULE,
    paper: str = DEFAULT_PAPER,
) -> list[ManifestEntry]:
    """The Office practice files, when the module that writes them is installed, laid out on
    the program's `paper`.

    `module` has `write_practice_files(out_dir: Path, lang: str, paper: str) -> list[Path]`; a
    missing module is fine (the build goes on without practice files), a broken one is not.
    """
    if importlib.util.find_spec(module) is None:
        return []
    writer = importlib.import_module(module).write_practice_files
    entries = []
    for lang in langs:
        folder = out_dir / lang / FILE_NAMES[lang][PRACTICE]
        folder.mkdir(parents=True, exist_ok=True)
        for path in writer(folder, lang, paper):
            path = Path(path)
            entries.append(ManifestEntry(
                path.resolve().relative_to(out_dir.resolve()).as_posix(), PRACTICE, None, None,
                lang, _sha256(path.read_bytes())))
    return entries


def earlier_entries(out_dir: Path, langs: Sequence[str], track: str | None,
                    entries: Sequence[ManifestEntry]) -> list[ManifestEntry]:
    """Files an earlier build left that this one did not make again and still stand: another
    language's or another track's. Building Spanish then English into one folder lists both."""
    try:
        manifest = json.loads((out_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        earlier = [ManifestEntry(**entry) for entry in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    made = {entry.path for entry in entries}

    def rebuilt_scope(entry: ManifestEntry) -> bool:
        return entry.language in langs and (track is None or entry.track == track)

    return [entry for entry in earlier
            if entry.kind != INDEX and entry.path not in made and not rebuilt_scope(entry)
            and (out_dir / entry.path).is_file()]


def write_index_and_manifest(
    out_dir: Path, curriculum: Curriculum, entries: Sequence[ManifestEntry]
) -> list[ManifestEntry]:
    """index.html linking every file, and manifest.json listing them all (index included)."""
    title = " · ".join(dict.fromkeys(
        labels(entry.language)["materials_index"] for entry in entries if entry.language
    )) or labels("es")["materials_index"]
    index = html_render.index_document(title, index_view(curriculum, entries)).encode("utf-8")
    _write_file(out_dir / "index.html", index)
    index_entry = ManifestEntry("index.html", INDEX, None, None, None, _sha256(index))
    listed = sorted([*entries, index_entry], key=lambda entry: entry.path)
    manifest = {"files": [asdict(entry) for entry in listed]}
    _write_file(out_dir / MANIFEST_FILE,
                (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return [index_entry]


def index_view(curriculum: Curriculum, entries: Sequence[ManifestEntry]) -> list[dict]:
    """The index page's content: per language, the overview, each track's files, practice."""
    view = []
    for lang in LANGUAGES:
        files = [entry for entry in entries if entry.language == lang]
        if not files:
            continue
        links = partial(_links, files, labels(lang))
        tracks = []
        for track in curriculum.tracks:
            rows = [
                {"number": session.number, "title": session.title.in_lang(lang),
                 "files": [link for kind in (HANDOUT, WORKSHEETS, SLIDES, ATTENDANCE,
                                             FLIPCHART, FLIPCHART_TILED, CARDS)
                           for link in links(kind, track.id, session.id)]}
                for session in curriculum.sessions_of(track.id)
            ]
            rows = [row for row in rows if row["files"]]
            guides = links(GUIDE, track.id)
            if rows or guides:
                tracks.append({"title": track.title.in_lang(lang), "guides": guides,
                               "sessions": rows})
        view.append({"lang": lang, "t": labels(lang), "overview": links(OVERVIEW),
                     "credits": links(ATTRIBUTION),
                     "tracks": tracks, "practice": links(PRACTICE)})
    return view


def _links(
    files: Sequence[ManifestEntry], t: dict[str, str], kind: str,
    track: str | None = None, session: str | None = None,
) -> list[dict[str, str]]:
    return [
        {"path": entry.path, "label": _link_label(entry, t)}
        for entry in files
        if entry.kind == kind and entry.track == track and entry.session == session
    ]


def _link_label(entry: ManifestEntry, t: dict[str, str]) -> str:
    """How a link reads: the format for guides and overview, the kind for a session's files."""
    name = Path(entry.path).name
    file_format = t.get(Path(name).suffix.lstrip("."), name)
    if entry.kind == PRACTICE:
        return name
    if entry.kind in (GUIDE, OVERVIEW, ATTRIBUTION):
        return file_format
    kind_label = {HANDOUT: t["participant_handout"], SLIDES: t["slides"],
                  ATTENDANCE: t["attendance_sheet"], FLIPCHART: t["flipchart"],
                  FLIPCHART_TILED: t["flipchart_letter"], CARDS: t["cards"],
                  WORKSHEETS: t["worksheets"]}[entry.kind]
    return f"{kind_label} ({file_format})"


def save_cache(
    out_dir: Path, cache_entries: dict[str, dict], produced: Sequence[ProducedOutput]
) -> None:
    """Record each output's key and hash; outputs of other languages or tracks stay recorded."""
    for output in produced:
        cache_entries[output.planned.path] = {
            "key": output.planned.key, "sha256": output.sha256, "pages": output.pages,
        }
    _write_file(out_dir / CACHE_FILE,
                json.dumps(cache_entries, indent=1, sort_keys=True).encode("utf-8"))
