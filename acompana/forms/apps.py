from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "acompana.forms"
    verbose_name = _("Paper forms")
