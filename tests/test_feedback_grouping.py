"""Grouping near-duplicate feedback with MinHash + LSH, and clusters linked to faults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    MINHASH_CACHE_SIZE,
    Cluster,
    Feedback,
    MinHasher,
    clusters_by_fault,
    group_feedback,
    group_texts,
    group_texts_exhaustive,
    jaccard,
    link_fault,
    lsh_layout,
    normalise_text,
    tokens,
)
from faultkit.models import IntakeChannel
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.feedback import clusters

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)

TEXTS = [
    "The printer jams after the firmware update",  # 0
    "After the firmware update my printer jams",  # 1
    "Printer jams since firmware update!!",  # 2
    "App crashes on login",  # 3
    "the APP crashes at login",  # 4
    "Please add a dark mode",  # 5
    "",  # 6
    "Le café crashe à l'ouverture",  # 7
    "le cafe crashe a l ouverture",  # 8
]


def test_normalise_and_tokens() -> None:
    assert normalise_text("  Le Café   CRASHES!! ") == "le cafe crashes"
    assert normalise_text("\uff26\uff35\uff2c\uff2c width") == "full width"
    assert tokens("The printer is jammed") == frozenset({"printer", "jammed"})
    assert tokens("a b c", stopwords=(), shingle_size=2) == frozenset({"a b", "b c"})
    assert tokens("one", stopwords=(), shingle_size=3) == frozenset({"one"})
    assert tokens("the", shingle_size=2) == frozenset()


def test_jaccard() -> None:
    assert jaccard(frozenset("ab"), frozenset("bc")) == pytest.approx(1 / 3)
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_groups_on_a_hand_made_example() -> None:
    groups = group_texts(TEXTS, threshold=0.5)
    assert groups == [[0, 1, 2], [3, 4], [5], [6], [7, 8]]
    assert groups == group_texts_exhaustive(TEXTS, threshold=0.5)


def test_layout_and_bad_options() -> None:
    bands, rows = lsh_layout(0.8, 128)
    assert bands * rows <= 128
    assert lsh_layout(0.3, 64)[1] < lsh_layout(0.9, 64)[1]  # stricter threshold, longer bands
    for bad in (0, 1.5, True, "0.5"):
        with pytest.raises(InvalidInputError) as info:
            group_texts(TEXTS, threshold=bad)  # type: ignore[arg-type]
        assert info.value.field == "threshold"
    with pytest.raises(InvalidInputError):
        group_texts(TEXTS, num_perm=0)
    with pytest.raises(InvalidInputError):
        group_texts(TEXTS, bands=(40, 4), num_perm=64)
    with pytest.raises(InvalidInputError) as bad_text:
        group_texts(["ok", 3])  # type: ignore[list-item]
    assert bad_text.value.field == "texts[1]"


_vocabulary = st.sampled_from(
    [
        "printer",
        "jams",
        "crash",
        "login",
        "slow",
        "update",
        "firmware",
        "app",
        "screen",
        "blank",
        "error",
        "invoice",
        "pdf",
    ]
)
_texts = st.lists(
    st.lists(_vocabulary, min_size=0, max_size=6).map(" ".join), min_size=0, max_size=40
)


def _check_partition(groups: list[list[int]], n: int) -> None:
    flat = [i for g in groups for i in g]
    assert sorted(flat) == list(range(n))
    assert all(g == sorted(g) for g in groups)
    assert [g[0] for g in groups] == sorted(g[0] for g in groups)


def _check_stars(groups: list[list[int]], texts: list[str], threshold: float) -> None:
    """Every member is similar to its group's representative (its first index)."""
    for group in groups:
        leader = tokens(texts[group[0]])
        for i in group[1:]:
            assert jaccard(leader, tokens(texts[i])) >= threshold


@settings(max_examples=150, deadline=None)
@given(_texts, st.sampled_from([0.3, 0.5, 0.8, 1.0]), st.integers(0, 3))
def test_members_are_similar_to_their_representative(
    texts: list[str], threshold: float, seed: int
) -> None:
    fast = group_texts(texts, threshold=threshold, seed=seed)
    exact = group_texts_exhaustive(texts, threshold=threshold)
    for groups in (fast, exact):
        _check_partition(groups, len(texts))
        _check_stars(groups, texts, threshold)
    # the exhaustive method's representatives are not similar to each other
    leaders = [tokens(texts[g[0]]) for g in exact if tokens(texts[g[0]])]
    for x, a in enumerate(leaders):
        for b in leaders[x + 1 :]:
            assert jaccard(a, b) < threshold
    assert fast == group_texts(texts, threshold=threshold, seed=seed)  # deterministic


def test_groups_do_not_chain() -> None:
    # Each text is similar to the next one, the ends are not: single linkage would put
    # the five in one group, through a path of neighbours.
    chain = [
        "delivery too slow cold food",
        "delivery too slow cold food wrong order",
        "slow cold food wrong order rude driver",
        "cold food wrong order rude driver tastes bad",
        "wrong order rude driver tastes bad",
    ]
    for method in (group_texts, group_texts_exhaustive):
        groups = method(chain, threshold=0.5)
        assert [0, 1] in groups
        assert all(not {0, 4} <= set(g) for g in groups)
        _check_stars(groups, chain, 0.5)


def test_a_text_joins_its_most_similar_representative() -> None:
    texts = ["a b c d", "e f g h", "a b e f g h"]  # J(2, 0) = 2/8, J(2, 1) = 4/6
    for method in (group_texts, group_texts_exhaustive):
        assert method(texts, threshold=0.25, stopwords=()) == [[0], [1, 2]]


@settings(max_examples=80, deadline=None)
@given(_texts)
def test_identical_texts_are_always_together(texts: list[str]) -> None:
    doubled = texts + texts
    groups = group_texts(doubled)
    where = {i: k for k, group in enumerate(groups) for i in group}
    for i, text in enumerate(texts):
        if tokens(text):
            assert where[i] == where[i + len(texts)]


def test_lsh_finds_nearly_every_pair_at_scale() -> None:
    # 60 problems reported 5 times each with one word changed: J >= 7/9 within a problem.
    import random

    rng = random.Random(7)
    words = [f"w{i}" for i in range(3000)]
    texts = []
    for _ in range(60):
        base = rng.sample(words, 8)
        for _ in range(5):
            variant = list(base)
            variant[rng.randrange(8)] = rng.choice(words)
            texts.append(" ".join(variant))

    def pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
        return {(a, b) for g in groups for a in g for b in g if a < b}

    found = pairs(group_texts(texts, threshold=0.5))
    wanted = pairs(group_texts_exhaustive(texts, threshold=0.5))
    assert len(found & wanted) >= 0.98 * len(wanted)
    assert len(found & wanted) >= 0.98 * len(found)


def _item(i: int, text: str, customer: str | None, minutes: int) -> Feedback:
    return Feedback(
        id=f"f{i}",
        channel=IntakeChannel.STAFF,
        received_at=AT + timedelta(minutes=minutes),
        text=text,
        customer_id=customer,
    )


def test_group_feedback_clusters() -> None:
    items = [
        _item(1, TEXTS[0], "c1", 30),
        _item(2, TEXTS[1], "c2", 10),
        _item(3, TEXTS[2], "c1", 20),
        _item(4, TEXTS[3], None, 5),
        _item(5, TEXTS[4], None, 0),
        _item(6, TEXTS[5], "c3", 1),
    ]
    found = group_feedback(items)
    assert [c.id for c in found] == ["C-f2", "C-f5", "C-f6"]
    printer = found[0]
    assert printer.feedback_ids == ("f2", "f3", "f1")
    assert (printer.size, printer.customers, printer.anonymous, printer.reach) == (3, 2, 0, 2)
    assert (printer.first_seen, printer.last_seen) == (
        AT + timedelta(minutes=10),
        AT + timedelta(minutes=30),
    )
    assert (found[1].customers, found[1].anonymous, found[1].reach) == (0, 2, 2)
    assert [c.id for c in group_feedback(items, min_size=2)] == ["C-f2", "C-f5"]
    # Stable under input order.
    assert group_feedback(list(reversed(items))) == found


def test_link_fault() -> None:
    cluster = group_feedback([_item(1, "printer jams", "c1", 0)])[0]
    linked = link_fault(cluster, "F-17")
    assert linked.fault_id == "F-17"
    assert cluster.fault_id is None
    assert clusters_by_fault([linked, cluster]) == {"F-17": (linked,)}
    with pytest.raises(InvalidInputError):
        link_fault(cluster, "  ")


def test_group_feedback_refuses_duplicate_ids_and_bad_clusters() -> None:
    with pytest.raises(InvalidInputError) as info:
        group_feedback([_item(1, "a", None, 0), _item(1, "b", None, 0)])
    assert info.value.field == "items[1].id"
    with pytest.raises(InvalidInputError):
        group_feedback(["text"])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="size"):
        Cluster(id="C", feedback_ids=("a",), size=2, customers=0, first_seen=AT, last_seen=AT)
    with pytest.raises(InvalidInputError):
        Cluster(id="C", feedback_ids=(), size=0, customers=0, first_seen=AT, last_seen=AT)
    with pytest.raises(InvalidInputError):
        Cluster(
            id="C",
            feedback_ids=("a",),
            size=1,
            customers=1,
            anonymous=1,
            first_seen=AT,
            last_seen=AT,
        )
    with pytest.raises(InvalidInputError):
        Cluster(
            id="C",
            feedback_ids=("a",),
            size=1,
            customers=0,
            first_seen=AT,
            last_seen=AT - timedelta(1),
        )


@settings(max_examples=60, deadline=None)
@given(clusters())
def test_cluster_round_trip(cluster: Cluster) -> None:
    assert from_dict(to_dict(cluster), Cluster) == cluster


def test_groups_do_not_depend_on_python_hash_randomisation() -> None:
    # str hashes change between interpreter runs; the grouping must not.
    import os
    import subprocess
    import sys

    code = (
        "from faultkit.feedback.grouping import group_texts\n"
        "texts = [f'printer jam tray {i % 7} code {i % 5} after update' for i in range(300)]\n"
        "print(group_texts(texts, threshold=0.6, seed=3))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_a_long_chain_stays_apart_at_scale() -> None:
    # 2,000 texts, each sharing 3 of its 4 words with the next: single linkage would
    # make one group of all of them; around representatives no group reaches past the
    # texts similar to its first one.
    texts = [" ".join(f"w{i + k}" for k in range(4)) for i in range(2_000)]
    for groups in (group_texts(texts, stopwords=()), group_texts_exhaustive(texts, stopwords=())):
        _check_partition(groups, len(texts))
        _check_stars(groups, texts, 0.5)
        assert max(len(g) for g in groups) <= 3  # J(i, i+1) = 3/5, J(i, i+2) = 2/6


def test_many_texts_around_one_problem_form_one_group() -> None:
    texts = [f"screen flickers after update x{i}" for i in range(3_000)]  # J = 4/6
    assert group_texts_exhaustive(texts[:300]) == [list(range(300))]
    # LSH misses a pair of J = 4/6 with probability (1 - (4/6)^3)^21, about 0.0006
    groups = group_texts(texts)
    assert groups[0][0] == 0
    assert len(groups[0]) >= 0.99 * len(texts)


@settings(max_examples=60, deadline=None)
@given(
    st.frozensets(st.text(min_size=1, max_size=6), min_size=1, max_size=12),
    st.frozensets(st.text(min_size=1, max_size=6), min_size=1, max_size=12),
)
def test_minhash_agreement_estimates_jaccard_and_is_order_free(
    a: frozenset[str], b: frozenset[str]
) -> None:
    hasher = MinHasher(bands=64, rows=1, seed=3)
    sa, sb = hasher.signature(a), hasher.signature(b)
    assert sa == MinHasher(bands=64, rows=1, seed=3).signature(frozenset(sorted(a)))
    agree = sum(x == y for x, y in zip(sa, sb, strict=True)) / 64
    if a == b:
        assert agree == 1.0
    if a.isdisjoint(b):
        assert agree == 0.0  # a 2^61 hash collision aside
    assert abs(agree - jaccard(a, b)) <= 0.45  # 64 samples: a loose bound that can fail


def test_minhash_refuses_empty_sets_and_bad_layouts() -> None:
    with pytest.raises(InvalidInputError, match="token_set"):
        MinHasher(bands=2, rows=2).signature(frozenset())
    with pytest.raises(InvalidInputError, match="rows"):
        MinHasher(bands=2, rows=0)
    small = MinHasher(bands=4, rows=2, cache_size=1)  # the cache is emptied, results unchanged
    keys = small.band_keys(frozenset({"x", "y", "z"}))
    assert keys == MinHasher(bands=4, rows=2).band_keys(frozenset({"z", "y", "x"}))


@pytest.mark.parametrize("bad", [frozenset({1, 2}), frozenset({"a", None}), "abc", b"ab"])
def test_minhash_refuses_what_is_not_a_set_of_string_tokens(bad: object) -> None:
    # an int token was an AttributeError ('int' has no 'encode'), and a string was read
    # as the set of its characters
    hasher = MinHasher(bands=2, rows=2)
    hasher.signature(frozenset({"a"}))  # cached: a hit does not hide the refusal
    with pytest.raises(InvalidInputError) as caught:
        hasher.band_keys(bad)  # type: ignore[arg-type]
    assert caught.value.field == "token_set"


@given(st.frozensets(st.text(min_size=1, max_size=6), min_size=1, max_size=8))
def test_minhash_signatures_are_plain_tuples_whatever_the_cache(tokens: frozenset[str]) -> None:
    # the cache keeps compact arrays; what leaves the hasher is a hashable tuple of ints,
    # the same with a cache of one token as with the default one
    big, small = MinHasher(bands=8, rows=8), MinHasher(bands=8, rows=8, cache_size=1)
    signature = big.signature(tokens)
    assert type(signature) is tuple
    assert len(signature) == 64
    assert all(type(x) is int and 0 <= x < 2**61 - 1 for x in signature)
    assert signature == small.signature(tokens) == big.signature(tokens)
    assert len(set(big.band_keys(tokens))) == 8  # hashable keys, one per band
    assert MINHASH_CACHE_SIZE >= 1 << 18  # the distinct bigrams of 100,000 Chinese texts
