"""Issue 17: an opportunity's % follows its stage unless set by hand; won is 100 %, lost 0 %; closing
records the date (closed_on) and, when lost, needs a reason; reopening clears them."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.core.exceptions import ValidationError  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from prospection.models import LostReason, Opportunity, Stage  # noqa: E402
from tests.prospection.factories import OpportunityFactory  # noqa: E402
from tests.prospection.test_opportunity_views import form_data  # noqa: E402

pytestmark = [pytestmark, pytest.mark.django_db]


def stage(label_en) -> Stage:
    return Stage.objects.get(label_en=label_en)


def move(opportunity, label_en, **changes):
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    opportunity.stage = stage(label_en)
    for name, value in changes.items():
        setattr(opportunity, name, value)
    opportunity.save()
    return Opportunity.objects.get(pk=opportunity.pk)


def test_shipped_stages_have_sensible_percentages_and_reasons_exist():
    assert dict(Stage.objects.values_list("label_en", "probability")) == {
        "First contact": 10, "Needs analysis": 25, "Quote sent": 50, "Negotiation": 75, "Won": 100, "Lost": 0,
    }
    assert list(LostReason.objects.values_list("label_fr", flat=True)) == [
        "Prix", "Concurrent", "Pas de budget", "Pas de réponse", "Autre",
    ]


def test_a_new_opportunity_without_a_percentage_starts_at_its_stages(rep, contact):
    opportunity = Opportunity.objects.create(contact=contact, subject="Site", stage=stage("Quote sent"),
                                             representative=rep)
    assert (opportunity.success_percent, opportunity.probability_set_by_hand) == (50, False)


def test_moving_takes_the_new_stages_percentage_when_it_was_not_set_by_hand(rep):
    opportunity = OpportunityFactory(stage=stage("First contact"), success_percent=10)
    assert opportunity.probability_set_by_hand is False
    assert move(opportunity, "Negotiation").success_percent == 75


def test_a_percentage_set_by_hand_is_kept_when_moving(rep):
    opportunity = OpportunityFactory(stage=stage("First contact"), success_percent=10)
    opportunity = move(opportunity, "First contact", success_percent=40)
    assert opportunity.probability_set_by_hand is True
    assert move(opportunity, "Negotiation").success_percent == 40


def test_typing_the_stages_own_percentage_lets_it_follow_again():
    opportunity = OpportunityFactory(stage=stage("First contact"), success_percent=40)
    opportunity = move(opportunity, "First contact", success_percent=10)
    assert move(opportunity, "Quote sent").success_percent == 50


def test_won_is_100_and_lost_is_0_whatever_was_set():
    won = move(OpportunityFactory(success_percent=40), "Won")
    lost = move(OpportunityFactory(success_percent=40), "Lost", lost_reason=LostReason.objects.first())
    assert (won.success_percent, lost.success_percent) == (100, 0)
    assert won.total == won.value - won.purchase_costs
    assert lost.total == Decimal("0.00")


def test_closing_records_todays_date_in_toronto_and_reopening_clears_it():
    opportunity = OpportunityFactory(stage=stage("Quote sent"))
    # 23:30 in Toronto is already the next day in UTC: the close date is Toronto's day.
    late_evening = datetime.datetime(2026, 12, 1, 4, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening):
        won = move(opportunity, "Won")
    assert won.closed_on == datetime.date(2026, 11, 30)
    reopened = move(won, "Negotiation")
    assert (reopened.closed_on, reopened.success_percent) == (None, 75)


def test_lost_needs_a_reason_and_keeps_it_with_the_comment_until_reopened():
    opportunity = OpportunityFactory(stage=stage("Quote sent"))
    with pytest.raises(ValidationError) as error:
        move(opportunity, "Lost")
    assert "lost_reason" in error.value.message_dict
    assert Opportunity.objects.get(pk=opportunity.pk).stage == stage("Quote sent")
    price = LostReason.objects.get(label_en="Price")
    lost = move(opportunity, "Lost", lost_reason=price, lost_comment="Trop cher de 20 %")
    assert (lost.lost_reason, lost.lost_comment, lost.closed_on) == (price, "Trop cher de 20 %", timezone.localdate())
    reopened = move(lost, "First contact")
    assert (reopened.lost_reason, reopened.lost_comment, reopened.closed_on) == (None, "", None)


def test_history_rows_hold_the_new_fields():
    opportunity = OpportunityFactory(stage=stage("Quote sent"))
    move(opportunity, "Lost", lost_reason=LostReason.objects.get(label_en="Competitor"))
    latest = opportunity.history.first()
    assert latest.lost_reason.label_en == "Competitor" and latest.closed_on == timezone.localdate()


def test_the_form_says_the_rule_and_starts_at_the_default_stages_percentage(rep_client, contact):
    response = rep_client.get(reverse("prospection:create", args=[contact.pk]))
    page = response.content.decode()
    assert "Le pourcentage suit l’étape tant que vous ne le modifiez pas" in page
    assert response.context["form"]["success_percent"].value() == 10
    assert "Raison de la perte" in page and 'src="/static/js/lost_reason.js"' in page
    assert f'data-lost-stages="{stage("Lost").pk}"' in page


def test_the_form_left_at_the_shown_percentage_follows_the_stage_chosen(rep_client, contact):
    response = rep_client.post(reverse("prospection:create", args=[contact.pk]),
                               form_data(stage=stage("Negotiation").pk, success_percent="10"))
    assert response.status_code == 302
    assert Opportunity.objects.get().success_percent == 75


def test_the_form_refuses_lost_without_a_reason_and_saves_nothing(rep_client, contact):
    response = rep_client.post(reverse("prospection:create", args=[contact.pk]),
                               form_data(stage=stage("Lost").pk))
    assert response.status_code == 400
    assert "Indiquez pourquoi l’opportunité a été perdue" in response.content.decode()
    assert not Opportunity.objects.exists()
    response = rep_client.post(reverse("prospection:create", args=[contact.pk]), form_data(
        stage=stage("Lost").pk, lost_reason=LostReason.objects.get(label_en="No budget").pk, lost_comment="Gel"))
    assert response.status_code == 302
    assert Opportunity.objects.get().lost_reason.label_fr == "Pas de budget"


def test_a_deactivated_reason_is_not_offered_but_kept_where_used(rep_client):
    price = LostReason.objects.get(label_en="Price")
    opportunity = OpportunityFactory(stage=stage("Lost"), lost_reason=price)
    price.is_active = False
    price.save()
    new_form = rep_client.get(reverse("prospection:create", args=[opportunity.contact.pk])).context["form"]
    assert price not in new_form.fields["lost_reason"].queryset
    edit_form = rep_client.get(reverse("prospection:update", args=[opportunity.pk])).context["form"]
    assert price in edit_form.fields["lost_reason"].queryset


def test_the_export_carries_the_stage_percentage_and_how_it_closed(rep_client, rep):
    import csv
    import io

    OpportunityFactory(subject="Perdue", representative=rep, stage=stage("Lost"),
                       lost_reason=LostReason.objects.get(label_en="Competitor"), lost_comment="Moins cher ailleurs")
    OpportunityFactory(subject="Ouverte", representative=rep, stage=stage("Quote sent"), success_percent=40)
    response = rep_client.get(reverse("prospection:export") + "?outcome=all&ordering=subject")
    rows = {row["subject"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content)
                                                                         .decode("utf-8-sig")))}
    lost, open_one = rows["Perdue"], rows["Ouverte"]
    assert (lost["success_percent"], lost["stage_probability"], lost["closed_on"], lost["lost_reason"],
            lost["lost_comment"]) == ("0", "0", timezone.localdate().isoformat(), "Concurrent", "Moins cher ailleurs")
    assert (open_one["stage_probability"], open_one["percent_set_by_hand"], open_one["closed_on"],
            open_one["lost_reason"]) == ("50", "yes", "", "")



def test_admin_edits_the_stages_percentage_and_the_lost_reasons_in_both_languages():
    from tests.conftest import client_for
    from tests.factories import UserFactory

    boss = client_for(UserFactory(username="boss", is_staff=True, is_superuser=True))
    page = boss.get("/admin/prospection/stage/").content.decode()
    assert "% de réussite par défaut" in page and 'name="form-0-probability"' in page
    page = boss.get("/admin/prospection/lostreason/").content.decode()
    assert "Raisons de perte" in page and "Pas de budget" in page and "No budget" in page
    response = boss.post("/admin/prospection/lostreason/add/", {
        "label_fr": "Projet annulé", "label_en": "Project cancelled", "order": "60", "is_active": "on",
    })
    assert response.status_code == 302
    assert LostReason.objects.get(label_en="Project cancelled").label == "Projet annulé"
    # A won stage is always at 100 %, whatever is typed.
    won = stage("Won")
    response = boss.post(f"/admin/prospection/stage/{won.pk}/change/", {
        "label_fr": won.label_fr, "label_en": won.label_en, "outcome": "won", "probability": "60",
        "order": won.order, "is_active": "on",
    })
    assert response.status_code == 302
    assert Stage.objects.get(pk=won.pk).probability == 100


def test_a_lost_opportunitys_page_shows_its_reason_and_history(rep_client):
    opportunity = OpportunityFactory(stage=stage("Quote sent"))
    move(opportunity, "Lost", lost_reason=LostReason.objects.get(label_en="No answer"), lost_comment="Silence")
    response = rep_client.get(reverse("prospection:update", args=[opportunity.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pas de réponse" in page and "Silence" in page and "Raison de la perte" in page
