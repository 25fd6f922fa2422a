from django.apps import AppConfig


class DiagramsConfig(AppConfig):
    name = "learn.diagrams"
