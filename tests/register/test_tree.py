"""The tree of organisations read in one query (register.tree), and the member list that uses it."""

from register import tree
from register.directory import attach_ancestors
from register.models import Organisation


def chain(prefix, depth):
    """A top organisation and ``depth`` units below it, each a unit of the one before."""
    organisations = [Organisation.objects.create(name=prefix, slug=prefix)]
    for level in range(depth):
        organisations.append(
            Organisation.objects.create(name=f"{prefix} {level}", slug=f"{prefix}-{level}", parent=organisations[-1])
        )
    return organisations


def test_the_organisations_above_are_read_in_one_query_however_deep(db, django_assert_num_queries):
    first, second = chain("a", 6), chain("b", 2)
    with django_assert_num_queries(1):
        rows = tree.with_ancestors([first[-1].pk, second[1].pk])
    assert rows == {org.pk: (org.parent_id, org.name) for org in first + second[:2]}
    with django_assert_num_queries(0):
        assert tree.with_ancestors([]) == {}


def test_the_units_below_are_read_in_one_query_with_their_top_organisation(db, django_assert_num_queries):
    first, second, other = chain("a", 6), chain("b", 2), chain("c", 1)
    with django_assert_num_queries(1):
        below = tree.units_below([first[0].pk, second[0].pk])
    assert below == {**{org.pk: first[0].pk for org in first}, **{org.pk: second[0].pk for org in second}}
    assert other[1].pk not in below


def test_attach_ancestors_reads_them_in_one_query_and_keeps_the_instances_given(db, django_assert_num_queries):
    first = chain("a", 5)
    deepest = Organisation.objects.get(pk=first[-1].pk)
    middle = Organisation.objects.get(pk=first[2].pk)
    with django_assert_num_queries(1):
        attach_ancestors([deepest, middle])
    with django_assert_num_queries(0):
        assert deepest.full_name == "a - a 0 - a 1 - a 2 - a 3 - a 4"
        assert deepest.parent.parent.parent is middle
