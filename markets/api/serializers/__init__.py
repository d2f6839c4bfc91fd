"""What the API reads and writes for markets, sources, events and figures.

Rules live on the models: every write goes through the model's ``full_clean()`` (as
NetBox's serializers do) and the model's own errors come back field by field. A fact is
written with its evidence in one transaction, so a bad quote leaves nothing behind.
"""

from markets.api.serializers.events import EventBriefSerializer, ModeEventSerializer
from markets.api.serializers.evidence import (
    EvidenceSerializer,
    EvidenceSourceField,
    EvidenceSourceFieldSchema,
    FactSerializer,
    SelectorSerializer,
    SourceBriefSerializer,
)
from markets.api.serializers.fields import (
    DATE_EARLIEST_HELP,
    DATE_LATEST_HELP,
    DISPUTED_HELP,
    FIELD_HELP,
    NULL_CHARACTER_MESSAGE,
    Conflict,
    ContentSerializer,
    DescribedModelSerializer,
    FullCleanModelSerializer,
    KeyRelatedField,
    OptionalURLField,
    PublicKeyRelatedField,
    VersionRequired,
    model_field_errors,
)
from markets.api.serializers.markets import (
    DisputeBriefSerializer,
    DisputeSerializer,
    MarketFigureSerializer,
    MarketSerializer,
    SourceSerializer,
    SourceTextSerializer,
)

__all__ = [
    "DATE_EARLIEST_HELP",
    "DATE_LATEST_HELP",
    "DISPUTED_HELP",
    "FIELD_HELP",
    "NULL_CHARACTER_MESSAGE",
    "Conflict",
    "ContentSerializer",
    "DescribedModelSerializer",
    "DisputeBriefSerializer",
    "DisputeSerializer",
    "EventBriefSerializer",
    "EvidenceSerializer",
    "EvidenceSourceField",
    "EvidenceSourceFieldSchema",
    "FactSerializer",
    "FullCleanModelSerializer",
    "KeyRelatedField",
    "MarketFigureSerializer",
    "MarketSerializer",
    "ModeEventSerializer",
    "OptionalURLField",
    "PublicKeyRelatedField",
    "SelectorSerializer",
    "SourceBriefSerializer",
    "SourceSerializer",
    "SourceTextSerializer",
    "VersionRequired",
    "model_field_errors",
]
