app_name = "prospection"
urlpatterns = []
