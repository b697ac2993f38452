from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    """Measuring the Acompañantes' wellbeing confidentially (instruments, scores, releases)."""

    name = "acompana.wellbeing"
    verbose_name = _("Wellbeing")
