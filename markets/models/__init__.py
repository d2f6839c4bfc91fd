"""Markets, the sources that speak of them, and the dated events of TikTok Shop's modes.

The models are laid out by what they hold, each module importing those before it:

- ``choices``: the vocabularies, the bounds of each figure unit, the validators;
- ``bases``: what every record shares (natural keys, publication, versions, the two
  languages, facts, figure values);
- ``markets``: regions and markets;
- ``evidence``: the evidence quoted from sources (abstract: each fact has its table);
- ``sources``: sources, their archived texts, and disputes;
- ``events``: the dated events of the modes and their evidence;
- ``figures``: figures about markets, regions and the platform, and how a value reads;
- ``records``: tombstones of deleted records, and the record version.

Every name is importable from ``markets.models`` itself, as migrations and the rest of
the project do.
"""

# isort: off
# Imported in this order so that the models register in it, as they did in one module.
from markets.dates import published_by
from markets.models.choices import (
    UNIT_BOUNDS,
    ArchiveKind,
    EventKind,
    EventScope,
    FigureUnit,
    Language,
    Mode,
    Publication,
    Qualifier,
    SourceKind,
    Status,
    StatusSet,
    Verification,
    validate_country_code,
    validate_web_url,
)
from markets.models.bases import (
    SLUG_HELP,
    Bilingual,
    Content,
    DerivedSlug,
    Fact,
    FactQuerySet,
    FigureValue,
    NaturalKeyQuerySet,
    NaturallyKeyed,
    PublishableQuerySet,
    StaleEditError,
    Timestamped,
    Vocabulary,
    fuzzy_date_errors,
    in_language,
    public_or_none,
    unit_bound_constraints,
)
from markets.models.markets import (
    Market,
    MarketQuerySet,
    Region,
    events_keeping,
    market_label,
    refuse_deleting_markets_with_events,
)
from markets.models.evidence import Evidence, EvidenceQuerySet
from markets.models.sources import (
    Dispute,
    DisputeQuerySet,
    Source,
    SourceQuerySet,
    SourceText,
    SourceTextQuerySet,
    source_label,
)
from markets.models.events import EventEvidence, ModeEvent, ModeEventQuerySet
from markets.models.figures import (
    QUALIFIER_SYMBOLS,
    UNIT_SYMBOLS,
    FigureQuerySet,
    MarketFigure,
    MarketFigureEvidence,
    MarketFigureQuerySet,
    format_figure,
)
from markets.models.records import (
    DERIVED,
    RecordPart,
    RecordVersion,
    ShownRevision,
    TableRevision,
    Tombstone,
)
# isort: on

__all__ = [
    # choices
    "Publication",
    "Mode",
    "EventKind",
    "Status",
    "StatusSet",
    "EventScope",
    "SourceKind",
    "ArchiveKind",
    "Verification",
    "Language",
    "FigureUnit",
    "UNIT_BOUNDS",
    "Qualifier",
    "validate_country_code",
    "validate_web_url",
    # bases
    "NaturalKeyQuerySet",
    "PublishableQuerySet",
    "FactQuerySet",
    "NaturallyKeyed",
    "SLUG_HELP",
    "Bilingual",
    "DerivedSlug",
    "Timestamped",
    "Vocabulary",
    "StaleEditError",
    "Content",
    "Fact",
    "fuzzy_date_errors",
    "public_or_none",
    "FigureValue",
    "unit_bound_constraints",
    # markets
    "Region",
    "events_keeping",
    "refuse_deleting_markets_with_events",
    "MarketQuerySet",
    "Market",
    # evidence
    "EvidenceQuerySet",
    "Evidence",
    # sources
    "published_by",
    "source_label",
    "market_label",
    "in_language",
    "SourceQuerySet",
    "Source",
    "SourceTextQuerySet",
    "SourceText",
    "DisputeQuerySet",
    "Dispute",
    # events
    "ModeEventQuerySet",
    "ModeEvent",
    "EventEvidence",
    # figures
    "FigureQuerySet",
    "MarketFigureQuerySet",
    "MarketFigure",
    "MarketFigureEvidence",
    "UNIT_SYMBOLS",
    "QUALIFIER_SYMBOLS",
    "format_figure",
    # records
    "Tombstone",
    "RecordPart",
    "RecordVersion",
    "ShownRevision",
    "TableRevision",
    "DERIVED",
]
