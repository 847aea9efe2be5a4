"""Export URLs with query strings that make no sense: a file (the filters not understood are ignored),
never a 500; without the permission, 403."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

BAD = [
    {"ordering": "search_text"}, {"ordering": "-password"}, {"status": "nope"}, {"kind": ["a", "b"]},
    {"account_manager": "x' OR 1=1"}, {"q": "\x00"}, {"q": "%" * 500}, {"page": "-1"}, {"type": "abc"},
    {"state": "everything"}, {"representative": "🙂"}, {"outcome": "all", "stage": "0"}, {"tab": "<script>"},
]


def export_urls(contact) -> list[str]:
    urls = [reverse("contacts:export"), reverse("contacts:export_xlsx"), reverse("contacts:export_vcf"),
            reverse("contacts:people_vcf", args=[contact.pk]), reverse("notes:export_xlsx", args=[contact.pk])]
    if settings.PROSPECTION_ENABLED:
        urls.append(reverse("prospection:export_xlsx"))
    return urls


@pytest.mark.parametrize("query", BAD, ids=lambda query: ",".join(query))
def test_bad_query_strings_never_500(rep_client, query):
    contact = ContactFactory()
    for url in export_urls(contact):
        response = rep_client.get(url, query)
        assert response.status_code == 200, url
        b"".join(response.streaming_content)


def test_an_outsider_gets_403_on_every_export(outsider_client):
    contact = ContactFactory()
    for url in export_urls(contact):
        assert outsider_client.get(url).status_code == 403, url
