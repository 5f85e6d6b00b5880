"""Webhook endpoints, one delivery per event and endpoint (sent in order), and every attempt at it."""

import base64
import secrets

from django.db import models

from changes.models import ChangeEvent

PING = "webhook.ping"
EVENT_TYPES = [*ChangeEvent.Kind.values, PING]
SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)


def generate_secret():
    """A Standard Webhooks secret: `whsec_` and 24 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


class Endpoint(models.Model):
    url = models.URLField(max_length=2000, help_text="Receives a POST per event. Public http(s) addresses only.")
    description = models.CharField(max_length=300, blank=True)
    events = models.JSONField(default=list, blank=True, help_text="Event types sent; none ticked sends every type.")
    secret = models.CharField(max_length=100, default=generate_secret, editable=False)
    # While a rotated secret is in its grace period, deliveries carry a signature by each secret.
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url", "id"]

    def __str__(self):
        return self.description or self.url

    def wants(self, event_type):
        return event_type == PING or not self.events or event_type in self.events

    def secrets_in_force(self, now):
        """The secrets that sign a delivery sent `now`: the current one, and the previous one in its grace period."""
        valid = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            valid.append(self.previous_secret)
        return valid


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Given up"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    msg_id = models.CharField(max_length=64, help_text="The webhook-id header: the same on every retry.")
    event_type = models.CharField(max_length=40)
    event_seq = models.BigIntegerField(null=True, blank=True, help_text="The change log row it announces.")
    code = models.CharField(max_length=19, blank=True)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The sender's question: this endpoint's oldest pending delivery.
            models.Index(fields=["endpoint", "id"], condition=models.Q(status="pending"), name="delivery_pending_idx"),
        ]

    def __str__(self):
        return f"{self.event_type} {self.code or ''} to {self.endpoint_id}".replace("  ", " ")


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    response_body = models.TextField(blank=True, help_text="The start of the receiver's answer.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.delivery_id} at {self.started_at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
