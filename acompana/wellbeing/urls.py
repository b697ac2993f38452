from django.urls import path

from acompana.wellbeing import views

app_name = "wellbeing"
urlpatterns = [
    path("consentimiento/", views.consent_view, name="consent"),
    path("consentimiento/imprimir.pdf", views.consent_document_view, name="consent_document"),
    path("cuestionarios/", views.start_view, name="start"),
    path("cuestionarios/<slug:instrument>/<int:number>/", views.question_view, name="question"),
    path("gracias/", views.done_view, name="done"),
    path("responder/", views.answer_view, name="answer"),
    path("mis-resultados/", views.my_results_view, name="my_results"),
    path("resultados/persona/<slug:code>/", views.person_results_view, name="person_results"),
    path("resultados/persona/<slug:code>/fhir.json", views.person_fhir_view,
         name="person_fhir"),
    path("resultados/persona/<slug:code>/papel/", views.paper_entry_view, name="paper_entry"),
    path("resultados/persona/<slug:code>/consentimiento/", views.record_consent_view,
         name="record_consent"),
    path("resultados/", views.results_view, name="results"),
    path("resultados/informe.pdf", views.evaluation_report_view, name="evaluation_report"),
    path("canalizaciones/", views.referrals_view, name="referrals"),
    path("canalizaciones/<int:pk>/", views.referral_view, name="referral"),
    path("canalizaciones/<int:pk>/contactada/", views.acknowledge_view, name="acknowledge"),
    path("auditoria/", views.audit_view, name="audit"),
]
