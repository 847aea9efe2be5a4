"""Issue 17: import_opportunities follows the stage rules (stage %, won 100 %, lost 0 %, close date,
lost reason) and carries the close date, the lost reason and its comment."""

import datetime

import pytest
from django.conf import settings
from django.core.management.base import CommandError

pytestmark = [
    pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)"),
    pytest.mark.django_db,
]
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.utils import timezone  # noqa: E402

from prospection.models import Opportunity, Stage  # noqa: E402
from tests.imports.conftest import run_import  # noqa: E402
from tests.prospection.factories import OpportunityFactory  # noqa: E402


def stage(label_en) -> Stage:
    return Stage.objects.get(label_en=label_en)


def test_an_import_follows_the_stage_rules_and_carries_the_close(contact, rep, write_file):
    contact.external_ref = "FR-9"
    contact.save()
    run_import("import_opportunities", write_file("o.csv", (
        "contact;objet;étape;représentant;% de succès;fermée le;raison de la perte;commentaire sur la perte\r\n"
        "FR-9;Sans pourcentage;Négociation;rep;;;;\r\n"
        "FR-9;À la main;Négociation;rep;40;;;\r\n"
        "FR-9;Gagnée;Gagnée;rep;30;2026-10-05;;\r\n"
        "FR-9;Perdue;Perdue;rep;30;;Prix;Trop cher\r\n"
    )))
    found = {o.subject: o for o in Opportunity.objects.all()}
    assert (found["Sans pourcentage"].success_percent, found["Sans pourcentage"].probability_set_by_hand) == (75, False)
    assert (found["À la main"].success_percent, found["À la main"].probability_set_by_hand) == (40, True)
    assert (found["Gagnée"].success_percent, found["Gagnée"].closed_on) == (100, datetime.date(2026, 10, 5))
    lost = found["Perdue"]
    assert (lost.success_percent, lost.closed_on, lost.lost_reason.label_en, lost.lost_comment) == (
        0, timezone.localdate(), "Price", "Trop cher")


def test_an_import_refuses_a_lost_row_without_a_reason_and_writes_nothing(contact, rep, write_file):
    contact.external_ref = "FR-9"
    contact.save()
    with pytest.raises(CommandError) as error:
        run_import("import_opportunities", write_file("o.csv", (
            "contact;objet;étape;représentant\r\nFR-9;Ouverte;Négociation;rep\r\nFR-9;Perdue;Perdue;rep\r\n")))
    assert "Indiquez pourquoi l’opportunité a été perdue" in str(error.value) and "3" in str(error.value)
    assert not Opportunity.objects.exists()


def test_an_import_update_to_lost_needs_a_reason_and_reopening_clears_it(contact, rep, write_file):
    contact.external_ref = "FR-9"
    contact.save()
    opportunity = OpportunityFactory(contact=contact, subject="Site", representative=rep, stage=stage("Quote sent"))
    run_import("import_opportunities", write_file("a.csv", "contact;objet;étape;raison de la perte\r\n"
                                                           "FR-9;Site;Perdue;Pas de budget\r\n"), update=True)
    opportunity.refresh_from_db()
    assert (opportunity.stage, opportunity.lost_reason.label_en, opportunity.closed_on) == (
        stage("Lost"), "No budget", timezone.localdate())
    run_import("import_opportunities", write_file("b.csv", "contact;objet;étape\r\nFR-9;Site;Négociation\r\n"),
               update=True)
    opportunity.refresh_from_db()
    assert (opportunity.lost_reason, opportunity.closed_on, opportunity.success_percent) == (None, None, 75)
