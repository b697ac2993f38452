from django.urls import path

from acompana.forms import views

app_name = "forms"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("subir/", views.upload_view, name="upload"),
    path("revisar/<int:pk>/", views.review_view, name="review"),
    path("revisar/<int:pk>/descartar/", views.discard_view, name="discard"),
    path("imprimir/hoja/<str:key>/", views.print_sheet_view, name="print_sheet"),
    path("imprimir/buzon/", views.print_slips_view, name="print_slips"),
    path("imprimir/cuestionarios/", views.print_questionnaires_view,
         name="print_questionnaires"),
]
