from django.urls import path

from dataimport import views

app_name = "dataimport"
urlpatterns = [
    path("", views.start, name="start"),
    path("<int:pk>/", views.mapping, name="mapping"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/run/", views.job_run, name="run"),
    path("log/", views.log, name="log"),
    path("log/<int:pk>/undo/", views.undo, name="undo"),
]
