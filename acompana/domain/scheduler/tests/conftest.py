"""Plans shared by the scheduler's tests: solving CES once keeps the suite fast."""

import pytest

from acompana.domain.scheduler.solve import Outcome, plan_program
from acompana.domain.scheduler.tests.programs import ces_program, curriculum_sessions


@pytest.fixture(scope="session")
def ces() -> Outcome:
    outcome = plan_program(ces_program(), curriculum_sessions(), time_limit=30)
    assert outcome.plan is not None, outcome.explanation
    return outcome
