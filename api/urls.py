from django.conf import settings
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from api import pages, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("people", views.PersonViewSet, basename="person")
router.register("notes", views.NoteViewSet, basename="note")
router.register("note-types", views.NoteTypeViewSet, basename="notetype")
if settings.PROSPECTION_ENABLED:
    from api import opportunities

    router.register("opportunities", opportunities.OpportunityViewSet, basename="opportunity")
    router.register("stages", opportunities.StageViewSet, basename="stage")
    router.register("products", opportunities.ProductViewSet, basename="product")
    router.register("categories", opportunities.CategoryViewSet, basename="category")
    router.register("lost-reasons", opportunities.LostReasonViewSet, basename="lostreason")

urlpatterns = [
    path("api/v1/me/", views.CurrentUserView.as_view(), name="me"),
    path("api/v1/schema/", pages.SchemaView.as_view(), name="schema"),
    path("api/v1/docs/", pages.docs, name="docs"),
    path("api/v1/", include(router.urls)),
    path("profile/api-tokens/", pages.tokens, name="tokens"),
    path("profile/api-tokens/<int:pk>/revoke/", pages.revoke, name="revoke"),
]
