"""The coordinator downloads the work plan as a PDF in a real browser: the link (and the
re-plan button) says it is preparing, the first download of the plan's version shows the
job's page with its progress while the worker builds it, and the file arrives by itself when
it is ready."""

import pytest

from acompana import policy
from tests.support import CES, run_worker, small_plan

pytestmark = pytest.mark.browser
PASSWORD = "una-clave-larga-1"


@pytest.fixture
def coordinator_with_a_plan(transactional_db, live_server, settings, tmp_path):
    """CES with three sessions planned (so the build is quick) and coord-01's login."""
    from acompana.accounts.services import do_create_account
    from acompana.planning.services import do_store_plan
    from acompana.programs.models import Person
    from acompana.programs.services import do_load_program

    settings.PLAN_FILES_DIR = tmp_path / "plan-files"
    settings.JOBS_DIR = tmp_path / "jobs"
    program = do_load_program(by=policy.OPERATOR, location=CES).program
    do_store_plan(by=policy.OPERATOR, program=program, plan=small_plan(
        code="bienestar-01", supervisors_day="2023-07-03", date_g01="2023-07-11",
        date_g05="2023-07-12"))
    do_create_account(by=policy.OPERATOR, person=Person.objects.get(code="coord-01"),
                      username="coord-01", password=PASSWORD)


def test_coordinator_downloads_the_plan_pdf_through_the_progress_page(
        coordinator_with_a_plan, live_server, page):
    from acompana.jobs.models import Job

    page.goto(live_server.url)
    page.get_by_label("Nombre de usuario").fill("coord-01")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.goto(f"{live_server.url}/plan/")
    link = page.get_by_role("link", name="plan-de-trabajo.pdf")

    # The busy state, seen on a click whose navigation is held back.
    busy = link.evaluate("""(link) => {
        const hold = (event) => event.preventDefault();
        window.addEventListener("click", hold);
        link.click();
        window.removeEventListener("click", hold);
        return {text: link.textContent, disabled: link.getAttribute("aria-disabled")};
    }""")
    assert busy == {"text": "Preparando…", "disabled": "true"}
    replan = page.get_by_role("button", name="Rehacer el plan a partir de las sesiones "
                                            "realizadas y no realizadas")
    busy = replan.evaluate("""(button) => new Promise((done) => {
        window.addEventListener("submit", (event) => event.preventDefault(), {once: true});
        button.click();
        setTimeout(() => done({text: button.textContent, disabled: button.disabled}), 100);
    })""")
    assert busy == {"text": "Preparando…", "disabled": True}
    page.reload()

    page.get_by_role("link", name="plan-de-trabajo.pdf").click()
    page.wait_for_url("**/trabajos/**")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Plan de trabajo: plan-de-trabajo.pdf"
    assert page.locator("section.job[aria-busy=true] progress").is_visible()
    assert page.locator(".spinner").is_visible()

    with page.expect_download(timeout=60_000) as arrived:
        run_worker()  # the worker builds the version's files; the page, reloading, sees it
        job = Job.objects.get(kind="planning.plan_file")
        assert job.status == Job.Status.DONE, job.error
    download = arrived.value
    assert download.suggested_filename == "plan-de-trabajo.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    page.get_by_role("link", name="Descargar plan-de-trabajo.pdf").wait_for()
    assert page.locator("section.job[aria-busy=false]").is_visible()
