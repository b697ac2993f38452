"""Writes ask the policy: an action without a rule, or outside the actor's rule, is refused."""

import pytest

from acompana import policy
from acompana.audit.models import AuditEntry
from acompana.programs.models import Person

pytestmark = pytest.mark.django_db


def test_an_action_without_a_rule_is_refused_and_audited(ces):
    coordinator = Person.objects.get(code="coord-01")
    with pytest.raises(policy.Refused):
        policy.authorize(coordinator, "nowhere.do_anything")
    entry = AuditEntry.objects.filter(action="write.refused").latest("id")
    assert entry.subject == "nowhere.do_anything"
    assert entry.outcome == AuditEntry.Outcome.REFUSED


def test_nobody_is_refused_even_where_every_role_may(ces, monkeypatch):
    monkeypatch.setitem(policy.ACTION_RULES, "test.do_thing",
                        policy.ActionRule(roles=policy.ALL_ROLES))
    assert policy.authorize(Person.objects.get(code="sup-01"), "test.do_thing").role
    with pytest.raises(policy.Refused):
        policy.authorize(None, "test.do_thing")
    with pytest.raises(policy.Refused):
        policy.authorize(policy.OPERATOR, "test.do_thing")
