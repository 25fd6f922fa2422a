"""The admin for site staff: accounts, classes, shared snapshots and learners.

Only active staff users (is_staff) may sign in, at settings.ADMIN_PATH, which nothing on the
site links to. Its sign-in is limited as the site's is: failed attempts per name and per address
(ThrottledAuthenticationForm) and password hashes per address (hashes_passwords). CSRF,
clickjacking and CSP protection come from the same middleware as every other page.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from learn.accounts.forms import ThrottledAuthenticationForm
from learn.accounts.views import hashes_passwords, throttled_is_429
from learn.classroom.models import Assignment, Classroom, Membership
from learn.playground.models import Snapshot
from learn.progress.models import Learner


class StaffAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The site's throttled sign-in, letting in active staff only (the admin's own rule).

    The username is found in any case, as on the site (ThrottledAuthenticationForm.clean), so the
    admin's message does not say that both fields may be case-sensitive.
    """

    error_messages = {
        **ThrottledAuthenticationForm.error_messages,
        "invalid_login": "Please enter the correct username and password for a staff account. "
        "Only the password is case-sensitive.",
    }


class StaffSite(admin.AdminSite):
    site_header = "Learn containers: staff"
    site_title = "Staff"
    index_title = "Site data"
    site_url = None  # the admin links nowhere on the public site, and the site not to it
    login_form = StaffAuthenticationForm

    def get_urls(self):
        """The admin's URLs, its sign-in limited like the site's."""
        urls = super().get_urls()
        for pattern in urls:
            if getattr(pattern, "name", None) == "login":
                pattern.callback = hashes_passwords(throttled_is_429(pattern.callback))
        return urls


site = StaffSite(name="staff")


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("user",)
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


@admin.register(Classroom, site=site)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "instructor", "join_code", "joining_open", "created_at")
    list_filter = ("joining_open",)
    search_fields = ("name", "instructor__username", "join_code")
    raw_id_fields = ("instructor",)
    inlines = (AssignmentInline, MembershipInline)


@admin.register(Snapshot, site=site)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("id", "kubernetes_version", "profile", "size", "created_at", "last_used")
    search_fields = ("id",)
    readonly_fields = ("id", "size", "client", "created_at", "last_used")


@admin.register(Learner, site=site)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "last_seen", "last_lesson")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    readonly_fields = ("id", "created_at")


site.register(User, UserAdmin)
site.register(Group, GroupAdmin)
