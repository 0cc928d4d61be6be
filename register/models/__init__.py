from .access import Assignment
from .actors import ActorGroup, Category, LegalBasis, LegalForm, Organisation, OrganisationAlias, Person
from .base import AuditedModel, RecordGone, unique_slug
from .history import ChangeRecord
from .meetings import AgendaItem, Event, File, Meeting
from .memberships import Membership
from .networks import FocusArea, LegislativeTerm, Network, NetworkHost, Programme, ProgrammeSite, TargetGroup, Topic
from .places import Body, Location, Municipality, MunicipalityStatistic

__all__ = [
    "ActorGroup",
    "Assignment",
    "AgendaItem",
    "AuditedModel",
    "Body",
    "Category",
    "ChangeRecord",
    "Event",
    "File",
    "FocusArea",
    "LegalBasis",
    "LegalForm",
    "LegislativeTerm",
    "Location",
    "Meeting",
    "Membership",
    "Municipality",
    "MunicipalityStatistic",
    "Network",
    "NetworkHost",
    "Organisation",
    "OrganisationAlias",
    "Person",
    "Programme",
    "ProgrammeSite",
    "RecordGone",
    "TargetGroup",
    "Topic",
    "unique_slug",
]
