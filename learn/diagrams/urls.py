from django.urls import path

from learn.diagrams import views

app_name = "diagrams"
urlpatterns = [
    path("diagram/<str:fmt>/<str:code>", views.diagram_image, name="image"),
]
