"""The fictional program behind every practice file: one supervisor, 3 groups, 30 Acompañantes.

Nobody here is a real person. The communities are the program's; the figures come from a seeded
random generator, so every build gives the same names and figures, and the Word report, the
workbook and the deck agree with each other.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

LANGUAGES = ("es", "en")
YEAR = 2023
MONTHS = (7, 8, 9, 10, 11, 12)  # July-December 2023: the semester of the attendance register
SEED = 20230701

MONTH_NAMES = {
    "es": {7: "julio", 8: "agosto", 9: "septiembre", 10: "octubre", 11: "noviembre",
           12: "diciembre"},
    "en": {7: "July", 8: "August", 9: "September", 10: "October", 11: "November",
           12: "December"},
}
WEEKDAY_NAMES = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

AND = {"es": "y", "en": "and"}
NOBODY = {"es": "nadie", "en": "nobody"}

SUPERVISOR = "Lucía Roblero Gálvez"

# Each group meets in one community and gathers the Acompañantes of nearby ones.
GROUP_COMMUNITIES = {
    "Grupo Reforma": (("Reforma", 4), ("Letrero", 3), ("Matasano", 3)),
    "Grupo Monterrey": (("Monterrey", 4), ("Laguna del Cofre", 3), ("Honduras", 3)),
    "Grupo Salvador Urbina": (("Salvador Urbina", 5), ("Capitán Luis Ángel Vidal", 5)),
}
JULY_MEETINGS = {
    "Grupo Reforma": date(YEAR, 7, 11),
    "Grupo Monterrey": date(YEAR, 7, 13),
    "Grupo Salvador Urbina": date(YEAR, 7, 18),
}

FIRST_NAMES = (
    "Adriana", "Araceli", "Aurelia", "Candelaria", "Catalina", "Dominga", "Elvia", "Esperanza",
    "Floridalma", "Guadalupe", "Herminia", "Irma", "Juana", "Leticia", "Margarita", "María Elena",
    "Maribel", "Marisol", "Micaela", "Noemí", "Ofelia", "Olga", "Petrona", "Reyna", "Rosa",
    "Rosalba", "Silvia", "Socorro", "Verónica", "Yolanda", "Zenaida", "Delfina",
)
SURNAMES = (
    "Aguilar", "Bravo", "Cruz", "Díaz", "Domínguez", "Escobar", "Gálvez", "Gómez", "Hernández",
    "López", "Maldonado", "Méndez", "Morales", "Ochoa", "Pérez", "Ramírez", "Roblero",
    "Sánchez", "Velázquez", "Verdugo",
)

# Attendance dips when the rains cut the roads (September) and with the December fiestas.
MONTH_DIP = {9: 0.10, 12: 0.12}
VISITS_PER_ACOMPANANTE = (3, 8)  # home visits a month, fewest and most


@dataclass(frozen=True)
class Acompanante:
    name: str
    group: str
    community: str


@dataclass(frozen=True)
class Attendance:
    group: str
    acompanante: str
    month: int
    attended: bool


@dataclass(frozen=True)
class CommunityVisits:
    community: str
    month: int
    visits: int


@dataclass(frozen=True)
class Program:
    """The register rows, in the order a supervisor would type them: month by month."""

    acompanantes: tuple[Acompanante, ...]
    attendance: tuple[Attendance, ...]
    visits: tuple[CommunityVisits, ...]

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(GROUP_COMMUNITIES)

    @property
    def communities(self) -> tuple[str, ...]:
        return tuple(name for places in GROUP_COMMUNITIES.values() for name, _ in places)

    def communities_of(self, group: str) -> tuple[str, ...]:
        return tuple(name for name, _ in GROUP_COMMUNITIES[group])

    def present(self, group: str, month: int) -> int:
        """How many of the group's Acompañantes came to that month's meeting."""
        return sum(row.attended for row in self.attendance
                   if row.group == group and row.month == month)

    def members(self, group: str) -> int:
        return sum(person.group == group for person in self.acompanantes)

    def visits_in(self, community: str, month: int) -> int:
        return next(row.visits for row in self.visits
                    if row.community == community and row.month == month)

    def group_visits(self, group: str, month: int) -> int:
        return sum(self.visits_in(community, month) for community in self.communities_of(group))

    def semester_visits(self, community: str) -> int:
        return sum(self.visits_in(community, month) for month in MONTHS)

    def attendance_rate(self, month: int | None = None) -> float:
        """Share of Acompañantes present, in one month or over the whole semester."""
        rows = [row for row in self.attendance if month is None or row.month == month]
        return sum(row.attended for row in rows) / len(rows)


@cache
def fictional_program() -> Program:
    """The one fictional program, the same on every call and every machine."""
    rng = random.Random(SEED)
    acompanantes = _acompanantes(rng)
    return Program(acompanantes, _attendance(rng, acompanantes), _visits(rng, acompanantes))


def _acompanantes(rng: random.Random) -> tuple[Acompanante, ...]:
    # Distinct first names, so a name alone identifies a person in COUNTIFS exercises.
    first_names = iter(rng.sample(FIRST_NAMES, k=30))
    people = []
    for group, places in GROUP_COMMUNITIES.items():
        for community, count in places:
            for _ in range(count):
                surnames = rng.sample(SURNAMES, k=2)
                people.append(Acompanante(f"{next(first_names)} {' '.join(surnames)}", group,
                                          community))
    return tuple(people)


def _attendance(rng: random.Random, people: tuple[Acompanante, ...]) -> tuple[Attendance, ...]:
    # Each person has her own habit of coming; some months are harder for everybody.
    habit = {person.name: rng.uniform(0.72, 0.98) for person in people}
    return tuple(
        Attendance(person.group, person.name, month,
                   rng.random() < habit[person.name] - MONTH_DIP.get(month, 0.0))
        for month in MONTHS for person in people
    )


def _visits(rng: random.Random, people: tuple[Acompanante, ...]) -> tuple[CommunityVisits, ...]:
    # A community's visits are those of the Acompañantes who live there.
    communities = dict.fromkeys(person.community for person in people)
    return tuple(
        CommunityVisits(community, month, sum(
            rng.randint(*VISITS_PER_ACOMPANANTE) for person in people
            if person.community == community))
        for month in MONTHS for community in communities
    )


def month_name(month: int, lang: str) -> str:
    return MONTH_NAMES[lang][month]


def long_date(day: date, lang: str) -> str:
    """'martes 11 de julio' / 'Tuesday 11 July'."""
    weekday = WEEKDAY_NAMES[lang][day.weekday()]
    if lang == "es":
        return f"{weekday} {day.day} de {month_name(day.month, lang)}"
    return f"{weekday} {day.day} {month_name(day.month, lang)}"


def percent(share: float) -> str:
    """A whole percentage, as the report and the deck print it."""
    return f"{round(share * 100)}%"


def join_names(names: Sequence[str], lang: str) -> str:
    """'A', 'A y B', 'A, B y C'; 'nadie' for none."""
    if not names:
        return NOBODY[lang]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {AND[lang]} {names[-1]}"


def leaders(values: dict[str, int], best: Callable[..., int] = max) -> list[str]:
    """Every key sharing the best value, in the dict's order: ties are all named."""
    target = best(values.values())
    return [key for key, value in values.items() if value == target]
