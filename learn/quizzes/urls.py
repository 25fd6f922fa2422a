from django.urls import path

from learn.quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("lessons/<slug:module_slug>/<slug:lesson_slug>/quiz/", views.quiz_page, name="quiz"),
]
