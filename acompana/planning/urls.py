from django.urls import path

from acompana.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("cuadricula/", views.grid_view, name="grid"),
    path("sesion/<str:key>/", views.session_view, name="session"),
    path("sesion/<str:key>/registrar/", views.mark_view, name="mark"),
    path("descargar/<slug:kind>/", views.download_view, name="download"),
    path("replanear/", views.replan_view, name="replan"),
]
