from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    """The installable app: service worker, per-device keys and the sync of what waited offline."""

    name = "acompana.offline"
    verbose_name = _("Offline app")
