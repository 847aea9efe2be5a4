"""The product's URLs and the floor page (bench/floor.py), for the bench's settings only."""

from bench import floor
from crm.urls import urlpatterns as product_urlpatterns

urlpatterns = [*floor.urlpatterns, *product_urlpatterns]
