from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Acompaña for real: deployment checks, backups, the whole-database archive."""

    name = "acompana.ops"
    verbose_name = _("Operations")

    def ready(self):
        from acompana.ops import checks  # noqa: F401  registers the deployment checks
