"""The resources of the JSON API."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("networks", views.NetworkViewSet, basename="network")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("actor-groups", views.ActorGroupViewSet, basename="actor-group")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("events", views.EventViewSet, basename="event")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
