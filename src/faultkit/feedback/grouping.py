"""Grouping near-duplicate feedback into clusters, in near-linear time.

The same problem is reported many times, in different words. Two items are *similar*
when the Jaccard similarity of their token sets reaches the threshold::

    J(A, B) = |A & B| / |A | B|

and a *cluster* is a connected group of similar items (single linkage). Comparing all
pairs costs n^2 / 2 similarity computations; this module finds the similar pairs with
MinHash and locality-sensitive hashing (Broder, A. Z. (1997), "On the resemblance and
containment of documents"; Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*,
chapter 3) and then checks each candidate pair with the exact Jaccard similarity:

1. **Normalise** the text (Unicode NFKC, accents removed, case folded, anything that is
   not a letter or a digit becomes a space), split it into words, drop stop words;
   the tokens are the words (``shingle_size=1``) or runs of consecutive words.
2. **Collapse exact duplicates**: items with the same token set are one item from here
   on (so a thousand identical complaints cost one).
3. **MinHash**: for each of ``num_perm`` hash functions ``h_i(x) = (a_i x + b_i) mod p``
   (``p = 2^61 - 1``; ``a_i``, ``b_i`` drawn from ``random.Random(seed)``; ``x`` the
   BLAKE2b hash of the token), the signature keeps the minimum over the tokens. Two sets
   agree on a signature position with probability ``J(A, B)``.
4. **LSH**: the signature is cut into ``bands`` bands of ``rows`` positions. Items that
   agree on a whole band share a bucket and become *candidates*; a pair of similarity
   ``s`` becomes a candidate with probability ``1 - (1 - s^rows)^bands``. The band
   layout is chosen (unless given) to minimise ``0.1 * false positives + 0.9 * false
   negatives`` around the threshold, as datasketch does with equal weights: missing a
   pair costs more than checking one, because candidates are verified anyway.
5. **Verify** candidates with the exact Jaccard similarity and join the similar ones
   (union-find). A bucket of at most 8 items has all its pairs checked; in a larger
   bucket the items are sorted by signature and each is checked against its 2
   neighbours (the sorted-neighbourhood method), so the work stays linear.

Every joined pair really is similar, so a cluster never mixes items that the exhaustive
method (:func:`group_texts_exhaustive`) would keep apart; the method may, rarely, leave
apart items the exhaustive method would join (a similar pair that never shares a bucket).
The result is deterministic for the same input and ``seed``.
"""

from __future__ import annotations

import functools
import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.intake import Feedback
from faultkit.feedback.stopwords import DEFAULT_STOPWORDS
from faultkit.feedback.text import tokens

__all__ = [
    "Cluster",
    "clusters_by_fault",
    "group_feedback",
    "group_texts",
    "group_texts_exhaustive",
    "jaccard",
    "link_fault",
    "lsh_layout",
]

_MERSENNE = (1 << 61) - 1
_SMALL_BUCKET = 8
_NEIGHBOURS = 2
_FP_WEIGHT, _FN_WEIGHT = 0.1, 0.9


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity ``|a & b| / |a | b|``; 0.0 when both are empty."""
    if not a and not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _candidate_integral(
    bands: int, rows: int, low: float, high: float, *, missed: bool, steps: int = 200
) -> float:
    """Trapezoid integral of P(candidate) (or of P(missed) when ``missed``) over s."""

    def f(s: float) -> float:
        p_missed: float = (1 - s**rows) ** bands
        return p_missed if missed else 1 - p_missed

    width = (high - low) / steps
    total = 0.5 * (f(low) + f(high)) + sum(f(low + i * width) for i in range(1, steps))
    return total * width


@functools.lru_cache(maxsize=128)
def lsh_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """The ``(bands, rows)`` layout for a Jaccard ``threshold`` and ``num_perm`` hashes.

    Minimises ``0.1 * FP + 0.9 * FN``, where ``FP`` is the integral over ``s`` in
    ``[0, threshold]`` of the candidate probability ``1 - (1 - s^rows)^bands`` and
    ``FN`` the integral over ``[threshold, 1]`` of its complement; ``bands * rows`` is
    at most ``num_perm``.

    Example:
        >>> lsh_layout(0.5, 64)
        (21, 3)
    """
    _check_threshold(threshold)
    best: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        fp = _candidate_integral(bands, rows, 0.0, threshold, missed=False)
        fn = _candidate_integral(bands, rows, threshold, 1.0, missed=True)
        cost = _FP_WEIGHT * fp + _FN_WEIGHT * fn
        if best is None or cost < best[0] - 1e-12:
            best = (cost, bands, rows)
    assert best is not None
    return best[1], best[2]


def _check_threshold(threshold: object) -> float:
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 < threshold <= 1
    ):
        raise InvalidInputError("threshold", threshold, "expected a similarity in (0, 1]")
    return float(threshold)


class _UnionFind:
    __slots__ = ("parent",)

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            found.setdefault(self.find(i), []).append(i)
        return list(found.values())


def _token_sets(
    texts: Sequence[str], stopwords: Iterable[str], shingle_size: int
) -> list[frozenset[str]]:
    stop = frozenset(stopwords)
    out = []
    for index, text in enumerate(texts):
        if type(text) is not str:
            raise InvalidInputError(f"texts[{index}]", text, "expected a string")
        out.append(tokens(text, stopwords=stop, shingle_size=shingle_size))
    return out


def _check_options(num_perm: object, shingle_size: object) -> None:
    if isinstance(num_perm, bool) or not isinstance(num_perm, int) or not 1 <= num_perm <= 1024:
        raise InvalidInputError("num_perm", num_perm, "expected an integer from 1 to 1024")
    if isinstance(shingle_size, bool) or not isinstance(shingle_size, int) or shingle_size < 1:
        raise InvalidInputError("shingle_size", shingle_size, "expected a positive integer")


def group_texts(
    texts: Sequence[str],
    *,
    threshold: float = 0.5,
    seed: int = 0,
    num_perm: int = 64,
    bands: tuple[int, int] | None = None,
    stopwords: Iterable[str] = DEFAULT_STOPWORDS,
    shingle_size: int = 1,
) -> list[list[int]]:
    """Group near-duplicate texts with MinHash + LSH; see the module documentation.

    Args:
        texts: the texts.
        threshold: the Jaccard similarity from which two texts are near duplicates.
        seed: the seed of the hash functions; the same input and seed give the same
            groups.
        num_perm: the number of MinHash functions (more: fewer missed pairs, slower).
        bands: ``(bands, rows)`` to override the layout :func:`lsh_layout` chooses.
        stopwords: words to leave out.
        shingle_size: 1 for words, ``k`` for runs of ``k`` words.

    Returns:
        The groups as lists of indexes into ``texts``, each sorted, ordered by their
        first index; every index is in exactly one group (a text with no tokens is
        alone).

    Raises:
        InvalidInputError: a text that is not a string, or a bad option.
    """
    threshold = _check_threshold(threshold)
    _check_options(num_perm, shingle_size)
    sets = _token_sets(texts, stopwords, shingle_size)
    n = len(sets)
    joined = _UnionFind(n)
    # Exact duplicates: one representative per distinct non-empty token set.
    representative: dict[frozenset[str], int] = {}
    distinct: list[int] = []
    for i, token_set in enumerate(sets):
        if not token_set:
            continue
        first = representative.setdefault(token_set, i)
        if first == i:
            distinct.append(i)
        else:
            joined.union(first, i)
    if bands is None:
        band_count, rows = lsh_layout(threshold, num_perm)
    else:
        band_count, rows = bands
        if band_count < 1 or rows < 1 or band_count * rows > num_perm:
            raise InvalidInputError("bands", bands, f"need bands * rows <= num_perm ({num_perm})")
    rng = random.Random(seed)
    coefficients = [
        (rng.randrange(1, _MERSENNE), rng.randrange(0, _MERSENNE)) for _ in range(band_count * rows)
    ]
    token_vectors: dict[str, tuple[int, ...]] = {}

    def vector(token: str) -> tuple[int, ...]:
        found = token_vectors.get(token)
        if found is None:
            x = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")
            found = tuple((a * x + b) % _MERSENNE for a, b in coefficients)
            token_vectors[token] = found
        return found

    signatures: dict[int, tuple[int, ...]] = {}
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    for i in distinct:
        vectors = [vector(t) for t in sets[i]]
        signature = vectors[0] if len(vectors) == 1 else tuple(map(min, *vectors))
        signatures[i] = signature
        for band in range(band_count):
            key = (band, signature[band * rows : (band + 1) * rows])
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = [i]
            else:
                bucket.append(i)

    def check(a: int, b: int) -> None:
        if joined.find(a) != joined.find(b) and jaccard(sets[a], sets[b]) >= threshold:
            joined.union(a, b)

    for members in buckets.values():
        size = len(members)
        if size < 2:
            continue
        if size <= _SMALL_BUCKET:
            for x in range(size):
                for y in range(x + 1, size):
                    check(members[x], members[y])
        else:
            ordered = sorted(members, key=signatures.__getitem__)
            for x in range(1, size):
                for y in range(max(0, x - _NEIGHBOURS), x):
                    check(ordered[y], ordered[x])
    return sorted(joined.groups())


def group_texts_exhaustive(
    texts: Sequence[str],
    *,
    threshold: float = 0.5,
    stopwords: Iterable[str] = DEFAULT_STOPWORDS,
    shingle_size: int = 1,
) -> list[list[int]]:
    """The reference: group texts by comparing every pair (n^2 / 2 comparisons).

    Same similarity, same tokens and same output shape as :func:`group_texts`; use it
    to check results on small inputs, never on large ones.
    """
    threshold = _check_threshold(threshold)
    _check_options(1, shingle_size)
    sets = _token_sets(texts, stopwords, shingle_size)
    joined = _UnionFind(len(sets))
    for i, a in enumerate(sets):
        if not a:
            continue
        for j in range(i + 1, len(sets)):
            b = sets[j]
            if b and jaccard(a, b) >= threshold:
                joined.union(i, j)
    return sorted(joined.groups())


# --------------------------------------------------------------------------- clusters


@attrs.frozen(kw_only=True)
class Cluster:
    """A group of feedback items about the same problem.

    Attributes:
        id: ``"C-"`` followed by the id of the earliest item (stable when items are added
            later or come in another order).
        feedback_ids: the items' ids, earliest first (ties by id).
        size: how many items: the problem's frequency.
        customers: how many distinct customers (by ``customer_id``) reported it.
        anonymous: how many items carry no customer id.
        first_seen: when the earliest item came in.
        last_seen: when the latest item came in.
        fault_id: the fault this cluster is linked to, if any.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    feedback_ids: tuple[str, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    size: int = attrs.field(validator=v.non_negative_int)
    customers: int = attrs.field(validator=v.non_negative_int)
    anonymous: int = attrs.field(default=0, validator=v.non_negative_int)
    first_seen: datetime = attrs.field(validator=v.aware_datetime)
    last_seen: datetime = attrs.field(validator=v.aware_datetime)
    fault_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def __attrs_post_init__(self) -> None:
        if not self.feedback_ids:
            raise InvalidInputError("feedback_ids", (), "a cluster has at least one item")
        if self.size != len(self.feedback_ids):
            raise InvalidInputError(
                "size",
                self.size,
                f"must equal the number of feedback_ids ({len(self.feedback_ids)})",
            )
        if self.customers + self.anonymous > self.size:
            raise InvalidInputError(
                "customers", self.customers, "more customers than items in the cluster"
            )
        if self.last_seen < self.first_seen:
            raise InvalidInputError("last_seen", self.last_seen, "is before first_seen")

    @property
    def reach(self) -> int:
        """Customers reached: distinct known customers plus anonymous items."""
        return self.customers + self.anonymous


def _cluster(members: list[Feedback]) -> Cluster:
    members.sort(key=lambda f: (f.received_at, f.id))
    known = {f.customer_id for f in members if f.customer_id is not None}
    return Cluster(
        id=f"C-{members[0].id}",
        feedback_ids=tuple(f.id for f in members),
        size=len(members),
        customers=len(known),
        anonymous=sum(1 for f in members if f.customer_id is None),
        first_seen=members[0].received_at,
        last_seen=members[-1].received_at,
    )


def group_feedback(
    items: Sequence[Feedback],
    *,
    threshold: float = 0.5,
    seed: int = 0,
    num_perm: int = 64,
    stopwords: Iterable[str] = DEFAULT_STOPWORDS,
    shingle_size: int = 1,
    min_size: int = 1,
) -> tuple[Cluster, ...]:
    """Group near-duplicate feedback (subject and text) into clusters.

    Args:
        items: the feedback; ids must be unique.
        threshold, seed, num_perm, stopwords, shingle_size: as for :func:`group_texts`.
        min_size: leave out clusters smaller than this (2 keeps only repeated problems).

    Returns:
        The clusters, largest first (ties: earliest first, then by id).

    Raises:
        InvalidInputError: duplicate ids, an item that is not a
            :class:`~faultkit.feedback.Feedback`, or a bad option.
    """
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, Feedback):
            raise InvalidInputError(f"items[{index}]", item, "expected a Feedback record")
        if item.id in seen:
            raise InvalidInputError(f"items[{index}].id", item.id, "duplicate feedback id")
        seen.add(item.id)
    texts = [f.text if f.subject is None else f"{f.subject} {f.text}" for f in items]
    groups = group_texts(
        texts,
        threshold=threshold,
        seed=seed,
        num_perm=num_perm,
        stopwords=stopwords,
        shingle_size=shingle_size,
    )
    clusters = [_cluster([items[i] for i in group]) for group in groups if len(group) >= min_size]
    clusters.sort(key=lambda c: (-c.size, c.first_seen, c.id))
    return tuple(clusters)


def link_fault(cluster: Cluster, fault_id: str) -> Cluster:
    """A copy of ``cluster`` linked to the fault ``fault_id``.

    Raises:
        InvalidInputError: ``fault_id`` is blank or not a string.
    """
    return attrs.evolve(cluster, fault_id=fault_id)


def clusters_by_fault(clusters: Iterable[Cluster]) -> Mapping[str, tuple[Cluster, ...]]:
    """The linked clusters of each fault id (unlinked clusters are left out)."""
    out: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        if cluster.fault_id is not None:
            out.setdefault(cluster.fault_id, []).append(cluster)
    return {fault: tuple(found) for fault, found in out.items()}
