"""Deliveries: created by a worker task after the change commits, sent in order per endpoint, retried with backoff.

Flow: `public_content_changed` (changes/log.py, after commit) -> `queue_events` enqueues `create_deliveries`
with the events' seqs -> that task writes one Delivery per event and subscribed endpoint (payload built then, by
the API's code) and enqueues `send_pending` per endpoint -> `send_pending` locks the endpoint row (one sender per
endpoint at a time) and sends its pending deliveries oldest first. A failed attempt schedules a retry of that
delivery (WEBHOOK_RETRY_SCHEDULE, with jitter; a receiver's Retry-After wins) and the endpoint's later deliveries
wait for it, so a receiver sees each article's events in order (a later `updated` never overtakes `published`);
across endpoints there is no order. Retries keep the `webhook-id`, so a receiver that answered 2xx once can drop a
repeat. 410 Gone disables the endpoint. After the last retry the delivery is given up and the next one is sent.

Nothing is sent in a request: the tasks need a backend with a worker (TASKS_BACKEND =
django_tasks_db.DatabaseBackend, `manage.py worker`). With the immediate backend, webhooks are not sent (logged).
"""

import json
import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from changes.models import ChangeEvent
from webhooks import payloads, sending
from webhooks.models import PING, Attempt, Delivery, Endpoint

logger = logging.getLogger(__name__)
Status = Delivery.Status
RETRY_AFTER_CAP = 24 * 3600  # a receiver asking for a week's pause still hears from us daily


def queue_events(sender, events, **kwargs):
    """public_content_changed receiver: hand the committed events to the worker, if any endpoint listens."""
    if not Endpoint.objects.filter(is_active=True).exists():
        return
    if not create_deliveries.get_backend().supports_defer:
        logger.warning("Webhooks need a task backend with a worker (TASKS_BACKEND=django_tasks_db.DatabaseBackend)")
        return
    create_deliveries.enqueue([seq for seq, _, _ in events])


@task
def create_deliveries(seqs):
    """One delivery per event and subscribed active endpoint, in event order; then wake each endpoint's sender."""
    endpoints = list(Endpoint.objects.filter(is_active=True))
    events = ChangeEvent.objects.filter(seq__in=seqs).order_by("txid", "seq")
    return len(_deliver(events, endpoints))


def _deliver(events, endpoints):
    now = timezone.now()
    deliveries = []
    for event in events:
        payload = payloads.event_payload(event)
        deliveries += [
            Delivery(endpoint=endpoint, msg_id=f"msg_{event.seq}", event_type=event.event, event_seq=event.seq,
                     code=event.code, payload=payload, next_attempt_at=now)
            for endpoint in endpoints if endpoint.wants(event.event)
        ]
    Delivery.objects.bulk_create(deliveries)
    for endpoint_id in {delivery.endpoint_id for delivery in deliveries}:
        send_pending.enqueue(endpoint_id)
    return deliveries


def replay_since(endpoint, since):
    """Deliver again to `endpoint` every event recorded since `since` (kept by the log), with their ids."""
    return len(_deliver(ChangeEvent.objects.filter(recorded_at__gte=since).order_by("txid", "seq"), [endpoint]))


def ping(endpoint):
    """Queue a `webhook.ping` to the endpoint (after its other pending deliveries)."""
    now = timezone.now()
    delivery = Delivery.objects.create(
        endpoint=endpoint, msg_id=f"msg_ping_{int(now.timestamp() * 1000)}_{endpoint.pk}", event_type=PING,
        payload=payloads.ping_payload(endpoint, now), next_attempt_at=now,
    )
    send_pending.enqueue(endpoint.pk)
    return delivery


def send_again(delivery):
    """Put a delivery back in its endpoint's queue, as it was (same id and body)."""
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.PENDING, next_attempt_at=timezone.now())
    send_pending.enqueue(delivery.endpoint_id)


@task
def send_pending(endpoint_id):
    """Send the endpoint's due deliveries oldest first, stopping at the first that fails; returns how many went."""
    sent = 0
    while True:
        with transaction.atomic():
            # One sender per endpoint: another worker holding the lock is already draining it, in order.
            endpoint = Endpoint.objects.select_for_update(skip_locked=True).filter(pk=endpoint_id).first()
            if endpoint is None or not endpoint.is_active:
                return sent
            delivery = endpoint.deliveries.filter(status=Status.PENDING).order_by("id").first()
            if delivery is None or delivery.next_attempt_at > timezone.now():
                return sent  # a failed delivery's retry task is queued for its time
            attempt(endpoint, delivery)
            if delivery.status == Status.PENDING:
                send_pending.using(run_after=delivery.next_attempt_at).enqueue(endpoint_id)
                return sent
            sent += delivery.status == Status.SUCCEEDED


def attempt(endpoint, delivery):
    """One POST of the delivery; record it and move the delivery (and, on 410, the endpoint) on."""
    now = timezone.now()
    body = _body(delivery.payload)
    started = time.monotonic()
    record = Attempt(delivery=delivery, started_at=now)
    retry_after = None
    try:
        answer = sending.post(endpoint.url, body, sending.headers_for(endpoint, delivery.msg_id, body, now))
    except sending.SendError as exc:
        record.error = str(exc)
    else:
        record.status_code, record.response_body, retry_after = answer.status, answer.body, answer.retry_after
        if 300 <= answer.status < 400:
            record.error = "redirects are not followed"
    record.duration_ms = sending.elapsed_ms(started)
    record.save()
    delivery.attempts += 1
    if record.succeeded:
        delivery.status = Status.SUCCEEDED
    elif record.status_code == 410:
        delivery.status = Status.FAILED
        endpoint.is_active = False
        endpoint.disabled_reason = f"Answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC."
        endpoint.save(update_fields=["is_active", "disabled_reason"])
    elif delivery.attempts > len(settings.WEBHOOK_RETRY_SCHEDULE):
        delivery.status = Status.FAILED
    else:
        delivery.next_attempt_at = now + timedelta(seconds=retry_delay(delivery.attempts, retry_after))
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])


def retry_delay(attempts, retry_after=None):
    """Seconds before the next try after `attempts` failures: the schedule's step, +-20% jitter so that retries
    to a recovering receiver spread out; a Retry-After the receiver asked for instead (at most a day)."""
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_CAP)
    return schedule[min(attempts, len(schedule)) - 1] * random.uniform(0.8, 1.2)  # noqa: S311 (jitter)


def _body(payload):
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
