"""What the header search finds among opportunities: their subject (see search/registry.py).

Only found when the module is installed (CRM_PROSPECTION=on): off, this file is never read.
"""

from django.utils.translation import gettext_lazy as _

from prospection.models import Opportunity
from search.matching import Searchable, matching
from search.registry import Source, register

# Indexed in prospection/migrations/0009_search_subject_index.py on exactly this column.
OPPORTUNITIES = Searchable(fields=("subject",), config="french")


def find_opportunities(user, query):
    opportunities = Opportunity.objects.select_related("contact", "stage").defer(
        "contact__search_text", "contact__description", "contact__street")
    return matching(opportunities, OPPORTUNITIES, query.words).order_by("-updated_at", "-pk")


register(Source(key="opportunities", label=_("Opportunities"), find=find_opportunities,
                template="search/hits/opportunity.html",
                allowed=lambda user: user.has_perm("prospection.view_opportunity"), order=40))
