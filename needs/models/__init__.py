from .needs import Measure, Need, Offer
from .surveys import (
    FREQUENCY_RANK,
    Answer,
    Choice,
    Frequency,
    HeldResponse,
    Question,
    Response,
    ResponseNetwork,
    Survey,
    SurveyInvitation,
)

__all__ = [
    "FREQUENCY_RANK",
    "Frequency",
    "HeldResponse",
    "Answer",
    "Choice",
    "SurveyInvitation",
    "Measure",
    "Need",
    "Offer",
    "Question",
    "Response",
    "ResponseNetwork",
    "Survey",
]
