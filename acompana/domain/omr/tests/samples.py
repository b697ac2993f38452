"""Small forms shared by the tests."""

from acompana.domain.omr.forms import attendance_form, questionnaire_form

ROSTER = [("ana", "Ana López"), ("rosa", "Rosa Méndez Ruiz"), ("juana", "Juana Gómez"),
          ("petrona", "Petrona Díaz")]
ACTIVITIES = ["Bienvenida", "Respiración y relajación"]
QUESTIONS = ["¿Te gustó la sesión?", "¿Aprendiste algo útil?"]
OPTIONS = [("3", "Siempre"), ("2", "A veces"), ("1", "Casi nunca"), ("0", "Nunca")]
ITEMS = [(1, "Me he sentido alegre"), (2, "Me he sentido tranquila"),
         (3, "Mi vida diaria ha estado llena de cosas que me interesan")]


def attendance(paper: str = "a4", session: str = "s05", roster=ROSTER, questions=QUESTIONS):
    return attendance_form("ces", "g01", session, "Sesión 5: Cuidarnos", roster, ACTIVITIES,
                           questions, paper)


def questionnaire(paper: str = "letter"):
    return questionnaire_form("ces", "bienestar", "Cuestionario de bienestar", ITEMS, OPTIONS,
                              "linea-base", paper)
