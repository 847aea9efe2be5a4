"""The dashboard's list of opportunities as an XLSX workbook, with the same filters (all pages)."""

from django.contrib.auth.decorators import permission_required

from contacts.export_views import export_language
from crm.exporting.http import download
from prospection.exports import write_opportunities_xlsx
from prospection.views import filtered_opportunities


@permission_required("prospection.view_opportunity", raise_exception=True)
def export_xlsx(request):
    opportunities, language = filtered_opportunities(request).qs, export_language()
    return download(request, "opportunity", "opportunities", "xlsx",
                    lambda stream: write_opportunities_xlsx(opportunities, language, stream))
