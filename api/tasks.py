"""Webhook deliveries, run by the background worker (`manage.py db_worker`)."""

import hashlib
import hmac
import http.client
import json
import time
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.tasks import task
from django.utils import timezone

from api.webhook_urls import open_connection

TIMEOUT_SECONDS = 10
KEPT_RESPONSE_CHARS = 2000


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`X-Relance-Signature`: HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status, start of the response, error): never raises for a network or HTTP failure.

    Only to allowed addresses (api/webhook_urls.py); a redirect is an answer (3xx), never a second
    request elsewhere (http.client follows none).
    """
    try:
        connection, path = open_connection(url, TIMEOUT_SECONDS)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(KEPT_RESPONSE_CHARS).decode("utf-8", "replace"), ""
        finally:
            connection.close()
    except (OSError, ValueError, http.client.HTTPException) as error:
        return None, "", (str(error) or type(error).__name__)[:300]


def retry_delay(attempts: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min...: the receiver gets time to come back."""
    return timedelta(seconds=settings.WEBHOOK_FIRST_RETRY_SECONDS * 4 ** (attempts - 1))


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt; a failure schedules the next one (back-off) until WEBHOOK_MAX_ATTEMPTS."""
    from api.models import WebhookDelivery

    delivery = WebhookDelivery.objects.select_related("webhook__owner").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "nothing to do"
    return attempt(delivery)


@task()
def deliver_batch(webhook_id: int, event: str, ids: list[int]) -> str:
    """The deliveries of a bulk change or an import (api/bulk_events.py): the records read in one go,
    one delivery each for what the owner may still see, then sent one after the other."""
    from api.events import current_many, may_see
    from api.models import Webhook, WebhookDelivery

    hook = Webhook.objects.select_related("owner").filter(pk=webhook_id, is_active=True).first()
    if hook is None:
        return "nothing to do"
    kind = event.split(".")[0]
    records = current_many(kind, ids)
    deliveries = WebhookDelivery.objects.bulk_create([
        WebhookDelivery(webhook=hook, event=event, payload={"event": event, "data": records[pk]})
        for pk in ids if pk in records and may_see(hook.owner, kind, records[pk])])
    return send_in_turn(hook, deliveries)


@task()
def deliver_rest(delivery_ids: list[int]) -> str:
    """What a batch had left to send when one of its deliveries failed."""
    from api.models import WebhookDelivery

    deliveries = list(WebhookDelivery.objects.select_related("webhook__owner").filter(
        pk__in=delivery_ids, status=WebhookDelivery.Status.PENDING, attempts=0).order_by("pk"))
    return send_in_turn(deliveries[0].webhook, deliveries) if deliveries else "nothing to do"


def send_in_turn(hook, deliveries) -> str:
    """Send each; after a failure the rest waits as long as the failed one (the receiver is likely down)."""
    from api.models import WebhookDelivery

    for index, delivery in enumerate(deliveries):
        delivery.webhook = hook
        if attempt(delivery) == WebhookDelivery.Status.PENDING and index + 1 < len(deliveries):
            deliver_rest.using(run_after=delivery.next_attempt_at).enqueue([rest.pk for rest in deliveries[index + 1:]])
            return f"{index + 1} sent, the rest later"
    return f"{len(deliveries)} sent"


def attempt(delivery) -> str:
    """Send a pending delivery once and record the outcome; its status after it."""
    from api.events import may_see
    from api.models import WebhookDelivery

    Status = WebhookDelivery.Status
    hook = delivery.webhook
    # Checked again at sending time: the owner may have lost a permission since the event.
    if not hook.is_active or not may_see(hook.owner, delivery.event.split(".")[0], delivery.payload["data"]):
        delivery.status = Status.SKIPPED
        delivery.save(update_fields=["status"])
        return delivery.status
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
