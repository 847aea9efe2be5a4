import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_page_titles_name_the_page_then_the_app(client, rep_client, rep_client_en, contact):
    assert title(client.get(reverse("login"))) == "Se connecter · Relance"
    assert title(rep_client.get(reverse("home"))) == "Ma journée · Relance"
    assert title(rep_client_en.get(reverse("home"))) == "My day · Relance"
    assert title(rep_client.get(contact.get_absolute_url())) == f"{contact.name} · Relance"
    assert title(rep_client.get("/nowhere/")) == "Page introuvable · Relance"
