from django.urls import path

from dataimport import export_views

app_name = "exports"
urlpatterns = [
    path("", export_views.export_list, name="list"),
    path("<int:pk>/", export_views.export_job, name="job"),
    path("<int:pk>/file/", export_views.export_file, name="file"),
]
