from django.conf import settings


def site(request):
    return {
        "PROSPECTION_ENABLED": settings.PROSPECTION_ENABLED,
        "CRM_CURRENCY": settings.CRM_CURRENCY,
    }
