from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "learn.accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from learn.accounts.merge import adopt_anonymous_progress

        user_logged_in.connect(adopt_anonymous_progress, dispatch_uid="adopt_anonymous_progress")
