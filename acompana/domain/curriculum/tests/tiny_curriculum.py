"""A tiny, valid curriculum (2 tracks x 2 sessions) that tests write and then break."""

from __future__ import annotations

from pathlib import Path

import yaml


def text(es: str, en: str) -> dict[str, str]:
    return {"es": es, "en": en}


def session_data(track: str, number: int, prerequisites: list[str]) -> dict:
    """A complete, valid session of `track`; 3 evaluation questions suit both audiences."""
    session_id = f"{track}-{number:02d}"
    return {
        "id": session_id,
        "track": track,
        "number": number,
        "title": text(f"Sesión {number} de {track}: ¿cómo respiramos?",
                      f"Session {number} of {track}: how do we breathe?"),
        "summary": text("Una sesión para practicar la atención plena en compañía.",
                        "A session to practise mindfulness together."),
        "tags": ["mindfulness", "respiracion"],
        "picture": "respirar",
        "cards": [{"picture": "ola", "words": text("Calma", "Calm")}, {"picture": "respirar"}],
        "duration_minutes": 60,
        "objectives": [
            text(f"Objetivo uno de {session_id}: reconocer la respiración",
                 f"Objective one of {session_id}: notice the breath"),
            text(f"Objetivo dos de {session_id}: ¡practicar en grupo!",
                 f"Objective two of {session_id}: practise as a group!"),
        ],
        "materials": [
            {"item": text("Proyector", "Projector"),
             "without_power": text("Rotafolio con dibujos", "Flip chart with drawings")},
            {"item": text("Sillas en círculo", "Chairs in a circle")},
        ],
        "prerequisites": prerequisites,
        "activities": [
            {"name": text("Bienvenida", "Welcome"), "kind": "opening", "minutes": 10,
             "steps": [text("Saludar a cada compañera por su nombre.", "Greet each one by name."),
                       text("Acordar las reglas del grupo.", "Agree on the group rules.")],
             "facilitator_notes": text("Llegar temprano y acomodar el espacio.",
                                       "Arrive early and arrange the room."),
             "low_literacy": text("Usar dibujos en lugar de texto.", "Use drawings, not text.")},
            {"name": text("Respiración en cuatro tiempos", "Four-count breathing"),
             "kind": "practice", "minutes": 40, "picture": "ola",
             "steps": [text("Inhalar contando hasta cuatro.", "Breathe in counting to four."),
                       text("Exhalar despacio.", "Breathe out slowly.")]},
            {"name": text("Cierre", "Closing"), "kind": "closing", "minutes": 10,
             "steps": [text("Compartir una palabra.", "Share one word.")]},
        ],
        "slides": [
            {"title": text("¿Qué es respirar con atención?", "What is mindful breathing?"),
             "bullets": [text("Notar el aire", "Notice the air"),
                         text("Sin juzgar", "Without judging")]},
            {"title": text("Práctica", "Practice"),
             "bullets": [text("Cuatro tiempos", "Four counts")]},
        ],
        "take_home": text("Respirar tres veces antes de cada visita.",
                          "Breathe three times before each visit."),
        "evaluation_questions": [
            text("¿Te sentiste cómoda?", "Did you feel comfortable?"),
            text("¿Vas a practicar en casa?", "Will you practise at home?"),
            text("¿Te gustó la dinámica?", "Did you like the activity?"),
        ],
        "references": ["Kabat-Zinn J. (1990). Full Catastrophe Living. Delacorte."],
    }


TRACKS = {
    "tracks": [
        {"id": "bienestar",
         "title": text("Bienestar de las Acompañantes", "Acompañantes' wellbeing"),
         "audience": "acompanantes",
         "summary": text("Sesiones para cuidar el bienestar.", "Sessions to care for wellbeing."),
         "sessions": ["bienestar-01", "bienestar-02"]},
        {"id": "supervisores", "title": text("Formación de supervisoras", "Supervisors' training"),
         "audience": "supervisors",
         "summary": text("Sesiones para las supervisoras.", "Sessions for the supervisors."),
         "sessions": ["supervisores-01", "supervisores-02"]},
    ]
}

OVERVIEW = {
    "title": text("Programa de bienestar", "Wellbeing program"),
    "sections": [
        {"heading": text("Propósito", "Purpose"),
         "body": text("El programa **acompaña** a las Acompañantes.\n\n- Una sesión al mes\n",
                      "The program **supports** the Acompañantes.\n\n- One session a month\n")},
    ],
}

PREREQUISITES = {
    "bienestar-01": ["supervisores-01"],
    "bienestar-02": ["bienestar-01"],
    "supervisores-01": [],
    "supervisores-02": ["supervisores-01"],
}


def dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


PICTURES = {
    "licences": {"CC-BY-SA-4.0": {"name": "Creative Commons Attribution-ShareAlike 4.0",
                                  "url": "https://creativecommons.org/licenses/by-sa/4.0/",
                                  "text": "LICENSES/CC-BY-SA-4.0.txt"}},
    "credits": {"Pruebas": text("Dibujos de prueba", "Test drawings")},
    "pictures": [
        {"id": "respirar", "file": "respirar.svg", "alt": text("Un círculo", "A circle"),
         "origin": "drawn", "author": "Pruebas", "licence": "CC-BY-SA-4.0"},
        {"id": "ola", "file": "ola.svg", "alt": text("Una ola", "A wave"),
         "origin": {"package": "openmoji@17.0.0", "path": "black/svg/1F30A.svg"},
         "author": "Pruebas", "licence": "CC-BY-SA-4.0"},
    ],
}
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72"><g fill="none" '
       'stroke="#000" stroke-width="3">{}</g></svg>')


def write_pictures(root: Path) -> None:
    """The tiny curriculum's picture library: two line drawings and the licence's text."""
    folder = root / "pictures"
    (folder / "LICENSES").mkdir(parents=True, exist_ok=True)
    dump(folder / "pictures.yaml", PICTURES)
    (folder / "respirar.svg").write_text(SVG.format('<circle cx="36" cy="36" r="30"/>'))
    (folder / "ola.svg").write_text(SVG.format('<path d="M4 40q16-20 32 0t32 0"/>'))
    (folder / "LICENSES" / "CC-BY-SA-4.0.txt").write_text("Attribution-ShareAlike 4.0\n")


def write_curriculum(root: Path) -> Path:
    """Write the tiny, fully valid curriculum (with both handouts of each session) into `root`."""
    write_pictures(root)
    dump(root / "tracks.yaml", TRACKS)
    dump(root / "overview.yaml", OVERVIEW)
    for session_id, prerequisites in PREREQUISITES.items():
        track, _, number = session_id.rpartition("-")
        dump(root / track / f"{session_id}.yaml", session_data(track, int(number), prerequisites))
        (root / track / f"{session_id}.handout.es.md").write_text(
            f"## Para recordar\n\n![](picture:ola)\n\n"
            f"Respirar **despacio** ayuda. ¿Cuándo lo harás?\n\n"
            f"1. Siéntate cómoda\n2. Respira\n\n__________\n\nSesión {session_id}\n",
            encoding="utf-8")
        (root / track / f"{session_id}.handout.en.md").write_text(
            f"## To remember\n\n![](picture:respirar)\n\nBreathing **slowly** helps.\n\n"
            f"- Sit comfortably\n\n"
            f"Session {session_id}\n", encoding="utf-8")
    return root
