from django.urls import path

from learn.classroom import views

app_name = "classroom"
urlpatterns = [
    path("classes/", views.classes, name="classes"),
    path("classes/new/", views.create_class, name="create"),
    path("classes/join/", views.join, name="join"),
    path("classes/join/<str:code>/", views.join, name="join_code"),
    path("classes/<id:class_id>/", views.dashboard, name="dashboard"),
    path("classes/<id:class_id>/leave/", views.leave, name="leave"),
    path("classes/<id:class_id>/learners/<id:user_id>/", views.learner_detail, name="learner"),
    path("classes/<id:class_id>/export.csv", views.export_csv, name="export"),
    path("classes/<id:class_id>/manage/", views.manage, name="manage"),
    path("classes/<id:class_id>/assign/", views.assign, name="assign"),
    path(
        "classes/<id:class_id>/assignments/<id:assignment_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
]
