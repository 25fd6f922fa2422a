from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "learn.core.limits"
    # The label the app had at learn.core.limits: its migrations and its table keep their names.
    label = "limits"
