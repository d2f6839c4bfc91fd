"""Ranked search over facts and sources, in Chinese and English.

Chinese has no spaces between words, so a Chinese term is found as a substring (ILIKE,
served on PostgreSQL by pg_trgm GIN indexes, made by markets 0006 and sellers 0004).
English words are stemmed and ranked by PostgreSQL's full-text search. SQLite, the
zero-setup database, falls back to substring matching ranked by how many fields match.
"""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models import Case, FloatField, Q, Value, When
from django.db.models.functions import Cast


class SearchableQuerySet(models.QuerySet):
    """``search(text)``: matching rows, best first, ranked in ``search_rank``."""

    #: Fields matched as substrings (Chinese text and names as written); each has a
    #: trigram index on PostgreSQL, or the OR of them could not use any index.
    search_substring_fields: tuple[str, ...] = ()
    #: English fields, stemmed on PostgreSQL.
    search_english_fields: tuple[str, ...] = ()

    def search(self, text: str) -> "SearchableQuerySet":
        text = " ".join(text.split())
        if not text:
            return self.none()
        postgresql = connections[self.db].vendor == "postgresql"
        # PostgreSQL matches English by its stems; elsewhere English is a substring too.
        fields = self.search_substring_fields
        if not postgresql:
            fields = (*fields, *self.search_english_fields)
        substring = {field: Q(**{f"{field}__icontains": text}) for field in fields}
        # One point per field that contains the text as written.
        substring_rank = reduce(
            lambda total, hit: total + hit,
            (
                Case(When(condition, then=Value(1.0)), default=Value(0.0))
                for condition in substring.values()
            ),
        )
        matches = reduce(or_, substring.values())
        rank = substring_rank
        if postgresql and self.search_english_fields:
            vector = SearchVector(*self.search_english_fields, config="english")
            query = SearchQuery(text, config="english", search_type="websearch")
            matches |= Q(search_vector=query)
            rank = substring_rank + Cast(SearchRank(vector, query), FloatField())
            return (
                self.annotate(search_vector=vector, search_rank=rank)
                .filter(matches)
                .order_by("-search_rank", "pk")
            )
        return (
            self.annotate(search_rank=rank)
            .filter(matches)
            .order_by("-search_rank", "pk")
        )
