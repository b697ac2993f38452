from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from acompana.programs.views import home

urlpatterns = [
    path("", home, name="home"),
    path("cuenta/", include("acompana.accounts.urls")),
    path("programa/", include("acompana.programs.urls")),
    path("plan/", include("acompana.planning.urls")),
    path("curriculo/", include("acompana.curriculum.urls")),
    path("registro/", include("acompana.delivery.urls")),
    path("informes/", include("acompana.reports.urls")),
    path("bienestar/", include("acompana.wellbeing.urls")),
    path("formularios/", include("acompana.forms.urls")),
    path("auditoria/", include("acompana.audit.urls")),
    path("trabajos/", include("acompana.jobs.urls")),
    path("recordatorios/", include("acompana.reminders.urls")),
    path("idioma/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("acompana.offline.urls")),
]
