from django.urls import path

from acompana.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:pk>/", views.job_view, name="job"),
    path("<uuid:pk>/archivo/", views.download_view, name="download"),
]
