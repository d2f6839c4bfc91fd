"""The analysts' desk: what awaits them, counted, each count a link to the admin list
of those records. The admin's front page shows it above the app list."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from alerts.models import Webhook
from markets.admin_base import AwaitingFilter
from markets.models import (
    Dispute,
    EventEvidence,
    MarketFigure,
    MarketFigureEvidence,
    ModeEvent,
    Publication,
    Source,
)
from sellers.models import SellerCase, SellerCaseEvidence, SellerFigureEvidence

#: The admin list's filter for what awaits an analyst (markets.admin_base).
AWAITING = {AwaitingFilter.parameter_name: AwaitingFilter.choice}
#: One list of records awaiting: the model, the queryset method reading them, and
#: the admin list's query string showing the same rows.
Listing = tuple[type[Model], str, dict[str, str]]


def _drafts(model: type[Model]) -> Listing:
    return model, "drafts", {"publication__exact": Publication.DRAFT}


def _awaiting(model: type[Model], method: str) -> Listing:
    return model, method, AWAITING


#: Each task on the desk, with the lists that make it up. Suggestions are not stored
#: (intake reads them from a source's text when asked): those not yet taken are
#: counted as sources with archived text that no event or market figure quotes.
TASKS: tuple[tuple[Promise, tuple[Listing, ...]], ...] = (
    (
        _("Drafts to review"),
        tuple(
            _drafts(model) for model in (ModeEvent, MarketFigure, SellerCase, Source)
        ),
    ),
    (
        _("Quotes not yet verified"),
        tuple(
            _awaiting(model, "not_verified")
            for model in (
                EventEvidence,
                MarketFigureEvidence,
                SellerCaseEvidence,
                SellerFigureEvidence,
            )
        ),
    ),
    (_("Open disputes"), (_awaiting(Dispute, "open"),)),
    (_("Suggestions not yet taken"), (_awaiting(Source, "archived_uncited"),)),
    (_("Failing webhooks"), (_awaiting(Webhook, "failing"),)),
)


@dataclass(frozen=True)
class Waiting:
    """So many records of one kind awaiting an analyst, and the admin list of them."""

    name: str
    count: int
    url: str


@dataclass(frozen=True)
class Task:
    """One line of the desk: what awaits, in every kind of record it concerns."""

    title: str
    waiting: tuple[Waiting, ...]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.waiting)


def _may_see(user: AbstractBaseUser | AnonymousUser, model: type[Model]) -> bool:
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "change")
    )


def awaiting_you(user: AbstractBaseUser | AnonymousUser) -> list[Task]:
    """The desk's tasks, counted in the lists ``user`` may see: one COUNT query per
    list (eleven at most, whatever the data), none for a list they may not see. A
    task none of whose lists they may see is left out."""
    tasks = []
    for title, listings in TASKS:
        waiting = tuple(
            Waiting(
                name=model._meta.verbose_name_plural,
                count=getattr(model._default_manager.all(), method)().count(),
                url=reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
                )
                + "?"
                + urlencode(query),
            )
            for model, method, query in listings
            if _may_see(user, model)
        )
        if waiting:
            tasks.append(Task(title=title, waiting=waiting))
    return tasks
