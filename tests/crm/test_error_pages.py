import pytest
from django.test import RequestFactory

from crm.views import server_error

pytestmark = pytest.mark.django_db


def test_404_in_the_app_look_and_language(rep_client):
    response = rep_client.get("/nowhere/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page and "Retour à ma journée" in page


def test_403_in_the_app_look(outsider_client):
    response = outsider_client.get("/contacts/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_500_reveals_nothing_and_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in page
    assert "Traceback" not in page and "settings" not in page


def test_bad_host_header_gets_400():
    from django.test import Client

    assert Client(HTTP_HOST="evil.example").get("/login/").status_code == 400
