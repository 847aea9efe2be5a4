"""Issue 17's migration on a database that already holds opportunities: closed ones get a close date
(the Toronto day of their last change), open ones none; the shipped stages get their %."""

import datetime

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE = [("prospection", "0006_list_defaults")]
AFTER = [("prospection", "0007_pipeline_stage_rules")]


@pytest.mark.django_db(transaction=True)
def test_closed_opportunities_are_dated_and_stages_get_their_percentage(migrated_data_restored):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Contact = apps.get_model("contacts", "Contact")
    Stage = apps.get_model("prospection", "Stage")
    Opportunity = apps.get_model("prospection", "Opportunity")
    rep = User.objects.create(username="old-rep")
    contact = Contact.objects.create(name="Ancien client")
    rows = {}
    for label in ["Won", "Lost", "Negotiation"]:
        rows[label] = Opportunity.objects.create(contact=contact, subject=label, stage=Stage.objects.get(label_en=label),
                                                 representative=rep, success_percent=40).pk
    # Last changed at 23:30 in Toronto on 14 March, already the 15th in UTC.
    Opportunity.objects.update(updated_at=datetime.datetime(2026, 3, 15, 3, 30, tzinfo=datetime.UTC))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Opportunity = apps.get_model("prospection", "Opportunity")
    Stage = apps.get_model("prospection", "Stage")
    closed_on = dict(Opportunity.objects.values_list("subject", "closed_on"))
    assert closed_on == {"Won": datetime.date(2026, 3, 14), "Lost": datetime.date(2026, 3, 14), "Negotiation": None}
    assert Stage.objects.get(label_en="Negotiation").probability == 75
    assert apps.get_model("prospection", "LostReason").objects.count() == 5
