from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("contacts/<int:pk>/erase/", views.contact_erase, name="contact_erase"),
    path("contacts/<int:pk>/export/", views.contact_export, name="contact_export"),
    path("contacts/<int:pk>/merge/", views.contact_merge, name="contact_merge"),
    path("contacts/<int:pk>/people/<int:person_pk>/erase/", views.person_erase, name="person_erase"),
    path("contacts/<int:pk>/people/<int:person_pk>/export/", views.person_export, name="person_export"),
    path("contacts/<int:pk>/people/<int:person_pk>/merge/", views.person_merge, name="person_merge"),
    path("privacy/duplicates/", views.duplicate_list, name="duplicates"),
    path("privacy/audit/", views.audit_list, name="audit"),
]
