from django.urls import path

from acompana.offline import views

app_name = "offline"
urlpatterns = [
    path("sw.js", views.service_worker_view, name="service_worker"),
    path("manifest.webmanifest", views.manifest_view, name="manifest"),
    path("app/sin-senal/", views.offline_page_view, name="offline_page"),
    path("app/clave/", views.key_view, name="key"),
    path("app/enviar/", views.send_view, name="send"),
]
