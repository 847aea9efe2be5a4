from django.urls import path, re_path

from notes import calendar_views, feed

app_name = "calendar"
urlpatterns = [
    path("", calendar_views.month, name="month"),
    path("week/", calendar_views.week, name="week"),
    path("list/", calendar_views.agenda, name="agenda"),
    path("day/", calendar_views.day, name="day"),
    path("feed/", feed.feed_settings, name="feed_settings"),
    path("feed/new/", feed.feed_create, name="feed_create"),
    path("feed/revoke/", feed.feed_revoke, name="feed_revoke"),
    re_path(r"^feed/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$", feed.feed, name="feed"),
]
