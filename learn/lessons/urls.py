from django.urls import path
from django.views.generic import RedirectView

from learn.lessons import views

app_name = "lessons"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("pages/<slug:slug>/", views.page, name="page"),
    # A lesson's address cut back to its folder: the course is the home page.
    path("lessons/", RedirectView.as_view(pattern_name="lessons:home")),
    path("lessons/<slug:module_slug>/", views.module_page, name="module"),
    path("lessons/<slug:module_slug>/<slug:lesson_slug>/", views.lesson_page, name="lesson"),
    path(
        "lessons/<slug:module_slug>/<slug:lesson_slug>/complete/",
        views.complete_lesson,
        name="complete",
    ),
]
