"""/api/webhooks/: programs follow event lists by webhook, with their API token."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from alerts import services
from alerts.models import Delivery, Webhook


class WebhookSerializer(serializers.ModelSerializer):
    query = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=_(
            "The event list's filters as a query string, as /api/mode-events/ "
            "takes them (market=DE&mode=semi_closed_loop); empty for every event."
        ),
    )
    active = serializers.BooleanField(
        source="is_active",
        read_only=True,
        help_text=_("False once repeated failure disabled the webhook."),
    )

    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "query",
            "active",
            "failures_in_a_row",
            "disabled_at",
            "created_at",
        ]
        read_only_fields = ["failures_in_a_row", "disabled_at", "created_at"]
        extra_kwargs = {
            "id": {"help_text": _("The webhook's identifier, in its URL.")},
            "url": {
                "help_text": _(
                    "Where deliveries are POSTed: an http or https address "
                    "on the public internet."
                )
            },
            "failures_in_a_row": {
                "help_text": _(
                    "Deliveries that failed, every retry spent, since the "
                    "last one delivered."
                )
            },
            "disabled_at": {
                "help_text": _(
                    "When repeated failure disabled the webhook; null while "
                    "it is active. Register it again to resume."
                )
            },
            "created_at": {"help_text": _("When the webhook was registered.")},
        }

    def validate_url(self, url: str) -> str:
        try:
            services.check_webhook_address(url)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return url

    def validate_query(self, query: str) -> str:
        canonical, filterset = services.followed_query(QueryDict(query))
        if not filterset.is_valid():
            raise serializers.ValidationError(
                {name: list(errors) for name, errors in filterset.form.errors.items()}
            )
        return canonical


class RegisteredWebhookSerializer(WebhookSerializer):
    """What registering answers, once: the secret that signs every delivery."""

    secret = serializers.CharField(
        read_only=True,
        help_text=_(
            "Signs each delivery: X-Loopwatch-Signature is sha256= and the "
            "hex HMAC-SHA256, under this secret, of X-Loopwatch-Timestamp, a dot and the "
            "body. Shown only here."
        ),
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    change = serializers.CharField(
        source="notice.change",
        help_text=_(
            "published: the event became public; updated: what the public "
            "sees of it changed."
        ),
    )
    event = serializers.SlugRelatedField(
        source="notice.event",
        slug_field="slug",
        read_only=True,
        help_text=_("Slug of the event the delivery is about."),
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "notice",
            "change",
            "event",
            "state",
            "attempts",
            "response_status",
            "error",
            "created_at",
            "attempted_at",
            "delivered_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {
                "help_text": _("Sent as X-Loopwatch-Delivery, the same on every retry.")
            },
            "notice": {
                "help_text": _("The notice delivered: one change of one event.")
            },
            "state": {
                "help_text": _(
                    "pending (being tried), delivered, failed (every retry "
                    "spent) or withdrawn (the webhook was disabled, or the event is no "
                    "longer public)."
                )
            },
            "attempts": {"help_text": _("How many times it was POSTed.")},
            "response_status": {
                "help_text": _(
                    "The HTTP status of the last attempt; null when no answer came."
                )
            },
            "error": {
                "help_text": _("Why the last attempt failed; empty once delivered.")
            },
            "created_at": {"help_text": _("When the delivery was queued.")},
            "attempted_at": {"help_text": _("When it was last POSTed.")},
            "delivered_at": {"help_text": _("When the receiver accepted it (2xx).")},
        }


@extend_schema_view(
    list=extend_schema(
        summary=_("Your webhooks"),
        description=_("Every webhook registered with your token, five at most."),
    ),
    create=extend_schema(
        summary=_("Register a webhook"),
        description=_(
            "Follows an event list: url is where deliveries are POSTed, query the "
            "list's filters. Answered once with the secret that signs every delivery."
        ),
        responses={201: RegisteredWebhookSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One of your webhooks"),
        description=_("By its id; another user's webhook is answered 404."),
    ),
    destroy=extend_schema(
        summary=_("Stop a webhook"),
        description=_("Deletes the webhook: nothing more is delivered to its address."),
    ),
)
class WebhookViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your webhooks, five at most: each published event of the list it follows, and
    each change of one, is POSTed to its address as JSON, signed, at least once
    (drop a repeat by its ``delivery`` id); the answer must come within 10 s and
    redirects are not followed. After a failed attempt the address rests 30 s, then
    each rest twice the last, its deliveries waiting in order; a delivery is given
    up after five retries, and a webhook whose deliveries failed three times in a
    row is disabled."""

    serializer_class = WebhookSerializer
    permission_classes = [IsAuthenticated]
    queryset = Webhook.objects.none()
    # Any address under the list is answered by the API, as JSON: 404 for no webhook.
    lookup_value_regex = "[^/]+"
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self) -> QuerySet:
        return Webhook.objects.filter(owner=self.request.user)

    def perform_create(self, serializer: WebhookSerializer) -> None:
        try:
            serializer.instance = services.register_webhook(
                owner=self.request.user,
                url=serializer.validated_data["url"],
                query=serializer.validated_data.get("query", ""),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(
            RegisteredWebhookSerializer(serializer.instance).data, status=201
        )

    @extend_schema(
        summary=_("A webhook's deliveries"),
        description=_(
            "The latest 100 deliveries to this webhook, newest first, each with its "
            "last attempt."
        ),
        responses=DeliverySerializer(many=True),
    )
    @action(detail=True)
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """The latest 100 deliveries to this webhook, each with its last attempt."""
        deliveries = (
            self.get_object().deliveries.select_related("notice__event").order_by("-pk")
        )
        return Response(DeliverySerializer(deliveries[:100], many=True).data)
