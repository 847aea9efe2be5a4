"""What the header search finds among opportunities: their subject (see search/registry.py).

Only found when the module is installed (CRM_PROSPECTION=on): off, this file is never read.
"""

from django.utils.translation import gettext_lazy as _

from prospection.models import Opportunity
from search.matching import Searchable, matching
from search.registry import Source, register

# Indexed in prospection/migrations/0009_search_subject_index.py on exactly this column.
OPPORTUNITIES = Searchable(fields=("subject",), config="french")


def opportunities(user):
    """Whoever may view opportunities sees them all (prospection.views.get_opportunity_for_user)."""
    return (Opportunity.objects.select_related("contact", "stage")
            .only("subject", "total", "contact", "contact__name", "stage", "stage__label_fr", "stage__label_en")
            .order_by("-updated_at", "-pk"))


register(Source(key="opportunities", label=_("Opportunities"), rows=opportunities,
                match=lambda rows, query: matching(rows, OPPORTUNITIES, query.words),
                template="search/hits/opportunity.html",
                allowed=lambda user: user.has_perm("prospection.view_opportunity"), order=40))
