from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    """Measuring the Acompañantes' wellbeing confidentially (instruments, scores, releases)."""

    name = "acompana.wellbeing"
    verbose_name = "Bienestar"
