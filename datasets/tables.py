"""The tables of a dataset release: their columns, keys and foreign keys, each table's
Table Schema, and how a value reads in a CSV cell.

Each table is keyed by the record's natural key (a code, a slug, a UUID), which outlives
the database it was read from; many-to-many links are tables of their own, so that every
reference is a foreign key a Frictionless validator checks. The rows themselves are
read by datasets.record.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from markets.api.serializers.fields import (
    DATE_EARLIEST_HELP,
    DATE_LATEST_HELP,
    FIELD_HELP,
)
from markets.models import Dispute, Market, MarketFigure, ModeEvent, Source
from sellers.models import SellerCase, SellerFigure
from sellers.pairing import PLACEMENT_HELP, Placement

#: What every content row carries besides its own columns; left out of the changelog's
#: comparison, since a save that changed nothing shown still raises them.
BOOKKEEPING = ("version", "created_at", "updated_at")
#: Descriptions of the columns whose model field says something else, or too much.
COLUMN_HELP = {
    "version": "The record's own version, raised by one at every save.",
    "created_at": "When the record was created (UTC).",
    "updated_at": "When the record was last changed (UTC).",
    "dispute": "Slug of the dispute this claim belongs to; empty when undisputed.",
    "reacts_to": "Slug of the mode event the case reacts to.",
    "seller_case": "Slug of the seller case the figure belongs to.",
}


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a table, as its Table Schema field describes it."""

    name: str
    type: str = "string"
    #: English, as the whole descriptor; lazy where it comes from a model, so that it
    #: is read in English when the descriptor is written, not at import.
    description: str | Promise = ""
    enum: tuple[str, ...] = ()
    format: str = "default"
    required: bool = False

    def schema(self) -> dict[str, Any]:
        field: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.format != "default":
            field["format"] = self.format
        if self.description:
            field["description"] = str(self.description)
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            field["constraints"] = constraints
        return field


def model_column(model: type[models.Model], name: str) -> Column:
    """A column holding a model field, typed after it and described as the API's
    schema describes it (its help text, else the model's)."""
    field = model._meta.get_field(name)
    kind, form = "string", "default"
    if isinstance(field, models.BooleanField):
        kind = "boolean"
    elif isinstance(field, models.DecimalField):
        kind = "number"
    elif isinstance(field, models.IntegerField):
        kind = "integer"
    # DateTimeField is a DateField: asked first.
    elif isinstance(field, models.DateTimeField):
        kind = "datetime"
    elif isinstance(field, models.DateField):
        kind = "date"
    elif isinstance(field, models.UUIDField):
        form = "uuid"
    elif isinstance(field, models.URLField):
        form = "uri"
    description = (
        COLUMN_HELP.get(name)
        or FIELD_HELP.get(name)
        or field.help_text
        or field.verbose_name
    )
    enum = tuple(str(value) for value, _label in field.choices or ())
    return Column(name, kind, description, enum=enum, format=form)


def key_column(name: str, description: str | Promise) -> Column:
    return Column(name, description=description, required=True)


@dataclasses.dataclass(frozen=True)
class ForeignKey:
    column: str
    resource: str
    key: str

    def schema(self) -> dict[str, Any]:
        return {
            "fields": [self.column],
            "reference": {"resource": self.resource, "fields": [self.key]},
        }


@dataclasses.dataclass(frozen=True)
class Resource:
    """One table of a release: a CSV file with its Table Schema."""

    name: str
    title: Promise
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [column.schema() for column in self.columns],
            "primaryKey": list(self.primary_key),
            # An empty cell is a missing value: a blank text and a null read alike.
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [key.schema() for key in self.foreign_keys]
        return schema


def content_columns(model: type[models.Model], names: Iterable[str]) -> list[Column]:
    return [model_column(model, name) for name in (*names, *BOOKKEEPING)]


def link_resource(
    name: str,
    title: Promise,
    description: str,
    owner: tuple[str, str, str],
    linked: tuple[str, str, str],
) -> Resource:
    """A many-to-many link as a table: (column, resource, key) for each side."""
    return Resource(
        name=name,
        title=title,
        description=description,
        columns=(
            key_column(owner[0], f"The {owner[1]} row's {owner[2]}."),
            key_column(linked[0], f"The {linked[1]} row's {linked[2]}."),
        ),
        primary_key=(owner[0], linked[0]),
        foreign_keys=(ForeignKey(*owner), ForeignKey(*linked)),
    )


def vocabulary_resource(name: str, title: Promise, description: str) -> Resource:
    return Resource(
        name=name,
        title=title,
        description=description,
        columns=(
            key_column("code", "Stable identifier of the entry."),
            Column("name_zh", description="Name in Simplified Chinese."),
            Column("name_en", description="Name in English."),
        ),
        primary_key=("code",),
    )


#: Where a quote's fact is kept: the resource name, in ``evidence.fact_type``.
FACT_RESOURCES = ("mode-events", "market-figures", "seller-cases", "seller-figures")

#: The tables of a release, in the order they are written and listed.
RESOURCES: tuple[Resource, ...] = (
    vocabulary_resource(
        "regions",
        _("Regions"),
        "Groups of markets that sources name as a whole; those the public records name.",
    ),
    Resource(
        "markets",
        _("Markets"),
        "Countries where TikTok Shop runs, or may run, one of its modes.",
        (
            key_column("code", Market._meta.get_field("code").help_text),
            *content_columns(Market, ("name_zh", "name_en", "region")),
        ),
        ("code",),
        (ForeignKey("region", "regions", "code"),),
    ),
    Resource(
        "sources",
        _("Sources"),
        "Articles, and the outlets (interviews, data and news reports) they relay. A "
        "fuzzy publication date is published_on with its precision and wording.",
        (
            key_column("slug", FIELD_HELP["slug"]),
            *content_columns(Source, (*Source.recorded_fields, "reported_via")),
        ),
        ("slug",),
        (ForeignKey("reported_via", "", "slug"),),
    ),
    Resource(
        "disputes",
        _("Disputes"),
        "Claims that disagree (on a date, a number), tied together once; each claim "
        "is a fact of its own, with its own source, naming the dispute.",
        (
            key_column("slug", FIELD_HELP["slug"]),
            *(model_column(Dispute, name) for name in ("note_zh", "note_en")),
            model_column(Dispute, "created_at"),
            model_column(Dispute, "updated_at"),
        ),
        ("slug",),
    ),
    Resource(
        "mode-events",
        _("Mode events"),
        "Launches, betas, closures and shortlists of a mode, each with a fuzzy date: "
        "date is the first day of what the source names, date_precision says how "
        "precise it is, date_earliest and date_latest the days it may stand for. "
        "status_set is the mode's status in the event's markets from that date on.",
        (
            key_column("slug", FIELD_HELP["slug"]),
            *(model_column(ModeEvent, name) for name in ModeEvent.recorded_fields),
            Column("date_earliest", "date", DATE_EARLIEST_HELP),
            Column("date_latest", "date", DATE_LATEST_HELP),
            *content_columns(ModeEvent, ("dispute",)),
        ),
        ("slug",),
        (ForeignKey("dispute", "disputes", "slug"),),
    ),
    link_resource(
        "mode-event-markets",
        _("Markets of mode events"),
        "The markets each mode event concerns (none for a worldwide or no-market "
        "scope).",
        ("mode_event", "mode-events", "slug"),
        ("market", "markets", "code"),
    ),
    Resource(
        "market-figures",
        _("Market figures"),
        "Numbers about markets, a region (region given), or TikTok Shop as a whole "
        "(neither markets nor region given).",
        (
            key_column("uuid", FIELD_HELP["uuid"]),
            *content_columns(
                MarketFigure, (*MarketFigure.recorded_fields, "region", "dispute")
            ),
        ),
        ("uuid",),
        (
            ForeignKey("region", "regions", "code"),
            ForeignKey("dispute", "disputes", "slug"),
        ),
    ),
    link_resource(
        "market-figure-markets",
        _("Markets of market figures"),
        "The markets each market figure is about.",
        ("market_figure", "market-figures", "uuid"),
        ("market", "markets", "code"),
    ),
    vocabulary_resource(
        "strategies",
        _("Strategies"),
        "Ways sellers respond to a mode change; those the public seller cases name.",
    ),
    Resource(
        "seller-cases",
        _("Seller cases"),
        "Named sellers' stories around a mode change, as a source tells them.",
        (
            key_column("slug", FIELD_HELP["slug"]),
            *content_columns(
                SellerCase, (*SellerCase.recorded_fields, "reacts_to", "dispute")
            ),
        ),
        ("slug",),
        (
            ForeignKey("reacts_to", "mode-events", "slug"),
            ForeignKey("dispute", "disputes", "slug"),
        ),
    ),
    link_resource(
        "seller-case-markets",
        _("Target markets of seller cases"),
        "The markets each seller sells to.",
        ("seller_case", "seller-cases", "slug"),
        ("market", "markets", "code"),
    ),
    link_resource(
        "seller-case-regions",
        _("Target regions of seller cases"),
        "Regions a seller case names without a country in them.",
        ("seller_case", "seller-cases", "slug"),
        ("region", "regions", "code"),
    ),
    link_resource(
        "seller-case-strategies",
        _("Strategies of seller cases"),
        "The strategies each seller adopted.",
        ("seller_case", "seller-cases", "slug"),
        ("strategy", "strategies", "code"),
    ),
    Resource(
        "seller-figures",
        _("Seller figures"),
        "A seller's numbers before and after the change.",
        (
            key_column("uuid", FIELD_HELP["uuid"]),
            model_column(SellerFigure, "seller_case"),
            *(
                model_column(SellerFigure, name)
                for name in SellerFigure.recorded_fields
            ),
            Column(
                "event_placement",
                description=PLACEMENT_HELP,
                enum=tuple(Placement.values),
            ),
            *content_columns(SellerFigure, ("dispute",)),
        ),
        ("uuid",),
        (
            ForeignKey("seller_case", "seller-cases", "slug"),
            ForeignKey("dispute", "disputes", "slug"),
        ),
    ),
    Resource(
        "evidence",
        _("Evidence"),
        "The verbatim quotes every fact rests on, each from a published source, in "
        "the source's own language. fact_type names the table holding the fact and "
        "fact_key its key there.",
        (
            Column(
                "uuid",
                description="Stable identifier of the quote.",
                format="uuid",
                required=True,
            ),
            Column(
                "fact_type",
                description="The table holding the fact the quote supports.",
                enum=FACT_RESOURCES,
                required=True,
            ),
            key_column("fact_key", "The fact's key in that table (slug or uuid)."),
            key_column("source", "Slug of the source quoted."),
            Column(
                "quote",
                description=(
                    "The source's exact words: its publisher's, not covered by the "
                    "dataset's licence (see LICENSE.txt)."
                ),
                required=True,
            ),
            Column(
                "claim",
                description="On a disputed fact: what this source claims.",
            ),
        ),
        ("uuid",),
        (ForeignKey("source", "sources", "slug"),),
    ),
)

RESOURCES_BY_NAME = {resource.name: resource for resource in RESOURCES}

Row = dict[str, Any]


def cell_value(value: Any) -> str:
    """A value as a CSV cell and the Table Schema's default formats read it."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        # Table Schema's default datetime format: UTC, to the second.
        utc = value.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
        return utc.isoformat() + "Z"
    # Dates read as ISO 8601, decimals as written (30000000.00), UUIDs as text.
    return str(value)
