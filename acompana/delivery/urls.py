from django.urls import path

from acompana.delivery import views

app_name = "delivery"
urlpatterns = [
    path("hoja/<str:key>/", views.entry_view, name="entry"),
    path("hoja/<str:key>/guardada/", views.saved_view, name="saved"),
    path("hoja/<str:key>/kit/", views.kit_view, name="kit"),
    path("folleto/<str:key>/", views.handout_view, name="handout"),
    path("mi-sugerencia/", views.my_suggestion_view, name="my_suggestion"),
    path("hoja/<str:key>/segunda-captura/", views.second_entry_view, name="second_entry"),
    path("hoja/<str:key>/comparar/", views.compare_view, name="compare"),
    path("hoja/<str:key>/resolver/", views.settle_view, name="settle"),
    path("doble-captura/", views.double_entry_view, name="double_entry"),
    path("importar/", views.import_view, name="import"),
    path("sugerencias/", views.suggestions_view, name="suggestions"),
    path("sugerencias/nueva/", views.suggestion_new_view, name="suggestion_new"),
    path("sugerencias/<int:pk>/", views.suggestion_view, name="suggestion"),
]
