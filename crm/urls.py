from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from crm import admin_access, views
from crm.forms import AdminSignInForm
from crm.health import healthz

# The admin's login shows the sign-in guard's lock in its own page (crm/forms.py).
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", login_not_required(views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("profile/", views.profile, name="profile"),
    path("language/", views.set_language, name="set_language"),
    path("healthz/", healthz, name="healthz"),  # for load balancers: no sign-in, no detail
    path("contacts/", include("contacts.urls")),
    path("", include("privacy.urls")),  # /contacts/<pk>/erase/ … and /privacy/
    path("", include("notes.urls")),
    path("calendar/", include("notes.calendar_urls")),
    path("imports/", include("dataimport.urls")),
    path("exports/", include("dataimport.export_urls")),  # big exports written by a background job
    path("search/", include("search.urls")),
    # Before the admin's own "view on site": that one redirects to any object of any model.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(admin_access.view_on_site)),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),  # /api/v1/ and the tokens page (api/urls.py)
]
if settings.PROSPECTION_ENABLED:
    urlpatterns.append(path("prospection/", include("prospection.urls")))

handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
