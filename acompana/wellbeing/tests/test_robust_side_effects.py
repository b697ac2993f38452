"""A mail outage never breaks a worker's request: her answers are stored and she is answered."""

import socket

from django.urls import reverse

from acompana.programs.models import Person
from acompana.wellbeing.models import Assessment, Referral
from acompana.wellbeing.services import do_give_consent
from tests.support import ROLE_PEOPLE

WORKER = ROLE_PEOPLE["acompanante"]
PHQ9_ITEM9_ONLY = [0, 0, 0, 0, 0, 0, 0, 0, 1]


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused, as a mail server down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_outage_after_a_self_assessment_still_answers_her(transactional_db, ces, login_as,
                                                                 client, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    clinician = login_as(ROLE_PEOPLE["clinician"])
    clinician.user.email = "clinica@example.org"
    clinician.user.save()
    worker = Person.objects.get(code=WORKER)
    do_give_consent(person=worker, method="in-app", recorded_by=worker)
    login_as(WORKER)
    for number, value in enumerate(PHQ9_ITEM9_ONLY, start=1):
        response = client.post(reverse("wellbeing:question", args=["phq9", number]),
                               {"answer": str(value)})
    assert response.status_code == 302 and response["Location"] == reverse("wellbeing:done")
    assert Assessment.objects.filter(person=worker, instrument="phq9").exists()
    assert Referral.objects.filter(person=worker).exists()
    # Alerts leave through the outbox, sent and retried by the worker (acompana/alerts tests):
    # the request itself never meets the mail server.
