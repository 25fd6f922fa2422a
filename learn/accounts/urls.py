from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from learn.accounts import views
from learn.accounts.forms import ThrottledAuthenticationForm

app_name = "accounts"
urlpatterns = [
    path("accounts/signup/", views.hashes_passwords(views.signup), name="signup"),
    path(
        "accounts/login/",
        views.hashes_passwords(
            views.throttled_is_429(
                views.LoginView.as_view(
                    authentication_form=ThrottledAuthenticationForm,
                    redirect_authenticated_user=True,
                )
            )
        ),
        name="login",
    ),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        views.hashes_passwords(
            views.PasswordChangeView.as_view(
                success_url=reverse_lazy("accounts:password_change_done")
            )
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", views.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.hashes_passwords(
            auth.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("accounts:password_reset_complete")
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("progress/", views.my_progress, name="progress"),
]
