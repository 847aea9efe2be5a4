from django.urls import path

from notes import activities, export_views, team, views

app_name = "notes"
urlpatterns = [
    path("contacts/<int:contact_pk>/notes/new/", views.note_create, name="create"),
    path("contacts/<int:contact_pk>/notes/export.xlsx", export_views.contact_notes_xlsx, name="export_xlsx"),
    path("notes/<int:pk>/", views.note_detail, name="detail"),
    path("notes/<int:pk>/edit/", views.note_update, name="update"),
    path("notes/<int:pk>/delete/", views.note_delete, name="delete"),
    path("notes/<int:pk>/done/", views.note_toggle_done, name="toggle_done"),
    path("notes/<int:pk>/mark-done/", views.note_mark_done, name="mark_done"),
    path("notes/<int:pk>/pin/", views.note_toggle_pin, name="toggle_pin"),
    path("notes/<int:pk>/reschedule/", views.note_reschedule, name="reschedule"),
    path("notes/<int:pk>/actions/", views.note_actions, name="actions"),
    path("contacts/<int:contact_pk>/log/", views.contact_log, name="log"),
    path("team/", team.team_day, name="team"),
    # « Activités »: the notes list, its export and its bulk changes (notes/activities.py).
    path("notes/", activities.activity_list, name="activities"),
    path("notes/export.csv", export_views.activities_csv, name="activities_export"),
    path("notes/export.xlsx", export_views.activities_xlsx, name="activities_export_xlsx"),
    path("notes/bulk/", activities.activity_bulk, name="activities_bulk"),
]
