"""An impossible program gets a plain-language reason in Spanish and English, never a trace."""

from acompana.domain.scheduler.solve import plan_program
from acompana.domain.scheduler.tests.programs import ces_program, curriculum_sessions


def test_a_month_closed_whole_is_named_with_its_closure():
    program = ces_program()
    program["planning"]["closures"][0]["start"] = "2023-11-30"  # all of December closed
    outcome = plan_program(program, curriculum_sessions())
    assert outcome.status == "INFEASIBLE" and outcome.plan is None
    assert (
        "- El grupo g03 (Grupo Monterrey) no puede tener la sesión bienestar-06 en diciembre de "
        "2023: todo el mes está cerrado (Vacaciones de diciembre; día festivo: Navidad)."
        in outcome.explanation.es.splitlines())
    assert (
        "- Group g03 (Grupo Monterrey) cannot have session bienestar-06 in December 2023: the "
        "whole month is closed (Vacaciones de diciembre; public holiday: Christmas Day)."
        in outcome.explanation.en.splitlines())


def test_conflicting_requirements_are_named_by_the_solver():
    program = ces_program()
    program["planning"]["train_the_trainer_days"] = 30  # July's sessions cannot be prepared
    outcome = plan_program(program, curriculum_sessions())
    assert outcome.status == "INFEASIBLE"
    assert outcome.explanation.es.splitlines() == [
        "No se puede armar el plan. Estas condiciones no se pueden cumplir a la vez:",
        "- Angélica Cruz Villatoro (sup-01) debe recibir supervisores-01 al menos 30 días antes "
        "de facilitar bienestar-01 con el grupo g01 (supervisores-01 en julio de 2023; "
        "bienestar-01 en julio de 2023)."]
    assert outcome.explanation.en.startswith("No plan is possible. These requirements cannot "
                                             "all hold together:\n- Angélica Cruz Villatoro")


def test_a_supervisor_away_most_of_a_month_conflicts_with_her_four_sessions():
    program = ces_program()
    program["planning"]["unavailability"] = [
        {"person": "sup-01", "start": "2023-09-01", "end": "2023-09-27",
         "reason": "Capacitación"}]
    explanation = plan_program(program, curriculum_sessions()).explanation.es
    assert ("- Angélica Cruz Villatoro (sup-01) no está disponible del viernes 1 de septiembre "
            "de 2023 al miércoles 27 de septiembre de 2023 (Capacitación).") in explanation
    assert ("- Angélica Cruz Villatoro (sup-01) no puede estar en dos lugares a la vez "
            "(contando el traslado entre comunidades).") in explanation
