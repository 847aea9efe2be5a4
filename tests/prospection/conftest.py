import pytest
from django.conf import settings

if settings.PROSPECTION_ENABLED:
    from tests.prospection.factories import OpportunityFactory
else:  # the module is off: only test_module_off.py runs, it needs no factory
    OpportunityFactory = None


@pytest.fixture
def person(contact):
    from tests.factories import ContactPersonFactory

    return ContactPersonFactory(contact=contact, first_name="Émilie", last_name="Bouchard")


@pytest.fixture
def opportunity(contact, rep):
    return OpportunityFactory(contact=contact, representative=rep, subject="Site web",
                              value="10000.00", purchase_costs="2000.00", success_percent=35)
