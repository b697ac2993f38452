"""The audit trail: who saw or did what to whose record, when, and whether it was allowed.

The trail is read in the app, through the policy (never in the back office). Entries are
written once and never changed, and chained by hash: the model refuses updates and deletes, and the
database refuses them too (see migrations), so not even the app's own database user can edit it.
Entries never hold answers or scores, only which record was touched; changes to program records
keep the fields' values before and after.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntry(models.Model):
    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        REFUSED = "refused", _("refused")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user_id = models.IntegerField(_("user"), null=True)
    actor = models.CharField(_("who"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=60)
    subject = models.CharField(_("whose record"), max_length=60, blank=True, db_index=True)
    target = models.CharField(_("record"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # Nullable so adding them is a plain ALTER TABLE that keeps SQLite's triggers.
    changes = models.JSONField(_("changes"), null=True, blank=True, encoder=DjangoJSONEncoder,
                               help_text=_("field -> [before, after]"))
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # Whose program the entry belongs to (readers see their program's); no constraint, so a
    # program's records can never be held back by, nor take with them, its audit entries.
    program = models.ForeignKey("programs.Program", null=True, blank=True,
                                on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+", verbose_name=_("program"))
    # The hash chain, set by the database itself at insert (migration 0004): each entry's hash
    # covers its fields and the previous entry's hash, so `acompana audit verify` finds a row
    # deleted, changed or slipped in. Never set by the app. NULL (not "") is "not chained yet":
    # SQLite's trigger seals exactly those, and a nullable column keeps its ALTER TABLE plain.
    prev_hash = models.CharField(_("previous hash"), max_length=64, null=True,  # noqa: DJ001
                                 blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, null=True, blank=True,  # noqa: DJ001
                            editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.subject} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditEntryImmutable("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryImmutable("Audit entries cannot be deleted.")
