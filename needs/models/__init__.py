from .needs import Measure, Need, Offer
from .surveys import (
    FREQUENCY_RANK,
    Answer,
    Choice,
    Frequency,
    HeldResponse,
    Invitation,
    Question,
    Response,
    ResponseNetwork,
    Survey,
)

__all__ = [
    "FREQUENCY_RANK",
    "Frequency",
    "HeldResponse",
    "Answer",
    "Choice",
    "Invitation",
    "Measure",
    "Need",
    "Offer",
    "Question",
    "Response",
    "ResponseNetwork",
    "Survey",
]
