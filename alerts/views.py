"""Following by e-mail: asking, confirming, leaving. None of these pages is cached:
each carries its reader's own form or address."""

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from alerts import services, tasks, throttling
from alerts.forms import FollowForm
from alerts.models import Subscription
from config.clients import client_ip


def followed_context(query: str) -> dict[str, Any]:
    """What a page of following says of a followed list ``query`` (canonical): its
    filters in words, and the ways back to what is followed: the event list so
    filtered and, for one market alone, that market's page."""
    data = QueryDict(query)
    filters = services.followed_filters(query)
    market = data.get("market", "")
    one_market = set(data) == {"market"} and not any(f.problem for f in filters)
    return {
        "followed": services.describe_query(query),
        "event_list": f"{reverse('markets:event-list')}{'?' if query else ''}{query}",
        "market_page": (
            reverse("markets:market-detail", args=[market.upper()])
            if one_market
            else None
        ),
    }


class FollowView(FormView):
    """/follow/?market=DE&mode=…: the event list's filters, followed by e-mail."""

    form_class = FollowForm
    template_name = "alerts/follow.html"

    def get_initial(self) -> dict[str, Any]:
        query, _ = services.followed_query(self.request.GET)
        return {"query": query}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form") or self.get_form()
        query, filterset = services.followed_query(
            QueryDict(form["query"].value() or "")
        )
        # The footer's link follows everything: a picker narrows it to one market,
        # keeping the other filters followed.
        kept = QueryDict(query, mutable=True)
        kept.pop("market", None)
        return super().get_context_data(
            **followed_context(query),
            market_picker=filterset.form["market"],
            other_filters=[
                (key, value) for key, values in kept.lists() for value in values
            ],
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            throttling.FollowRequestsPerClient(client_ip(request)).count_one()
        except throttling.MailLimitReached as limit:
            return too_many(request, limit)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: FollowForm) -> HttpResponse:
        try:
            asked = services.subscribe(
                email=form.cleaned_data["email"],
                query=form.cleaned_data["query"],
                frequency=form.cleaned_data["frequency"],
                language=get_language(),
            )
        except throttling.MailLimitReached as limit:
            return too_many(self.request, limit)
        if asked.confirmation_due:
            tasks.send_confirmation(asked.subscription.pk)
        # The same answer whether the address was known or not; it names what was
        # asked for, which the reader just sent, never the address.
        query = form.cleaned_data["query"]
        return redirect(f"{reverse('alerts:asked')}{'?' if query else ''}{query}")


class AskedView(TemplateView):
    """The answer to asking: check the inbox; the way back to what was asked for."""

    template_name = "alerts/asked.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query, _ = services.followed_query(self.request.GET)
        return super().get_context_data(**followed_context(query), **kwargs)


def too_many(request: HttpRequest, limit: throttling.MailLimitReached) -> HttpResponse:
    answer = render(request, "alerts/too_many.html", status=429)
    answer["Retry-After"] = str(limit.retry_after)
    return answer


def invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/invalid_link.html", status=404)


class ConfirmView(View):
    """The link of the confirmation e-mail: the address is its reader's."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        subscription = services.subscription_of(
            token,
            salt=services.CONFIRMATION_SALT,
            max_age=services.CONFIRMATION_MAX_AGE,
        )
        if subscription is None:
            return invalid_link(request)
        subscription = services.confirm(subscription)
        # The page after following is where a reader who clicked by mistake looks
        # for the way out: the same signed link every e-mail ends with.
        leave = urlsplit(services.unsubscribe_link(subscription)).path
        return render(
            request,
            "alerts/confirmed.html",
            {**self.context(subscription), "leave": leave},
        )

    @staticmethod
    def context(subscription: Subscription) -> dict[str, Any]:
        return {
            **followed_context(subscription.query),
            "subscription": subscription,
            "address": services.masked_address(subscription.email),
        }


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """The signed link of every e-mail: opening it unsubscribes, and so does a mail
    client's one-click POST (RFC 8058), which carries no CSRF token; the signature
    is what proves the link was sent to the address. The page shows the address
    masked: the link is in headers that scanners and forwarded mails carry."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.leave(request, token)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.leave(request, token)

    def leave(self, request: HttpRequest, token: str) -> HttpResponse:
        subscription = services.subscription_of(
            token,
            salt=services.UNSUBSCRIBE_SALT,
            max_age=services.UNSUBSCRIBE_MAX_AGE,
        )
        if subscription is None:
            return invalid_link(request)
        services.unsubscribe(subscription)
        query = QueryDict(subscription.query)
        return render(
            request,
            "alerts/unsubscribed.html",
            {
                **ConfirmView.context(subscription),
                "follow_again": f"{reverse('alerts:follow')}?{query.urlencode()}",
            },
        )
