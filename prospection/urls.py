from django.urls import path

from prospection import export_views, views

app_name = "prospection"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("board/", views.board, name="board"),
    path("board/column/<int:stage_pk>/", views.board_column, name="board_column"),
    path("<int:pk>/move/", views.board_move, name="board_move"),
    path("chart.svg", views.band_chart, name="chart"),
    path("forecast/", views.forecast, name="forecast"),
    path("forecast/pipeline.svg", views.forecast_chart, {"kind": "pipeline"}, name="forecast_pipeline_chart"),
    path("forecast/won.svg", views.forecast_chart, {"kind": "won"}, name="forecast_won_chart"),
    path("export.csv", views.export, name="export"),
    path("export.xlsx", export_views.export_xlsx, name="export_xlsx"),
    path("contacts/<int:contact_pk>/info/", views.save_prospect_info, name="prospect_info"),
    path("contacts/<int:contact_pk>/new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_update, name="update"),
    path("<int:pk>/delete/", views.opportunity_delete, name="delete"),
]
