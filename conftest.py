"""Fixtures shared by every app's tests: the CES program loaded, and users of each role."""

import pytest

from tests.support import CES


@pytest.fixture
def ces(db):
    """The CES program loaded from its program file."""
    from acompana.programs.services import do_load_program

    return do_load_program(location=CES).program


@pytest.fixture
def login_as(ces, client):
    """Log the test client in as the CES person with a given id; return that person."""
    from acompana.accounts.services import do_create_account
    from acompana.programs.models import Person

    def _login(code: str):
        person = Person.objects.get(code=code)
        if person.user is None:
            do_create_account(person=person, username=code, password="una-clave-larga-1")
            person.refresh_from_db()
        client.force_login(person.user)
        return person

    return _login


@pytest.fixture(autouse=True)
def _audit_trail_flushable(request):
    """Transactional tests end with a flush, which the append-only audit table would refuse."""
    if "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")  # so this teardown runs before its flush
    yield
    from tests.support import empty_audit_trail_for_flush

    empty_audit_trail_for_flush()
