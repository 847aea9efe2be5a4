from django.urls import path

from contacts import bulk, views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("export.csv", views.contact_export, name="export"),
    path("bulk/", bulk.contact_bulk, name="bulk"),
    path("new/", views.contact_create, name="create"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/edit/", views.contact_update, name="update"),
    path("<int:pk>/delete/", views.contact_delete, name="delete"),
    path("<int:pk>/people/add/", views.person_add, name="person_add"),
    path("<int:pk>/people/<int:person_pk>/edit/", views.person_update, name="person_update"),
    path("<int:pk>/people/<int:person_pk>/delete/", views.person_delete, name="person_delete"),
]
