from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    """The curriculum's commands: check the sources, build the printable materials."""

    name = "acompana.curriculum"
    verbose_name = _("Curriculum")
