"""Webhook deliveries, run by the background worker (`manage.py db_worker`)."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.tasks import task
from django.utils import timezone

TIMEOUT_SECONDS = 10
KEPT_RESPONSE_CHARS = 2000


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`X-Relance-Signature`: HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer (3xx), never a second request elsewhere


OPENER = urllib.request.build_opener(NoRedirects)


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status, start of the response, error): never raises for a network or HTTP failure."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(KEPT_RESPONSE_CHARS).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read(KEPT_RESPONSE_CHARS).decode("utf-8", "replace"), ""
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, "", str(getattr(error, "reason", error))[:300]


def retry_delay(attempts: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min...: the receiver gets time to come back."""
    return timedelta(seconds=settings.WEBHOOK_FIRST_RETRY_SECONDS * 4 ** (attempts - 1))


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt; a failure schedules the next one (back-off) until WEBHOOK_MAX_ATTEMPTS."""
    from api.events import may_see
    from api.models import WebhookDelivery

    Status = WebhookDelivery.Status
    delivery = WebhookDelivery.objects.select_related("webhook__owner").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Status.PENDING:
        return "nothing to do"
    hook = delivery.webhook
    # Checked again at sending time: the owner may have lost a permission since the event.
    if not hook.is_active or not may_see(hook.owner, delivery.event.split(".")[0], delivery.payload["data"]):
        delivery.status = Status.SKIPPED
        delivery.save(update_fields=["status"])
        return "skipped"
    body = json.dumps({"delivery": delivery.pk, **delivery.payload}, cls=DjangoJSONEncoder).encode()
    timestamp = str(int(time.time()))
    status, response, error = post(hook.url, body, {
        "Content-Type": "application/json",
        "User-Agent": "Relance-Webhooks/1",
        "X-Relance-Event": delivery.event,
        "X-Relance-Delivery": str(delivery.pk),
        "X-Relance-Timestamp": timestamp,
        "X-Relance-Signature": f"sha256={signature(hook.secret, timestamp, body)}",
    })
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status, delivery.response_body, delivery.error = status, response, error
    delivery.next_attempt_at = None
    if status is not None and 200 <= status < 300:
        delivery.status = Status.DELIVERED
    elif delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    else:
        delivery.status = Status.FAILED
    delivery.save()
    return delivery.status
