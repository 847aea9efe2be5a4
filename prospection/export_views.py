"""The dashboard's list of opportunities as an XLSX workbook, with the same filters (all pages); above
settings.EXPORT_BACKGROUND_ROWS rows a background job writes it (crm.exporting.http.send)."""

from django.contrib.auth.decorators import permission_required

from crm.exporting.http import send
from prospection.exports import OPPORTUNITIES_XLSX


@permission_required("prospection.view_opportunity", raise_exception=True)
def export_xlsx(request):
    return send(request, OPPORTUNITIES_XLSX)
