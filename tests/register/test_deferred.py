"""register.deferred: work after changes runs at once, or once for all changes of a gathered block."""

import pytest
from django.db import transaction

from register.deferred import gathered, later


class Task:
    def __init__(self, more=None):
        self.calls = []
        self.more = more

    def __call__(self, ids):
        self.calls.append(ids)
        if self.more:
            later(self.more, ids)


def test_outside_a_block_the_work_runs_at_once_with_each_id_once():
    task = Task()
    later(task, [3, 1, 3])
    later(task, [])
    assert task.calls == [[3, 1]]


def test_a_block_runs_each_task_once_with_all_its_ids_when_it_ends():
    networks, organisations = Task(), Task()
    with gathered():
        later(networks, [5])
        later(organisations, [2])
        later(networks, [1, 5])
        with gathered():  # an inner block leaves the work to the outer one
            later(networks, [9])
        assert networks.calls == organisations.calls == []
    assert networks.calls == [[1, 5, 9]]
    assert organisations.calls == [[2]]
    later(networks, [4])
    assert networks.calls[-1] == [4]


def test_work_a_task_asks_for_is_done_before_the_block_ends():
    follow_up = Task()
    with gathered():
        later(Task(more=follow_up), [7])
    assert follow_up.calls == [[7]]


def test_an_error_drops_the_work():
    task = Task()
    with pytest.raises(ValueError), gathered():
        later(task, [1])
        raise ValueError
    assert task.calls == []


@pytest.mark.django_db
def test_a_transaction_marked_for_rollback_drops_the_work():
    task = Task()
    with transaction.atomic(), gathered():
        later(task, [1])
        transaction.set_rollback(True)
    assert task.calls == []
