from .access import Assignment
from .actors import ActorGroup, Category, LegalBasis, LegalForm, Organisation, OrganisationAlias, Person
from .base import AuditedModel, RecordGone, unique_slug
from .councils import DelegatingCouncil
from .history import ChangeRecord
from .meetings import AgendaItem, Event, File, FollowUp, Meeting, number_agenda
from .memberships import MAY_CARRY_FLAG, Membership, active_condition
from .networks import FocusArea, LegislativeTerm, Network, NetworkHost, Programme, ProgrammeSite, TargetGroup, Topic
from .places import Body, Location, Municipality, MunicipalityStatistic
from .site import SiteIdentity, SitePage
from .translations import Translation, TranslationWork

__all__ = [
    "Translation",
    "TranslationWork",
    "ActorGroup",
    "Assignment",
    "AgendaItem",
    "AuditedModel",
    "Body",
    "Category",
    "DelegatingCouncil",
    "ChangeRecord",
    "Event",
    "File",
    "FocusArea",
    "FollowUp",
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
    "SiteIdentity",
    "SitePage",
    "TargetGroup",
    "Topic",
    "number_agenda",
    "MAY_CARRY_FLAG",
    "active_condition",
    "unique_slug",
]
