from django.conf import settings
from django.urls import include, path, register_converter

from learn.core import views
from learn.core.inputs import IdConverter

# Every number in a URL is a database id, bounded so that no query can overflow (see inputs.py).
register_converter(IdConverter, "id")

urlpatterns = [
    path("theme/", views.set_theme, name="theme"),
    path("favicon.ico", views.favicon),
    path("", include("learn.diagrams.urls")),
    path("", include("learn.playground.urls")),
    path("", include("learn.quizzes.urls")),
    path("", include("learn.accounts.urls")),
    path("", include("learn.classroom.urls")),
    path("", include("learn.lessons.urls")),
]
if settings.ADMIN_PATH:
    from learn.staff import site

    urlpatterns.insert(0, path(f"{settings.ADMIN_PATH}/", site.urls))

handler400 = "learn.core.views.bad_request"
handler404 = "learn.core.views.not_found"
handler500 = "learn.core.views.server_error"
