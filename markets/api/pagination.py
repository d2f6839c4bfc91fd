"""Keyset pagination: page 1000 costs what page 1 costs, and no page is ever counted.

DRF's CursorPagination keys on the first ordering field only and walks ties with an
OFFSET, which grows without bound when many rows share a date. Here the cursor holds the
last row's value of every ordering field, ending with the primary key, so that the next
page is one indexed range query, whatever ``?ordering=`` the client chose.
"""

import base64
import binascii
import datetime
import json
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

# (model field, descending): the field's value in the cursor and its sort direction.
OrderKey = tuple[models.Field, bool]


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _after(key: OrderKey, value: Any) -> Q:
    """Rows that sort after ``value`` on one field; NULL sorts before every value."""
    field, descending = key
    name = field.attname
    if not field.null:
        return Q(**{f"{name}__lt" if descending else f"{name}__gt": value})
    if descending:
        if value is None:
            return Q(pk__in=[])
        return Q(**{f"{name}__lt": value}) | Q(**{f"{name}__isnull": True})
    if value is None:
        return Q(**{f"{name}__isnull": False})
    return Q(**{f"{name}__gt": value})


def _equal(key: OrderKey, value: Any) -> Q:
    field, _descending = key
    if value is None:
        return Q(**{f"{field.attname}__isnull": True})
    return Q(**{field.attname: value})


def keyset_filter(keys: list[OrderKey], values: list[Any]) -> Q:
    """Rows after the row whose ordering values are ``values``, in ``keys`` order.

    (a, b, pk) > (x, y, z) reads: a after x, or a = x and b after y, or a = x, b = y and
    pk after z.
    """
    condition = Q(pk__in=[])
    for position, key in enumerate(keys):
        step = _after(key, values[position])
        for earlier, value in zip(keys[:position], values[:position], strict=True):
            step &= _equal(earlier, value)
        condition |= step
    (first, descending), value = keys[0], values[0]
    if not first.null:
        # The same rows, with a range on the first key that an index can seek to:
        # without it SQLite reads the OR above row by row from the start.
        bound = f"{first.attname}__lte" if descending else f"{first.attname}__gte"
        condition = Q(**{bound: value}) & condition
    return condition


def _order_expression(key: OrderKey, reverse: bool) -> models.OrderBy:
    field, descending = key
    if not field.null:
        # Plain ASC/DESC, which an ordinary index serves on every database.
        column = models.F(field.attname)
        return column.desc() if descending != reverse else column.asc()
    if descending != reverse:
        return models.F(field.attname).desc(nulls_last=True)
    return models.F(field.attname).asc(nulls_first=True)


class KeysetPagination(BasePagination):
    """``next``/``previous`` links with an opaque cursor; ``?page_size=`` up to 500."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_cursor_message = _("Invalid cursor.")

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list:
        self.start(request, queryset, view)
        return self.took(list(self.page_of(queryset)))

    def start(self, request: Request, queryset: QuerySet, view: Any = None) -> None:
        """Read the page asked for: its size, ordering and cursor. ``queryset`` is
        any queryset of the model listed; it is not read."""
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.keys = self.get_order_keys(request, queryset, view)
        self.signature = ",".join(
            ("-" if descending else "") + field.attname
            for field, descending in self.keys
        )
        self.values, self.reverse = self.decode_cursor(request)

    def page_of(self, queryset: QuerySet) -> QuerySet:
        """The rows of the page asked for (``start``), and one more if a page follows."""
        queryset = queryset.order_by(
            *(_order_expression(key, self.reverse) for key in self.keys)
        )
        if self.values is not None:
            keys = self.reversed_keys if self.reverse else self.keys
            queryset = queryset.filter(keyset_filter(keys, self.values))
        return queryset[: self.page_size + 1]

    def took(self, rows: list) -> list:
        """The page, from the rows ``page_of`` read."""
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if self.reverse:
            rows = rows[::-1]
            self.has_previous, self.has_next = has_more, True
        else:
            self.has_previous, self.has_next = self.values is not None, has_more
        self.page = rows
        return rows

    @property
    def reversed_keys(self) -> list[OrderKey]:
        return [(field, not descending) for field, descending in self.keys]

    def get_page_size(self, request: Request) -> int:
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return api_settings.PAGE_SIZE
        try:
            size = int(text)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)d.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_order_keys(
        self, request: Request, queryset: QuerySet, view: Any
    ) -> list[OrderKey]:
        """The ordering asked for (``?ordering=``) or the view's, then the primary key."""
        ordering: list[str] = []
        for backend in getattr(view, "filter_backends", []):
            if hasattr(backend, "get_ordering"):
                ordering = list(backend().get_ordering(request, queryset, view) or [])
                break
        if not ordering:
            ordering = list(
                getattr(view, "ordering", None) or queryset.model._meta.ordering
            )
        opts = queryset.model._meta
        keys: list[OrderKey] = []
        for term in ordering:
            name = term.lstrip("-")
            field = opts.pk if name == "pk" else opts.get_field(name)
            if field.many_to_many or field.one_to_many:
                raise ValueError(f"Cannot paginate on {name}, a to-many relation.")
            if all(field != known for known, _descending in keys):
                keys.append((field, term.startswith("-")))
        if all(field != opts.pk for field, _descending in keys):
            keys.append((opts.pk, False))
        return keys

    # --- Cursors -----------------------------------------------------------------------

    def decode_cursor(self, request: Request) -> tuple[list[Any] | None, bool]:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None, False
        try:
            cursor = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            values, reverse, signature = cursor["v"], cursor["r"], cursor["o"]
        except (
            binascii.Error,
            UnicodeError,
            ValueError,
            TypeError,
            KeyError,
        ) as error:
            raise NotFound(self.invalid_cursor_message) from error
        if (
            signature != self.signature
            or not isinstance(values, list)
            or len(values) != len(self.keys)
            or not isinstance(reverse, bool)
            # PostgreSQL cannot compare text holding a null character.
            or any(isinstance(value, str) and "\x00" in value for value in values)
            # Only a nullable field's position may be NULL.
            or any(
                value is None and not field.null
                for (field, _descending), value in zip(self.keys, values, strict=True)
            )
        ):
            raise NotFound(self.invalid_cursor_message)
        try:
            values = [
                None if value is None else field.to_python(value)
                for (field, _descending), value in zip(self.keys, values, strict=True)
            ]
        except (DjangoValidationError, TypeError, ValueError) as error:
            raise NotFound(self.invalid_cursor_message) from error
        return values, reverse

    def encode_cursor(self, row: models.Model | dict, reverse: bool) -> str:
        # A page of plain rows (``.values()``) or of model instances.
        values = [
            _json_value(
                row[field.attname]
                if isinstance(row, dict)
                else getattr(row, field.attname)
            )
            for field, _descending in self.keys
        ]
        payload = json.dumps(
            {"o": self.signature, "v": values, "r": reverse}, separators=(",", ":")
        )
        encoded = base64.urlsafe_b64encode(payload.encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self.encode_cursor(self.page[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor(self.page[0], reverse=True)

    # --- Responses ---------------------------------------------------------------------

    def get_paginated_response(self, data: list) -> Response:
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((next_link, "next"), (previous_link, "prev"))
            if url
        ]
        headers = {"Link": ", ".join(links)} if links else None
        return Response(
            {"next": next_link, "previous": previous_link, "results": data},
            headers=headers,
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": _("The next page, or null on the last page."),
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": _("The previous page, or null on the first page."),
                },
                "results": {**schema, "description": _("The records on this page.")},
            },
        }

    def query_parameters(self) -> set[str]:
        return {self.cursor_query_param, self.page_size_query_param}

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Opaque position in the list; follow the next and previous "
                        "links rather than building one."
                    )
                ),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Rows per page, from 1 to %(max)d.") % {"max": self.max_page_size}
                ),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                },
            },
        ]
