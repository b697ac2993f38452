"""Example phone numbers left on the path to care are said out loud: the handouts would print
them and the alerts would call them, and a worker at risk would reach nobody."""

import pytest
from django.urls import reverse

from acompana.domain.program_file import is_example_number
from acompana.programs.models import Person
from acompana.programs.selectors import example_numbers


@pytest.mark.parametrize("number, example", [
    ("+52 963 000 0000", True), ("+529630000001", True), ("800 911 2000", False),
    ("911", False), ("+52 963 632 1100", False), ("", False)])
def test_an_example_number_is_one_with_six_zeros_in_a_row(number, example):
    assert is_example_number(number) is example


def test_the_coordinator_is_told_of_each_example_number_until_it_is_replaced(
        ces, login_as, client):
    login_as("coord-01")
    card = client.get(reverse("home")).content.decode()
    assert 'id="example-numbers"' in card
    assert "Clínica de Salud Mental CES: +52 963 000 0000" in card
    assert "Dolores Cruz Coutiño: +52 963 000 0001" in card
    assert "Línea de la Vida" not in card.split('id="example-numbers"')[1].split("</section>")[0]

    ces.care = {**ces.care, "clinic": {**ces.care["clinic"], "phone": "+52 963 632 1100",
                                       "whatsapp": "+52 963 632 1100"}}
    ces.save()
    Person.objects.filter(role__in=["clinician", "coordinator"]).update(
        phone="+52 963 632 1101", whatsapp="")
    assert example_numbers(ces) == []
    assert 'id="example-numbers"' not in client.get(reverse("home")).content.decode()
