from django.urls import path

from acompana.programs import views

app_name = "programs"
urlpatterns = [
    path("grupos/", views.group_list, name="group_list"),
    path("grupos/<slug:code>/", views.group_detail, name="group_detail"),
    path("personas/<slug:code>/", views.person_detail, name="person_detail"),
    path("mis-datos-de-contacto/", views.my_contact, name="my_contact"),
]
