from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("<slug:kind>/", views.kind_list, name="kind"),
]
