from django.urls import path

from contacts import bulk, export_views, views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("bulk/", bulk.contact_bulk, name="bulk"),
    path("export.csv", export_views.contact_export, name="export"),
    path("export.xlsx", export_views.contact_export_xlsx, name="export_xlsx"),
    path("export.vcf", export_views.contact_export_vcf, name="export_vcf"),
    path("<int:pk>/people.vcf", export_views.contact_people_vcf, name="people_vcf"),
    path("new/", views.contact_create, name="create"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/edit/", views.contact_update, name="update"),
    path("<int:pk>/delete/", views.contact_delete, name="delete"),
    path("<int:pk>/people/add/", views.person_add, name="person_add"),
    path("<int:pk>/people/<int:person_pk>/edit/", views.person_update, name="person_update"),
    path("<int:pk>/people/<int:person_pk>/delete/", views.person_delete, name="person_delete"),
]
