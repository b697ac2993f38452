"""What reaches people about their sessions outside the app: their calendar feed's secret."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from acompana.programs.models import Person


class CalendarFeed(models.Model):
    """A person's subscribable calendar. The secret in its address lets a calendar app fetch it
    without a login, so it can be renewed: the old address then answers nothing."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(_("secret"), max_length=64, unique=True)
    renewed_at = models.DateTimeField(_("renewed at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.person)
