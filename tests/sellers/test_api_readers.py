"""The fast seller-case reads write exactly what SellerCaseSerializer writes."""

import json

import pytest
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from markets.models import Publication, Source
from sellers.api.readers import case_rows, represent_cases
from sellers.api.serializers import SellerCaseSerializer
from sellers.models import SellerCase
from tests.factories import (
    MarketFactory,
    ModeEventFactory,
    RegionFactory,
    SellerCaseEvidenceFactory,
    SellerCaseFactory,
    SellerFigureEvidenceFactory,
    SellerFigureFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def as_json(data) -> list:
    """Both sides through the same renderer, as a client receives them."""
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def case_with_drafts_around_it(article_data) -> SellerCase:
    """A case whose market, event, source and one figure the public may not see."""
    draft_source = Source.objects.first()
    case = SellerCaseFactory(
        reacts_to=ModeEventFactory(publication=Publication.DRAFT),
        target_markets=[
            MarketFactory(code="NO", publication=Publication.DRAFT),
            *MarketFactory.create_batch(2),
        ],
        strategies=[StrategyFactory(name_en="Zebra"), StrategyFactory(name_en="Alpha")],
        person_name="李四",
    )
    case.target_regions.set([RegionFactory(name_en="Z"), RegionFactory(name_en="A")])
    SellerCaseEvidenceFactory(fact=case, source=draft_source)
    SellerCaseEvidenceFactory(fact=case)
    figure = SellerFigureFactory(seller_case=case, value_before=None)
    SellerFigureEvidenceFactory(fact=figure, source=draft_source)
    SellerFigureFactory(seller_case=case, publication=Publication.DRAFT)
    Source.objects.filter(pk=draft_source.pk).update(publication=Publication.DRAFT)
    return case


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("public", [True, False], ids=["public", "analyst"])
def test_fast_case_rows_match_the_serializer(
    case_with_drafts_around_it, public, language
):
    queryset = (
        SellerCase.objects.public().with_public_figures()
        if public
        else SellerCase.objects.with_related()
    ).order_by("slug")
    with translation.override(language):
        expected = SellerCaseSerializer(
            queryset, many=True, context={"public": public}
        ).data
        fast = represent_cases(case_rows(queryset, public=public), public=public)

    assert as_json(fast) == as_json(expected)
    assert len(fast) == SellerCase.objects.count()
    drafted = next(
        case for case in fast if case["slug"] == case_with_drafts_around_it.slug
    )
    assert len(drafted["strategies"]) == 2
    assert len(drafted["target_regions"]) == 2
    assert (drafted["reacts_to"] is None) == public
    assert len(drafted["figures"]) == (1 if public else 2)
    assert len(drafted["evidence"]) == (1 if public else 2)
