"""Learning from the office's decisions: the weights of the matcher's reasons, fitted to the pairs
that people confirmed (or recorded as a unit) and rejected.

The verdict's reasons and score become features; a small logistic regression, trained on most of
the decisions, says how likely a pair is to be worth a person's review. A quarter of the decisions
(chosen by a checksum of the pair, so the same pairs stay out) is kept out of the training and
decides whether the learnt weights are used: only when they decide more of those held-out pairs
right than the matcher's own rule does.
"""

import math
import zlib

from django.utils import timezone

from .matcher import DISTINCT, THRESHOLD, Candidate, Verdict, compare_entries, normalise_entries

# Reasons the matcher gives; each is a feature, with the score and whether the verdict is "unit of".
CODES = [
    "same_words", "concept", "spelling", "compound", "acronym", "place_missing", "place_extra",
    "place_differs", "level_differs", "different_words", "extra_words", "legal_form_differs",
    "legal_form_missing", "administration", "department", "organisation_level_differs", "alias",
]  # fmt: skip
MINIMUM_TRAINING = 8  # decisions needed to train at all
MINIMUM_HELD_OUT = 3
EPOCHS = 400
LEARNING_RATE = 0.5
L2 = 0.01


def features(verdict):
    codes = {code for code, _params in verdict.reasons}
    return [1.0, verdict.score, 1.0 if verdict.kind not in ("duplicate", DISTINCT) else 0.0] + [
        1.0 if code in codes else 0.0 for code in CODES
    ]


def _sigmoid(value):
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, value))))


def fit(examples):
    """Weights of a logistic regression on [(features, label)] by gradient descent."""
    width = len(examples[0][0])
    weights = [0.0] * width
    for _epoch in range(EPOCHS):
        gradient = [0.0] * width
        for row, label in examples:
            error = _sigmoid(sum(w * x for w, x in zip(weights, row, strict=True))) - label
            for index, value in enumerate(row):
                gradient[index] += error * value
        for index in range(width):
            penalty = L2 * weights[index] if index else 0.0
            weights[index] -= LEARNING_RATE * (gradient[index] / len(examples) + penalty)
    return weights


class Calibration:
    """Learnt weights applied to a verdict: its score becomes 0.8 ± 0.2 around the learnt 50 % line,
    so that ``Verdict.proposed`` follows the learnt weights. A distinct verdict stays distinct."""

    def __init__(self, weights):
        self.weights = weights

    def probability(self, verdict):
        return _sigmoid(sum(w * x for w, x in zip(self.weights, features(verdict), strict=True)))

    def adjust(self, verdict):
        if verdict.kind == DISTINCT:
            return verdict
        score = round(THRESHOLD + (self.probability(verdict) - 0.5) * 0.4, 3)
        return Verdict(verdict.kind, score, verdict.reasons)


def decision_examples(decisions, normaliser):
    """[(decision pk, verdict, label)]: 1 for a pair confirmed or recorded as a unit, 0 for a rejected one."""
    found = []
    for pk, first_name, second_name, decision in decisions:
        left, right = normalise_entries([Candidate(1, [first_name]), Candidate(2, [second_name])], normaliser)
        verdict = compare_entries(left, right, prefilter=False)
        found.append((pk, verdict, 0.0 if decision == "rejected" else 1.0))
    return found


def evaluate(examples, weights=None):
    """How many of the examples the rule (or the weights) decide right."""
    calibration = Calibration(weights) if weights else None
    right = 0
    for _pk, verdict, label in examples:
        proposed = calibration.adjust(verdict).proposed if calibration else verdict.proposed
        right += proposed == bool(label)
    return right


def is_held_out(first_name, second_name):
    """A quarter of the pairs, always the same ones: they measure the weights and never train them."""
    return zlib.crc32(f"{first_name}\n{second_name}".encode()) % 4 == 0


def learn():
    """Train on the decisions, measure on the held-out ones, store the result; returns it (or None)."""
    from .matcher import register_normaliser
    from .models import LearnedWeights, MatchDecision

    decisions = list(MatchDecision.objects.values_list("pk", "first_name", "second_name", "decision"))
    examples = decision_examples(decisions, register_normaliser())
    held = {pk for pk, first, second, _decision in decisions if is_held_out(first, second)}
    training = [example for example in examples if example[0] not in held]
    held_out = [example for example in examples if example[0] in held]
    if len(training) < MINIMUM_TRAINING or len(held_out) < MINIMUM_HELD_OUT:
        return None
    if len({label for _pk, _verdict, label in training}) < 2:
        return None  # only one kind of decision: nothing to tell apart
    weights = fit([(features(verdict), label) for _pk, verdict, label in training])
    base, learned = evaluate(held_out), evaluate(held_out, weights)
    return LearnedWeights.objects.create(
        weights={"features": ["bias", "score", "unit", *CODES], "values": weights},
        trained_on=len(training),
        held_out=len(held_out),
        base_correct=base,
        learned_correct=learned,
        in_use=learned > base,
        trained_at=timezone.now(),
    )


def current_calibration():
    """The learnt weights in use, as a Calibration, or None (one query)."""
    from .models import LearnedWeights

    latest = LearnedWeights.objects.order_by("-trained_at", "-pk").first()
    if latest is None or not latest.in_use or latest.weights.get("features", [])[3:] != CODES:
        return None
    return Calibration(latest.weights["values"])
