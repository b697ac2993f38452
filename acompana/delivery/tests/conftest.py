"""A planned session of g01 (sup-01's group, facilitated by fac-01) with the tiny curriculum."""

import pytest

from acompana import policy
from acompana.delivery.tests.sheets import KEY
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.planning.models import PlannedSession
from acompana.planning.services import do_store_plan
from tests.support import ROLE_PEOPLE


@pytest.fixture
def planned(ces, settings, tmp_path):
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    do_store_plan(by=policy.OPERATOR, program=ces, plan={"sessions": [{
        "id": KEY, "track": "wellbeing", "session": "bienestar-01", "group": "g01",
        "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
        "date": "2023-07-11", "start": "10:00", "end": "12:00", "status": "planned"}]})
    return PlannedSession.objects.get(key=KEY)


@pytest.fixture
def supervisor(login_as):
    return login_as(ROLE_PEOPLE["supervisor"])
