"""Whose scanned questionnaire may be typed in: the Acompañantes with consent in force."""

from acompana.policy import Actor
from acompana.programs.models import Person
from acompana.wellbeing.selectors import consenting_acompanantes
from acompana.wellbeing.services import do_give_consent, do_withdraw_consent


def test_only_consent_in_force_counts_each_person_once_in_one_query(
        ces, django_assert_num_queries):
    people = {code: Person.objects.get(code=code)
              for code in ("ac-g01-02", "ac-g01-03", "ac-g01-04", "sup-01", "clin-01")}
    for code in ("ac-g01-02", "ac-g01-03", "ac-g01-04"):
        do_give_consent(person=people[code], method="signed-paper", recorded_by=people["clin-01"])
    do_withdraw_consent(person=people["ac-g01-03"], by=people["clin-01"])
    do_give_consent(person=people["ac-g01-04"], method="in-app", recorded_by=people["clin-01"],
                    notice_version="2099-01")  # a second consent in force, to a newer notice
    clinician = Actor(user_id=None, person=people["clin-01"])

    with django_assert_num_queries(1):
        listed = list(consenting_acompanantes(actor=clinician))

    assert sorted(person.code for person in listed) == ["ac-g01-02", "ac-g01-04"]
    assert [person.name for person in listed] == sorted(person.name for person in listed)
