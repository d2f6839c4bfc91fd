"""What the API's answers read and write: the question asked and each cell answered,
for /api/status/, /api/changes/ and the preview of publishing mode events."""

from status.api.serializers.changes import ChangesQuerySerializer, ChangesSerializer
from status.api.serializers.preview import (
    PreviewQuerySerializer,
    PreviewSerializer,
    PublishSerializer,
)
from status.api.serializers.status import ModeStatusSerializer, StatusQuerySerializer

__all__ = [
    "ChangesQuerySerializer",
    "ChangesSerializer",
    "ModeStatusSerializer",
    "PreviewQuerySerializer",
    "PreviewSerializer",
    "PublishSerializer",
    "StatusQuerySerializer",
]
