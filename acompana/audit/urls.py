from django.urls import path

from acompana.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.trail_view, name="trail"),
    path("exportar.<slug:fmt>", views.export_view, name="export"),
]
