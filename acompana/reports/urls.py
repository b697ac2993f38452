from django.urls import path

from acompana.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("grupo/<slug:code>/", views.group_view, name="group"),
    path("exportar/<slug:table>.<slug:fmt>", views.export_view, name="export"),
    path("mensual.<slug:fmt>", views.monthly_view, name="monthly"),
]
