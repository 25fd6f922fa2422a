from django.urls import path

from learn.playground import assist, views

app_name = "playground"
urlpatterns = [
    path("playground/", views.playground, name="playground"),
    path("playground/assist/", assist.assist, name="assist"),
    path("playground/share/", views.share, name="share"),
    path("p/<slug:snapshot_id>/", views.snapshot_page, name="snapshot"),
    path("p/<slug:snapshot_id>/embed", views.snapshot_embed, name="embed"),
    path("p/<slug:snapshot_id>/diagram.<str:fmt>", views.snapshot_image, name="image"),
    path("oembed", views.oembed, name="oembed"),
    path("exercises/", views.exercise_list, name="exercises"),
    path("exercises/<slug:slug>/", views.exercise_page, name="exercise"),
]
