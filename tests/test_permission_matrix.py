"""Every URL of the project declares who may open it, and each role gets the answer the rules give.

Three parts, all read from the URL conf (``ROOT_URLCONF``: the product, its API and the admin site):

1. Every pattern resolves to a view that declares its rule through ``register.guards`` (``@public``,
   ``@requires(predicate)``, ``RequiresMixin``, or for the JSON API permission classes that declare
   one). A new view without a rule fails here.
2. Generated from the same list: every view that is not public sends anonymous visitors to a login, and
   every view whose rule is stricter than "signed in" refuses a login without any role (403) before it
   looks at anything else.
3. A table written out by hand (not derived from the code under test) of representative URLs and the
   answer for anonymous / member / coordinator of another network / coordinator / office.
"""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from register import permissions
from register.guards import public, requires, rule_of
from register.models import Assignment, Event, Meeting, Membership, Network, Organisation, Person
from register.permissions import OFFICE_GROUP

LOGIN = "login"  # a redirect to a login page (the workspace's, or the admin's which leads there)
REDIRECT = 302  # elsewhere (the login page sends a signed-in user on)

# Values tried for each URL parameter until reverse() accepts them (regex patterns restrict some).
SAMPLES = ["1", "x", "csv", "memberships", "netzwerke"]


def url_patterns(patterns=None, namespace=""):
    """(qualified name or None, pattern) for every pattern of the URL conf, through every include."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern


def undeclared(patterns):
    return [pattern.lookup_str for _name, pattern in patterns if rule_of(pattern.callback) is None]


def test_every_view_of_the_project_declares_its_rule():
    patterns = list(url_patterns())
    assert len(patterns) > 300  # the product, the API and the admin site
    assert undeclared(patterns) == []


def test_a_view_without_a_rule_is_found():
    def bare(request):
        raise AssertionError("never called")

    declared = public(lambda request: None)
    guarded = requires(permissions.is_office)(bare)
    patterns = [(None, URLPattern("a/", bare)), (None, URLPattern("b/", declared)), (None, URLPattern("c/", guarded))]
    assert undeclared(patterns) == [URLPattern("a/", bare).lookup_str]
    assert rule_of(guarded) is permissions.is_office


def sample_url(name, pattern):
    """A URL that resolves to ``pattern``'s own view, with made-up parameters; None if there is none."""
    parameters = sorted(pattern.pattern.regex.groupindex)
    parameters = [p for p in parameters if p not in pattern.default_args]
    for values in itertools.product(SAMPLES, repeat=len(parameters)):
        try:
            url = reverse(name, kwargs=dict(zip(parameters, values, strict=True)))
        except NoReverseMatch:
            continue
        return url if resolve(url).func is pattern.callback else None
    return None


def guarded_urls():
    """(url, rule) for every named view whose rule is a predicate other than "anyone"."""
    for name, pattern in url_patterns():
        rule = rule_of(pattern.callback)
        if name is None or not callable(rule) or rule is permissions.anyone:
            continue
        url = sample_url(name, pattern)
        if url is not None:
            yield url, rule


def sends_to_login(response):
    if response.status_code != 302:
        return False
    target = response["Location"].split("?")[0]
    return target in {reverse("workspace:login"), reverse("admin:login")}


def send(client, url):
    """GET, or POST for views that take only POST."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


@pytest.mark.django_db
def test_no_guarded_view_opens_for_an_anonymous_visitor(client):
    checked = 0
    for url, _rule in guarded_urls():
        response = send(client, url)
        assert sends_to_login(response), (url, response.status_code)
        checked += 1
    assert checked > 150


@pytest.mark.django_db
def test_every_rule_stricter_than_signing_in_refuses_a_login_without_a_role(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="a-long-test-password-1"))
    checked = 0
    for url, rule in guarded_urls():
        if rule is permissions.signed_in:
            continue
        response = send(client, url)
        if rule is permissions.can_use_admin:  # the admin site sends to its login, which answers 403
            assert sends_to_login(response), url
        else:
            assert response.status_code == 403, (url, response.status_code)
        checked += 1
    assert checked > 80


def test_staff_role_is_read_once_per_request(django_user_model, django_assert_num_queries):
    network = Network.objects.create(name="Netz", slug="netz")
    user = django_user_model.objects.create_user("coordinating", password="a-long-test-password-1")
    Assignment.objects.create(user=user, network=network, role=Assignment.Role.COORDINATOR)
    with django_assert_num_queries(2):  # the office group, the roles
        assert permissions.is_staff_role(user)
    with django_assert_num_queries(0):
        assert permissions.is_staff_role(user) and permissions.has_internal_access(user)


# --- The table ---------------------------------------------------------------------------------------

ROLES = ["anonymous", "member", "other_coordinator", "coordinator", "office"]


def row(*answers):
    return dict(zip(ROLES, answers, strict=True))


ALL_200 = row(200, 200, 200, 200, 200)
STAFF = row(LOGIN, 403, 200, 200, 200)  # the office and every coordinator
INTERNAL = row(LOGIN, 200, 200, 200, 200)  # everyone with a role
OWN_NETWORK_READ = row(LOGIN, 200, 403, 200, 200)
OWN_NETWORK_EDIT = row(LOGIN, 403, 403, 200, 200)
OFFICE = row(LOGIN, 403, 403, 403, 200)

# (URL name, arguments by fixture, expected answer per role)
EXPECTED = [
    # The public site, OParl, the JSON API, calendars, open data
    ("portal:home", {}, ALL_200),
    ("portal:network", {"slug": "network.slug"}, ALL_200),
    ("portal:event", {"slug": "event.slug"}, ALL_200),
    ("analysis:map", {}, ALL_200),
    ("analysis:options", {"kind": "bodies"}, ALL_200),
    ("api:oparl:system", {}, ALL_200),
    ("api:oparl:network", {"pk": "network.pk"}, ALL_200),
    ("api:rest:network-list", {}, ALL_200),
    ("api:rest:network-detail", {"pk": "network.pk"}, ALL_200),
    ("meetings:public_feed", {}, ALL_200),
    # The workspace
    ("workspace:home", {}, INTERNAL),
    ("workspace:login", {}, row(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    ("workspace:network", {"pk": "network.pk"}, OWN_NETWORK_READ),
    ("workspace:network", {"pk": 999999}, row(LOGIN, 404, 404, 404, 404)),
    ("workspace:network_edit", {"pk": "network.pk"}, OWN_NETWORK_EDIT),
    ("workspace:membership", {"pk": "membership.pk"}, OWN_NETWORK_READ),
    ("workspace:network_create", {}, OFFICE),
    ("workspace:organisations", {}, OFFICE),
    ("workspace:person", {"pk": "person.pk"}, OFFICE),
    ("workspace:users", {}, OFFICE),
    ("workspace:changes", {}, OFFICE),
    ("workspace:locations", {}, STAFF),
    # Meetings and events
    ("meetings:list", {}, INTERNAL),
    ("meetings:meeting", {"pk": "meeting.pk"}, OWN_NETWORK_READ),
    ("meetings:meeting_edit", {"pk": "meeting.pk"}, OWN_NETWORK_EDIT),
    ("meetings:meeting_create", {}, STAFF),
    ("meetings:tracking", {"slug": "network.slug"}, OWN_NETWORK_READ),
    ("meetings:events", {}, INTERNAL),
    ("meetings:event_create", {}, STAFF),
    ("meetings:participants", {"slug": "event.slug"}, OWN_NETWORK_EDIT),
    ("meetings:outbox", {}, OFFICE),
    # Services
    ("needs:needs", {}, INTERNAL),
    ("needs:surveys", {}, OFFICE),
    ("matching:queue", {}, OFFICE),
    ("matching:several", {}, OFFICE),
    ("importing:tabular", {}, INTERNAL),
    ("importing:tabular_template", {"kind": "memberships", "file_format": "csv"}, STAFF),
    ("importing:statistics", {}, OFFICE),
    ("inquiries:inbox", {}, INTERNAL),
    # Django's admin: for technical administrators (is_staff) only, none of the roles above
    ("admin:index", {}, row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
]


@pytest.fixture
def world(django_user_model):
    """Two networks; a member and a coordinator of the first, a coordinator of the second, the office."""
    network = Network.objects.create(name="Arbeitskreis Eigen", slug="ak-eigen")
    other = Network.objects.create(name="Arbeitskreis Fremd", slug="ak-fremd")
    caritas = Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas", category="welfare")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=14)
    users = {"anonymous": None}
    for role, in_network, kind in [
        ("member", network, Assignment.Role.MEMBER),
        ("coordinator", network, Assignment.Role.COORDINATOR),
        ("other_coordinator", other, Assignment.Role.COORDINATOR),
        ("office", None, None),
    ]:
        users[role] = django_user_model.objects.create_user(role, password="a-long-test-password-1")
        if in_network is not None:
            Assignment.objects.create(user=users[role], network=in_network, role=kind)
    users["office"].groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    objects = {
        "network": network,
        "membership": Membership.objects.create(network=network, organisation=caritas),
        "person": Person.objects.create(given_name="Ada", family_name="Muster", organisation=caritas),
        "meeting": Meeting.objects.create(
            network=network, name="Sitzung", start=start, end=start + datetime.timedelta(hours=2)
        ),
        "event": Event.objects.create(
            title="Forum", slug="forum", network=network, start=start, end=start + datetime.timedelta(hours=2)
        ),
    }
    return users, objects


def arguments(values, objects):
    """{"pk": "network.pk"} → the network's key."""
    resolved = {}
    for key, value in values.items():
        if isinstance(value, str) and "." in value:
            name, attribute = value.split(".")
            value = getattr(objects[name], attribute)
        resolved[key] = value
    return resolved


@pytest.mark.parametrize("role", ROLES)
def test_representative_urls_answer_each_role_as_the_table_says(client, world, role):
    users, objects = world
    if users[role] is not None:
        client.force_login(users[role])
    wrong = []
    for name, values, expected in EXPECTED:
        url = reverse(name, kwargs=arguments(values, objects))
        response = client.get(url)
        answer = expected[role]
        if not (sends_to_login(response) if answer == LOGIN else response.status_code == answer):
            wrong.append((name, url, answer, response.status_code))
    assert wrong == []


def test_the_table_names_only_declared_views(world):
    _users, objects = world
    for name, values, _expected in EXPECTED:
        assert rule_of(resolve(reverse(name, kwargs=arguments(values, objects))).func) is not None, name
