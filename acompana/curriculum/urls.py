from django.urls import path

from acompana.curriculum import views

app_name = "curriculum"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("sesion/<slug:code>/", views.session_view, name="session"),
    path("sesion/<slug:code>/<slug:kind>/", views.download_view, name="download"),
    path("modulo/<slug:track>.zip", views.track_zip_view, name="track_zip"),
]
