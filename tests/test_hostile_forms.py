"""Hostile input into every form and query the site serves: never a 5xx, never a slow
answer, never anything half-written.

The campaign finds its doors itself, so that a new page or admin is in it without a
line here: every public URL's query parameters (those the page reads,
config.pages.page_parameters, and those of the forms it draws) and path segments,
/follow/'s form, and for every registered ModelAdmin its list's search and filters,
its add and change forms (with their inlines), its import upload and its own extra
views (a source's suggestions, the events' publishing preview). Each field is either
left as the page drew it or given a hostile value (tests.hostile: control
characters, NUL, undecodable bytes, 100,000 characters, bidi marks, SQL and HTML,
wrong types, days out of range, ids that name nothing), a few examples per door
(Hypothesis, derandomised so that every run sends the same). Every answer is checked:
under 500, quick (tests.hostile.assert_quick); and an answer that is not a redirect (a refusal)
has written no row anywhere.

What it does not judge: whether an accepted value is wise (a stored BEL, say); the
rules of each field have their own tests.
"""

import io
import re
import time
from collections.abc import Callable, Iterator
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.serializers import serialize
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from alerts.models import Delivery, Notice, Subscription, Webhook
from caching.public import filterset_parameters
from config.pages import CachedForThePublicMixin, page_parameters
from datasets.models import Release
from markets.filtersets import ModeEventFilterSet
from markets.models import Dispute, ModeEvent, Source
from sellers.models import SellerCase
from status.worldmap import land_fingerprint
from tests.hostile import HOSTILE_VALUES, Form, assert_quick, forms_on

pytestmark = pytest.mark.django_db

#: A few examples per door keep the whole campaign within a minute or so.
CAMPAIGN = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

#: Public URL names whose address needs a record: the record's key, from the articles.
PUBLIC_KEYS: dict[str, Callable[[], dict[str, str]]] = {}


def public_patterns() -> Iterator[tuple[str, str, URLPattern]]:
    """Each public URL's name, its route and its pattern: all but the admin and API."""

    def walk(resolvers, prefix: str, namespace: str):
        for entry in resolvers:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route.startswith(("admin/", "api/")):
                    continue
                inner = entry.namespace or namespace
                yield from walk(entry.url_patterns, route, inner)
            elif entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield name, route, entry

    yield from walk(get_resolver().url_patterns, "", "")


#: Query parameters read by a page that is not cached (so has no page_parameters).
UNCACHED_QUERIES: dict[str, Callable[[], frozenset[str]]] = {
    "alerts:follow": lambda: filterset_parameters(ModeEventFilterSet),
}


def page_address(name: str, route: str) -> str:
    """The address of a public page on the article data."""
    if name not in RECORD_KEYS:
        return reverse(name)
    return reverse(name, kwargs=RECORD_KEYS[name]())


def article_keys() -> dict[str, Callable[[], dict[str, str]]]:
    def first_release() -> dict[str, str]:
        release = Release.objects.listed().first()
        if release is None:
            pytest.skip("No release is made from the article data.")
        return {"version": release.version, "filename": release.archive_name}

    return {
        "markets:market-detail": lambda: {"code": "DE"},
        "markets:event-detail": lambda: {
            "slug": ModeEvent.objects.published().order_by("pk").first().slug
        },
        "markets:dispute-detail": lambda: {
            "slug": Dispute.objects.order_by("pk").first().slug
        },
        "status:badge": lambda: {"code": "DE", "mode": "semi_closed_loop"},
        "status:map-land": lambda: {"fingerprint": land_fingerprint()},
        "markets:source-detail": lambda: {"slug": Source.objects.first().slug},
        "markets:source-text": lambda: {
            "slug": Source.objects.exclude(archived_copies=None).first().slug
        },
        "sellers:sellercase-detail": lambda: {
            "slug": SellerCase.objects.order_by("pk").first().slug
        },
        "alerts:confirm": lambda: {"token": "not-a-token"},
        "alerts:unsubscribe": lambda: {"token": "not-a-token"},
        "switch-language": lambda: {"code": "en"},
        "datasets:release-file": first_release,
        "datasets:latest-file": lambda: {"filename": "loopwatch.zip"},
    }


RECORD_KEYS = article_keys()
PUBLIC = sorted(public_patterns(), key=lambda entry: entry[0])


@pytest.fixture(scope="module")
def article_data_once(article_snapshot, django_db_blocker) -> Iterator[None]:
    """The article data, with a record of each kind it lacks (a follower, a webhook, a
    delivery, a token, a release), copied in once for the module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        article_snapshot.restore()
        owner = User.objects.create_user("owner", password="not-a-real-password")
        Token.objects.create(user=owner)
        Subscription.objects.create(email="reader@example.com", query="market=DE")
        webhook = Webhook.objects.create(owner=owner, url="http://127.0.0.1:9/")
        event = ModeEvent.objects.published().order_by("pk").first()
        notice = Notice.objects.create(
            event=event, change=Notice.Change.choices[0][0], event_json={}, shown=""
        )
        Delivery.objects.create(webhook=webhook, notice=notice)
        call_command("release_dataset", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def chief(db) -> User:
    return User.objects.create_superuser("chief", password="not-a-real-password")


@pytest.fixture
def chief_client(chief: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(chief)
    return client


class Rollback(Exception):
    """Leaves an example's savepoint without keeping what it wrote."""


def rows() -> dict[str, int]:
    """How many rows each of the site's tables holds (sessions aside: a sign-in)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label != "sessions" and model._meta.managed
    }


def answer(client: Client, method: str, address: str, **kwargs):
    """The site's answer, held to the campaign's two rules on any input."""
    started, started_cpu = time.perf_counter(), time.thread_time()
    response = getattr(client, method)(address, **kwargs)
    cpu, clock = time.thread_time() - started_cpu, time.perf_counter() - started
    assert response.status_code < 500, (method, address, response.status_code)
    assert_quick(f"{method} {address}", cpu=cpu, clock=clock)
    return response


def in_a_savepoint(send: Callable[[], None]) -> None:
    """Run one example and roll back what it wrote: each starts from the same rows."""
    try:
        with transaction.atomic():
            send()
            raise Rollback
    except Rollback:
        pass


def query_string(values: dict[str, bytes | None]) -> str:
    return urlencode(
        [(name, value) for name, value in values.items() if value is not None]
    )


# --- Public pages ----------------------------------------------------------------------


def test_every_public_address_is_in_the_campaign():
    """A public URL that needs a record must say which (RECORD_KEYS), or the
    campaign cannot reach its page."""
    for name, route, _pattern in PUBLIC:
        if "<" in route:
            assert name in RECORD_KEYS, f"{name} ({route}) needs a record's key"


@pytest.mark.parametrize(
    ("name", "route"), [(name, route) for name, route, _ in PUBLIC], ids=lambda v: v
)
def test_public_queries_hold_against_hostile_values(
    name, route, article_data_once, client
):
    address = page_address(name, route)
    view_class = getattr(get_resolver().resolve(address).func, "view_class", None)
    names = set()
    if view_class and issubclass(view_class, CachedForThePublicMixin):
        names |= page_parameters(view_class)
    if name in UNCACHED_QUERIES:
        names |= UNCACHED_QUERIES[name]()
    page = answer(client, "get", address)
    if page.get("Content-Type", "").startswith("text/html"):
        for form in forms_on(page.content.decode()):
            if form.method == "get":
                names |= set(form.values)
    # A junk key too: the page must ignore what it does not read.
    names.add("utm_source")

    @given(
        st.fixed_dictionaries({n: st.none() | HOSTILE_VALUES for n in sorted(names)})
    )
    @CAMPAIGN
    def hostile_query(values: dict[str, bytes | None]) -> None:
        in_a_savepoint(
            lambda: answer(client, "get", f"{address}?{query_string(values)}")
        )

    hostile_query()


def test_follow_page_with_a_region_holds_against_hostile_values(
    article_data_once, client
):
    address = reverse("alerts:follow")

    @given(HOSTILE_VALUES | st.sampled_from([b"europe", b"asia"]))
    @settings(CAMPAIGN, phases=[Phase.explicit, Phase.generate])
    def hostile_region(region: bytes) -> None:
        in_a_savepoint(
            lambda: answer(client, "get", f"{address}?{urlencode({'region': region})}")
        )

    hostile_region()


def segment_strategy() -> st.SearchStrategy[str]:
    return HOSTILE_VALUES.filter(bool).map(lambda value: quote(value, safe=""))


@pytest.mark.parametrize(
    ("name", "route"),
    [(name, route) for name, route, pattern in PUBLIC if pattern.pattern.converters],
    ids=lambda v: v,
)
def test_public_path_segments_hold_against_hostile_values(
    name, route, article_data_once, client
):
    pattern = dict((n, p) for n, _r, p in PUBLIC)[name]
    keys = sorted(pattern.pattern.converters)

    @given(st.fixed_dictionaries({key: segment_strategy() for key in keys}))
    @CAMPAIGN
    def hostile_path(segments: dict[str, str]) -> None:
        address = "/" + route
        for key in keys:
            converter = pattern.pattern.converters[key]
            kind = type(converter).__name__.removesuffix("Converter").lower()
            address = address.replace(f"<{kind}:{key}>", segments[key])
        in_a_savepoint(lambda: answer(client, "get", address))

    hostile_path()


# --- Forms that write ------------------------------------------------------------------


def posted_form(page: str, address: str) -> Form:
    """The form a page posts its record with: the largest, the log-out form aside."""
    logout = reverse("admin:logout")
    candidates = [
        form
        for form in forms_on(page)
        if form.method == "post" and urlsplit(form.action).path != logout
    ]
    assert candidates, f"{address} draws no form to post"
    form = max(candidates, key=lambda form: len(form.values))
    form.action = form.action or address
    return form


def hostile_post(
    client: Client, address: str, form: Form, watched: Callable[[], object] = rows
) -> None:
    """Post the form with each field kept or made hostile, a few times."""
    names = sorted(form.values)

    @given(st.fixed_dictionaries({n: st.none() | HOSTILE_VALUES for n in names}))
    @CAMPAIGN
    def post(values: dict[str, bytes | None]) -> None:
        def send() -> None:
            data: dict[str, object] = {}
            for name in names:
                value = values[name]
                if name in form.files:
                    if value is not None:
                        data[name] = SimpleUploadedFile(
                            "upload.csv", value, content_type="text/csv"
                        )
                elif value is None:
                    data[name] = [v.encode() for v in form.values[name]]
                else:
                    data[name] = value
            before = watched()
            response = answer(client, "post", form.action, data=data)
            if response.status_code != 302:
                assert watched() == before, "a refused form wrote something"

        in_a_savepoint(send)

    post()


def test_follow_form_holds_against_hostile_values(article_data_once, client):
    address = reverse("alerts:follow") + "?market=DE"
    form = posted_form(answer(client, "get", address).content.decode(), address)
    hostile_post(client, address, form)


# --- The admin -------------------------------------------------------------------------


def admin_doors() -> list[tuple[str, str]]:
    """For every registered ModelAdmin, the URL names of its forms: list, add, change
    (of its first record) and import where it has one."""
    doors = []
    for model, _model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for door in ("changelist", "add", "change", "import"):
            try:
                reverse(f"{prefix}_{door}", args=[1] if door == "change" else [])
            except NoReverseMatch:
                continue
            doors.append((model._meta.label, door))
    return doors


def first_record_of(label: str):
    model = apps.get_model(label)
    record = model._default_manager.order_by("pk").first()
    if record is None:
        pytest.skip(f"The article data has no {label} to change.")
    return record


@pytest.mark.parametrize(("label", "door"), admin_doors(), ids=lambda v: v)
def test_admin_forms_hold_against_hostile_values(
    label, door, article_data_once, chief_client
):
    model = apps.get_model(label)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    watched: Callable[[], object] = rows
    if door == "change":
        record = first_record_of(label)
        address = reverse(f"{prefix}_change", args=[record.pk])

        def watched() -> object:
            return rows(), serialize(
                "json", model._default_manager.filter(pk=record.pk)
            )

    else:
        address = reverse(f"{prefix}_{door}")
    page = answer(chief_client, "get", address)
    if page.status_code == 403:
        # A read-only admin: its refusal to write is what is checked.
        form = Form(action=address, method="post", values={"note": []})
    elif door == "changelist":
        names = {"q", "o", "p", "all", "e"}
        for form in forms_on(page.content.decode()):
            if form.method == "get":
                names |= set(form.values)
        names |= {
            name for link in _filter_links(page.content.decode()) for name in link
        }

        @given(
            st.fixed_dictionaries(
                {n: st.none() | HOSTILE_VALUES for n in sorted(names)}
            )
        )
        @CAMPAIGN
        def hostile_list(values: dict[str, bytes | None]) -> None:
            in_a_savepoint(
                lambda: answer(chief_client, "get", f"{address}?{query_string(values)}")
            )

        hostile_list()
        return
    else:
        form = posted_form(page.content.decode(), address)
    hostile_post(chief_client, address, form, watched)


def _filter_links(page: str) -> list[set[str]]:
    """The query parameters of the list's filter links (?status__exact=…)."""
    return [
        set(
            part.split("=", 1)[0]
            for part in query.replace("&amp;", "&").split("&")
            if part
        )
        for query in re.findall(r'href="\?([^"]*)"', page)
    ]


def test_source_suggestions_hold_against_hostile_values(
    article_data_once, chief_client
):
    source = Source.objects.exclude(archived_copies=None).order_by("pk").first()
    address = reverse("admin:markets_source_suggestions", args=[source.pk])
    form = posted_form(answer(chief_client, "get", address).content.decode(), address)
    hostile_post(chief_client, address, form)


def test_event_preview_holds_against_hostile_values(article_data_once, chief_client):
    """The preview reads ``id``, ``state`` and ``figure`` from its address, and posts
    them back with the reason typed beside it."""
    preview = reverse("admin:markets_modeevent_preview")
    names = ("id", "state", "figure")

    @given(st.fixed_dictionaries({n: st.none() | HOSTILE_VALUES for n in names}))
    @CAMPAIGN
    def hostile_preview(values: dict[str, bytes | None]) -> None:
        in_a_savepoint(
            lambda: answer(chief_client, "get", f"{preview}?{query_string(values)}")
        )

    hostile_preview()
    ids = [str(pk) for pk in ModeEvent.objects.values_list("pk", flat=True)[:3]]
    form = Form(
        action=preview,
        method="post",
        values={
            "_selected_action": ids,
            "state": ["published"],
            "figure": [],
            "change_reason": ["A reason."],
        },
    )
    hostile_post(chief_client, preview, form)
