"""A coordinator cannot game small-cell suppression with made-up people, groups or moves.

The attack of issue 15: with nothing but her own login (the admin's add forms, which save a
person with the default provenance), a coordinator makes up Acompañantes, puts them in a new
group with the worker she targets, and has them answer at the extremes, so that a group of five
shows her target's exact score. These tests play it against what a coordinator or supervisor can
read (the group results page and the evaluation report are both built from `aggregate_results`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.forms import modelform_factory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from acompana import policy
from acompana.policy import as_actor
from acompana.programs.models import Community, Group, Membership, Person, Provenance, Role
from acompana.programs.services import do_load_program
from acompana.wellbeing.selectors import aggregate_results
from acompana.wellbeing.services import do_give_consent, do_record_assessment

CES = Path(__file__).resolve().parents[3] / "programs" / "ces"
TARGET = "ac-g02-01"
PHQ9_ITEMS = 9  # PHQ-9: asked in every wave of CES (its item 9 stays 0 below 25)


class _Rollback(Exception):
    """Raised to undo one world of a two-world comparison."""


def _answer(person: Person, wave: str, total_hint: int) -> None:
    """PHQ-9 answers adding up to `total_hint` (0..21), as a worker would tick them."""
    do_give_consent(person=person, method="in-app", recorded_by=person)
    values = [min(3, max(0, total_hint - 3 * i)) for i in range(PHQ9_ITEMS)]
    do_record_assessment(person=person, instrument="phq9", wave=wave, responses=values,
                         mode="self", entered_by=person)


def _make_up_acompanante(number: int) -> Person:
    """What the admin's add form stores: a person with no provenance of her own."""
    return Person.objects.create(program=Person.objects.get(code=TARGET).program,
                                 code=f"fake-{number}", name=f"Fake {number}",
                                 role=Role.ACOMPANANTE,
                                 community=Community.objects.order_by("pk").first())


def _make_up_group(members: list[Person]) -> Group:
    target_group = Group.objects.get(code="g02")
    group = Group.objects.create(
        program=target_group.program, code="g-attack", name="Grupo Nuevo",
        community=target_group.community, meeting_weekday=0, meeting_week_of_month=1,
        meeting_start=dt.time(10))
    for person in members:
        Membership.objects.create(person=person, group=group, joined=dt.date(2023, 1, 1))
    return group


def _visible(codes: tuple[str, ...]) -> dict[str, list]:
    """Everything the coordinator and the target's supervisor can read of group results."""
    return {code: aggregate_results(actor=as_actor(Person.objects.get(code=code)),
                                    lang="es")
            for code in codes}


class SuppressionAttackTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        do_load_program(location=CES, by=policy.OPERATOR)

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(
        real_others=st.integers(min_value=0, max_value=3),
        fakes=st.integers(min_value=4, max_value=6),
        fake_scores=st.lists(st.sampled_from([0, 21]), min_size=6, max_size=6),
        target_scores=st.tuples(st.integers(0, 21), st.integers(0, 21)).filter(
            lambda pair: pair[0] != pair[1]),
        group_made_before_midline=st.booleans(),
        target_moved_out=st.booleans(),
    )
    def test_made_up_people_and_groups_never_reveal_a_score(
            self, real_others, fakes, fake_scores, target_scores, group_made_before_midline,
            target_moved_out):
        """Two worlds differing only in the target's answers look the same to her managers.

        Only the target and fewer than k-1 real colleagues answer, so no real cell may show;
        whatever the coordinator makes up (people, a group, moves, before or between waves),
        the coordinator's and supervisor's pages must not depend on the target's score.
        """
        seen = []
        for target_score in target_scores:
            try:
                with transaction.atomic():
                    self._play(target_score, real_others, fakes, fake_scores,
                               group_made_before_midline, target_moved_out)
                    seen.append(_visible(("coord-01", "sup-01")))
                    raise _Rollback
            except _Rollback:
                pass
        assert seen[0] == seen[1]

    @staticmethod
    def _play(target_score, real_others, fakes, fake_scores, group_made_before_midline,
              target_moved_out):
        target = Person.objects.get(code=TARGET)
        colleagues = [Person.objects.get(code=f"ac-g02-{n:02d}") for n in range(2, 2 + real_others)]
        made_up = [_make_up_acompanante(n) for n in range(fakes)]

        def regroup() -> None:
            group = _make_up_group([target, *made_up])
            if target_moved_out:  # so that only the new group holds her
                for membership in Membership.objects.filter(person=target).exclude(group=group):
                    membership.left = dt.date(2023, 1, 2)
                    membership.save()

        for wave in ("baseline", "midline"):
            if wave == "midline" and group_made_before_midline:
                regroup()
            _answer(target, wave, target_score)
            for colleague in colleagues:
                _answer(colleague, wave, 10)
            for person, score in zip(made_up, fake_scores, strict=False):
                _answer(person, wave, score)
        if not group_made_before_midline:
            regroup()

    def test_made_up_people_do_not_count_but_real_ones_do(self):
        """The same group of five counts when its people come from the program file."""
        real = [Person.objects.get(code=f"ac-g01-{n:02d}") for n in range(1, 6)]
        for person in real:
            _answer(person, "baseline", 7)
        made_up = [_make_up_acompanante(n) for n in range(5)]
        for person in made_up:
            Membership.objects.create(person=person, group=Group.objects.get(code="g03"),
                                      joined=dt.date(2023, 1, 1))
            _answer(person, "baseline", 0)
        table = _visible(("coord-01",))["coord-01"][0]
        cells = dict(table.rows)
        assert cells["Grupo Reforma"][0] == (5, 7.0)
        assert all(cell == (None, None) or cell[0] == 0 for cell in cells[
            Group.objects.get(code="g03").name])

    def test_membership_written_after_a_wave_opened_does_not_change_that_wave(self):
        """Moving five real people into a new group once baseline is open leaves it as it was."""
        real = [Person.objects.get(code=f"ac-g01-{n:02d}") for n in range(1, 7)]
        for person in real:
            _answer(person, "baseline", 7)
        before = _visible(("coord-01",))["coord-01"]
        _make_up_group(real[:5])
        after = _visible(("coord-01",))["coord-01"]
        assert [row for row in after[0].rows if row[0] != "Grupo Nuevo"] == before[0].rows
        assert dict(after[0].rows)["Grupo Nuevo"] == [(0, None)]

    def test_back_dated_leaving_does_not_change_an_opened_wave(self):
        real = [Person.objects.get(code=f"ac-g01-{n:02d}") for n in range(1, 7)]
        for person in real:
            _answer(person, "baseline", 7)
        before = _visible(("coord-01",))["coord-01"]
        membership = Membership.objects.get(person=real[0], group__code="g01")
        membership.left = dt.date(2023, 1, 2)
        membership.save()
        assert _visible(("coord-01",))["coord-01"] == before

    def test_provenance_is_set_by_the_program_file_and_not_editable_in_forms(self):
        assert Person.objects.get(code=TARGET).provenance == Provenance.PROGRAM_FILE
        assert "provenance" not in modelform_factory(Person, fields="__all__").base_fields

    def test_a_membership_cannot_be_moved_to_another_group(self):
        membership = Membership.objects.filter(person__code=TARGET).first()
        membership.group = Group.objects.get(code="g01")
        with self.assertRaisesMessage(ValueError, "cannot change person or group"):
            membership.save()
