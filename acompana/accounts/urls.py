from django.contrib.auth import views as auth_views
from django.urls import path

from acompana.accounts import views

app_name = "accounts"
urlpatterns = [
    path("entrar/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                 redirect_authenticated_user=True), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("cuentas/", views.accounts_view, name="accounts"),
    path("cuentas/<slug:code>/", views.account_view, name="account"),
    path("clave/", views.password_view, name="password"),
    path("nueva-clave/<str:uid>/<str:token>/", views.reset_view, name="reset"),
]
