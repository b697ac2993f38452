from django.urls import path

from acompana.reminders import views

app_name = "reminders"
urlpatterns = [
    path("grupos/", views.groups_view, name="groups"),
    path("mi-calendario/", views.my_calendar_view, name="my_calendar"),
    path("mi-calendario/renovar/", views.renew_view, name="renew"),
    path("calendario/<str:token>.ics", views.feed_view, name="feed"),
]
