"""Admin for webhook endpoints (secret shown once, rotation, ping, replay) and the delivery log (send again)."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import transaction
from django.utils import timezone

from media.fetch import FetchError, vet_url
from webhooks import queue
from webhooks.models import EVENT_TYPES, PING, Attempt, Delivery, Endpoint, generate_secret


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=[(name, name) for name in EVENT_TYPES if name != PING], required=False,
        widget=forms.CheckboxSelectMultiple, help_text="None ticked: every event.",
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            vet_url(url)  # the same guard runs again at every send: DNS answers change
        except FetchError as exc:
            raise forms.ValidationError(f"Webhooks are sent to public addresses only: {exc}.") from None
        return url


class EndpointActionForm(ActionForm):
    since = forms.SplitDateTimeField(required=False, help_text="For “Replay events since”.",
                                     widget=admin.widgets.AdminSplitDateTime)


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["started_at", "status_code", "duration_ms", "error", "response_body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    action_form = EndpointActionForm
    list_display = ["url", "description", "is_active", "disabled_reason", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["disabled_reason", "created_at"]
    actions = ["send_ping", "rotate_secret", "replay_since"]

    def save_model(self, request, obj, form, change):
        if obj.is_active:
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)
        if not change:
            self.show_secret(request, obj.secret)
        elif obj.is_active and "is_active" in form.changed_data:
            # Re-enabled: what waited while it was disabled goes out now.
            transaction.on_commit(lambda: queue.send_pending.enqueue(obj.pk))

    def show_secret(self, request, secret):
        self.message_user(
            request, f"Signing secret, shown this once: {secret} (receivers verify with it; see the README).",
            messages.WARNING,
        )

    @admin.action(description="Send a test ping", permissions=["change"])
    def send_ping(self, request, queryset):
        for endpoint in queryset:
            transaction.on_commit(lambda endpoint=endpoint: queue.ping(endpoint))
        self.message_user(request, f"Ping queued for {queryset.count()} endpoint(s).")

    @admin.action(description="Rotate the signing secret (the old one stays valid for a grace period)",
                  permissions=["change"])
    def rotate_secret(self, request, queryset):
        expires = timezone.now() + timedelta(hours=settings.WEBHOOK_SECRET_GRACE_HOURS)
        for endpoint in queryset:
            endpoint.previous_secret, endpoint.previous_secret_expires_at = endpoint.secret, expires
            endpoint.secret = generate_secret()
            endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
            self.message_user(request, f"{endpoint}: new secret {endpoint.secret}, shown this once; the previous one "
                                       f"signs too until {expires:%Y-%m-%d %H:%M} UTC.", messages.WARNING)

    @admin.action(description="Replay events since (the time below)", permissions=["change"])
    def replay_since(self, request, queryset):
        since = EndpointActionForm(request.POST).fields["since"].clean(
            [request.POST.get("since_0", ""), request.POST.get("since_1", "")]
        ) if request.POST.get("since_0") else None
        if since is None:
            self.message_user(request, "Give the time to replay from.", messages.ERROR)
            return
        for endpoint in queryset:
            count = queue.replay_since(endpoint, since)
            self.message_user(request, f"{endpoint}: {count} event(s) queued again.")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "endpoint", "event_type", "code", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "event_type", "endpoint"]
    search_fields = ["code", "msg_id"]
    list_select_related = ["endpoint"]
    fields = ["endpoint", "msg_id", "event_type", "event_seq", "code", "status", "attempts", "next_attempt_at",
              "created_at", "payload"]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send again", permissions=["change"])
    def send_again(self, request, queryset):
        for delivery in queryset:
            transaction.on_commit(lambda delivery=delivery: queue.send_again(delivery))
        self.message_user(request, f"{queryset.count()} delivery(ies) queued again.")
