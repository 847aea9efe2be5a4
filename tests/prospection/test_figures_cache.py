"""The dashboard's sums and chart are cached, and never shown stale after a write.

The transactional tests commit for real, as requests do: the stamp changes
when the writing transaction commits.
"""

from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402

from crm.formatting import format_money  # noqa: E402
from prospection.figures import current_token  # noqa: E402
from prospection.models import Opportunity, Stage  # noqa: E402
from tests.conftest import client_for  # noqa: E402
from tests.factories import ContactFactory, UserFactory  # noqa: E402
from tests.prospection.factories import OpportunityFactory, first_stage  # noqa: E402
from tests.prospection.test_chart import CHART, bar_labels  # noqa: E402

DASHBOARD = "/prospection/"


def shown_total(client, query="") -> Decimal:
    return client.get(DASHBOARD + query).context["figures"]["total"]


@pytest.fixture
def committed(migrated_data_restored):
    """A rep and a manager whose writes really commit."""
    rep = UserFactory(username="rep", first_name="Luc", last_name="Gagnon", groups=["Sales reps"])
    manager = UserFactory(username="manager", first_name="Marie", last_name="Tremblay", groups=["Managers"])
    return {"rep": rep, "rep_client": client_for(rep), "manager_client": client_for(manager)}


@pytest.mark.django_db(transaction=True)
def test_an_edit_shows_at_once_on_the_dashboard_and_the_chart(committed):
    client = committed["rep_client"]
    opportunity = OpportunityFactory(value=Decimal("1000.00"), success_percent=50,
                                     representative=committed["rep"])
    assert shown_total(client) == Decimal("500.00")
    assert bar_labels(client.get(CHART).content)[2] == (format_money(Decimal("500.00")), "1 opp.")
    form = client.get(opportunity.get_absolute_url()).context["form"]
    data = {field.html_name: field.value() if field.value() is not None else "" for field in form}
    data.update(value="2 000", success_percent="90")
    assert client.post(opportunity.get_absolute_url(), data).status_code == 302
    assert shown_total(client) == Decimal("1800.00")
    labels = bar_labels(client.get(CHART).content)
    assert labels[2] == (format_money(Decimal("0")), "0 opp.")
    assert labels[4] == (format_money(Decimal("1800.00")), "1 opp.")


@pytest.mark.django_db(transaction=True)
def test_deleting_an_opportunity_or_its_contact_empties_the_sums(committed):
    client = committed["rep_client"]
    deleted = OpportunityFactory(value=Decimal("100.00"), success_percent=100)
    contact = ContactFactory()
    OpportunityFactory(contact=contact, value=Decimal("10.00"), success_percent=100)
    assert shown_total(client) == Decimal("110.00")
    assert committed["manager_client"].post(reverse("prospection:delete", args=[deleted.pk])).status_code == 302
    assert shown_total(client) == Decimal("10.00")
    contact.delete()  # the opportunity goes with it (a cascade: no Opportunity.delete() call)
    assert shown_total(client) == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_a_stage_that_becomes_won_leaves_the_open_sums(committed):
    client = committed["rep_client"]
    stage = first_stage()
    OpportunityFactory(stage=stage, value=Decimal("100.00"), success_percent=100)
    assert shown_total(client, "?outcome=open") == Decimal("100.00")
    stage.outcome = Stage.Outcome.WON
    stage.save()
    assert shown_total(client, "?outcome=open") == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_an_import_refreshes_the_sums(committed, tmp_path):
    client = committed["rep_client"]
    ContactFactory(external_ref="FR-1", name="Boulangerie Saint-Roch")
    assert shown_total(client) == Decimal("0.00")
    path = tmp_path / "opportunities.csv"
    path.write_text("Contact;Objet;Étape;Valeur;% de succès;Représentant\n"
                    "FR-1;Refonte du site;Négociation;1 000;50 %;rep\n", encoding="utf-8")
    call_command("import_opportunities", str(path), stdout=None)
    assert Opportunity.objects.count() == 1
    assert shown_total(client) == Decimal("500.00")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_keeps_the_stamp(committed):
    before = current_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        OpportunityFactory()
        assert current_token() == before  # not before the commit: others would cache the old sums under it
        raise RuntimeError
    assert current_token() == before
    OpportunityFactory()
    assert current_token() != before


@pytest.mark.django_db
def test_a_text_search_is_never_served_from_the_cache(rep_client):
    contact = ContactFactory(name="Garage Tremblay")
    OpportunityFactory(contact=contact, value=Decimal("100.00"), success_percent=100)
    assert shown_total(rep_client, "?q=garage") == Decimal("100.00")
    contact.name = "Boulangerie"  # changes what the search finds, and is no write to opportunities
    contact.save()
    assert shown_total(rep_client, "?q=garage") == Decimal("0.00")


@pytest.mark.django_db
def test_filters_and_languages_have_their_own_cached_sums(rep_client, rep, django_capture_on_commit_callbacks):
    OpportunityFactory(representative=rep, value=Decimal("100.00"), success_percent=100)
    OpportunityFactory(value=Decimal("10.00"), success_percent=100)
    assert shown_total(rep_client) == Decimal("110.00")
    assert shown_total(rep_client, f"?representative={rep.pk}") == Decimal("100.00")
    assert shown_total(rep_client, f"?representative={rep.pk}&ordering=-total&page=1") == Decimal("100.00")
    assert shown_total(rep_client, "?product=999999") == Decimal("110.00")  # refused: ignored, as in the list
    english = client_for(rep, "en").get(DASHBOARD).context["figures"]
    assert english["bands"][0]["label"] == "0–20%"
