"""Grouping near-duplicate feedback into clusters, in near-linear time, without chaining.

The same problem is reported many times, in different words. Two items are *similar*
when the Jaccard similarity of their token sets reaches the threshold::

    J(A, B) = |A & B| / |A | B|

A *cluster* has a **representative**, its earliest item, and every member is similar to
the representative: ``J(member, representative) >= threshold``. Members are not merely
linked through a path of neighbours (single linkage), which chains "too slow" to "tastes
bad" through a text that says both; here two members of a cluster are at Jaccard
distance at most ``2 * (1 - threshold)`` of each other (the Jaccard distance is a
metric), and representatives are not similar to each other. This is leader clustering
(Hartigan, J. A. (1975), *Clustering Algorithms*, chapter 3) with the candidates found
by MinHash and locality-sensitive hashing (Broder, A. Z. (1997), "On the resemblance and
containment of documents"; Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*,
chapter 3):

1. **Tokens**: :func:`faultkit.feedback.text.tokens` (NFKC, case folding, entities as
   placeholders and left out, stop words per language left out, words of spaced
   scripts, character bigrams of Chinese, Japanese, Thai...); ``shingle_size=k`` takes
   runs of ``k`` terms instead.
2. **Collapse exact duplicates**: items with the same token set are one item from here
   on (so a thousand identical complaints cost one).
3. **MinHash**: for each of ``num_perm`` hash functions ``h_i(x) = (a_i x + b_i) mod p``
   (``p = 2^61 - 1``; ``a_i``, ``b_i`` drawn from ``random.Random(seed)``; ``x`` the
   BLAKE2b hash of the token), the signature keeps the minimum over the tokens. Two sets
   agree on a signature position with probability ``J(A, B)``.
4. **LSH**: the signature is cut into ``bands`` bands of ``rows`` positions; a pair of
   similarity ``s`` agrees on a whole band with probability ``1 - (1 - s^rows)^bands``.
   The band layout is chosen (unless given) to minimise ``0.1 * false positives + 0.9 *
   false negatives`` around the threshold, as datasketch does with equal weights:
   missing a pair costs more than checking one, because candidates are verified.
5. **Assign, in input order**: the representatives sharing a band with the item are its
   candidates; the 16 sharing the most bands are checked with the exact Jaccard
   similarity and the item joins the most similar one at or above the threshold (ties:
   the earliest). When none is, the item becomes a new representative and is put in
   its bands' buckets (at most 16 representatives a bucket, the latest kept), so the
   work per item is bounded and the whole stays linear.

Every member really is similar to its representative. The LSH method may, rarely, miss
the best representative (it then picks another similar one or starts a cluster);
:func:`group_texts_exhaustive` compares each item with every representative. The result
is deterministic for the same input order and ``seed``; :func:`group_feedback` puts the
items in the order they came in (``received_at``, then id), so the representative of a
cluster is its earliest item and gives the cluster its id.
"""

from __future__ import annotations

import functools
import hashlib
import random
from array import array
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.intake import Feedback
from faultkit.feedback.stopwords import DEFAULT_STOPWORDS
from faultkit.feedback.text import tokens

__all__ = [
    "MINHASH_CACHE_SIZE",
    "BandKey",
    "Cluster",
    "MinHasher",
    "clusters_by_fault",
    "group_feedback",
    "group_texts",
    "group_texts_exhaustive",
    "jaccard",
    "link_fault",
    "lsh_layout",
]

_MERSENNE = (1 << 61) - 1
_BUCKET_CAP = 16
_MAX_CHECKS = 16
_MAX_HASHES = 1024  # as many as group_texts' num_perm allows
_FP_WEIGHT, _FN_WEIGHT = 0.1, 0.9


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity ``|a & b| / |a | b|``; 0.0 when both are empty.

    Raises:
        InvalidInputError: ``a`` or ``b`` is not a set or frozenset.
    """
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, set | frozenset):
            raise InvalidInputError(name, value, f"expected a set, not {type(value).__name__}")
    if not a and not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


MINHASH_CACHE_SIZE = 1 << 18
"""How many tokens' hash values a :class:`MinHasher` keeps by default (see there)."""

BandKey = tuple[int, tuple[int, ...]]
"""One LSH bucket key: the band's number and the signature's values in it."""


class MinHasher:
    """MinHash signatures of token sets and their LSH band keys (steps 3 and 4 above).

    ``bands * rows`` hash functions ``h_i(x) = (a_i x + b_i) mod (2^61 - 1)``, with
    ``a_i``, ``b_i`` drawn from ``random.Random(seed)`` and ``x`` the 64-bit BLAKE2b
    hash of a token; the signature keeps, for each ``i``, the minimum over the tokens.
    Two token sets agree on one position with probability ``J(A, B)``, on a whole band
    with ``J^rows``. :func:`group_texts` and the known-error index
    (:class:`faultkit.problems.KnownErrorIndex`) share it, so both read text the same
    way. The hash values of up to ``cache_size`` tokens are kept, each as an array of
    ``bands * rows`` 64-bit integers (the cache is emptied when full), so memory stays
    bounded whatever the texts: at 64 hash functions about 0.6 kB a token for its array,
    0.7 kB with the token and its cache entry (a two-character token, as traced by
    ``tracemalloc``), so about 190 MB at most by default. The default is sized for the
    distinct character bigrams of 100,000 Chinese texts (231,008 in
    ``benchmarks/bench_feedback.py --lang zh``): with a cache that held 65,536 tokens,
    grouping them took 15.1x the time of 10,000 texts, not about 10x, as most bigrams
    were hashed again after each emptying.

    Args:
        bands: the number of bands (at least 1).
        rows: the positions per band (at least 1).
        seed: the seed of the hash functions.
        cache_size: how many tokens' hash values to keep (:data:`MINHASH_CACHE_SIZE`).

    Example:
        >>> hasher = MinHasher(bands=2, rows=2)
        >>> a = hasher.band_keys(frozenset({"printer", "jammed"}))
        >>> a == hasher.band_keys(frozenset({"jammed", "printer"}))
        True
        >>> len(a)
        2
    """

    __slots__ = ("_cache_size", "_coefficients", "_vectors", "bands", "rows")

    def __init__(
        self, *, bands: int, rows: int, seed: int = 0, cache_size: int = MINHASH_CACHE_SIZE
    ) -> None:
        for name, value in (("bands", bands), ("rows", rows), ("cache_size", cache_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidInputError(name, value, "expected a positive integer")
        if bands * rows > _MAX_HASHES:
            raise InvalidInputError(
                "rows", rows, f"bands * rows is at most {_MAX_HASHES} (got {bands} * {rows})"
            )
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise InvalidInputError("seed", seed, f"expected an integer, not {type(seed).__name__}")
        self.bands = bands
        self.rows = rows
        self._cache_size = cache_size
        rng = random.Random(seed)
        self._coefficients = [
            (rng.randrange(1, _MERSENNE), rng.randrange(0, _MERSENNE)) for _ in range(bands * rows)
        ]
        self._vectors: dict[str, array[int]] = {}

    def _vector(self, token: str) -> array[int]:
        found = self._vectors.get(token)
        if found is None:
            if not isinstance(token, str):  # checked on a miss only: hits cost nothing more
                raise InvalidInputError(
                    "token_set", token, f"expected string tokens, not {type(token).__name__}"
                )
            data = token.encode("utf-8", "surrogatepass")  # a lone surrogate hashes too
            x = int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")
            found = array("Q", [(a * x + b) % _MERSENNE for a, b in self._coefficients])
            if len(self._vectors) >= self._cache_size:
                self._vectors.clear()
            self._vectors[token] = found
        return found

    def signature(self, token_set: frozenset[str]) -> tuple[int, ...]:
        """The MinHash signature of a non-empty token set (``bands * rows`` values).

        Raises:
            InvalidInputError: naming ``token_set``: it is empty, a single string (not
                the set of its characters), or holds a token that is not a string.
        """
        given: object = token_set  # typed a frozenset; callers may pass anything
        if isinstance(given, str | bytes | bytearray):
            raise InvalidInputError(
                "token_set", token_set, "expected a set of tokens, not a single string"
            )
        if not token_set:
            raise InvalidInputError("token_set", token_set, "expected at least one token")
        vectors = [self._vector(t) for t in token_set]
        return tuple(vectors[0]) if len(vectors) == 1 else tuple(map(min, *vectors))

    def band_keys(self, token_set: frozenset[str]) -> list[BandKey]:
        """The LSH bucket keys of a non-empty token set, one per band."""
        signature = self.signature(token_set)
        rows = self.rows
        return [(band, signature[band * rows : (band + 1) * rows]) for band in range(self.bands)]


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
    threshold = _check_threshold(threshold)
    _check_options(num_perm, 1)
    return _layout(threshold, num_perm)


@functools.lru_cache(maxsize=128)
def _layout(threshold: float, num_perm: int) -> tuple[int, int]:
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


def _token_sets(
    texts: Sequence[str], stopwords: Iterable[str], shingle_size: int
) -> list[frozenset[str]]:
    stop = (
        stopwords
        if isinstance(stopwords, frozenset)
        else frozenset(v.items_of("stopwords", stopwords))
    )
    out = []
    for index, text in enumerate(v.items_of("texts", texts)):
        if type(text) is not str:
            raise InvalidInputError(f"texts[{index}]", text, "expected a string")
        out.append(tokens(text, stopwords=stop, shingle_size=shingle_size))
    return out


def _check_options(num_perm: object, shingle_size: object) -> None:
    if isinstance(num_perm, bool) or not isinstance(num_perm, int) or not 1 <= num_perm <= 1024:
        raise InvalidInputError("num_perm", num_perm, "expected an integer from 1 to 1024")
    if isinstance(shingle_size, bool) or not isinstance(shingle_size, int) or shingle_size < 1:
        raise InvalidInputError("shingle_size", shingle_size, "expected a positive integer")


def _distinct(sets: Sequence[frozenset[str]]) -> tuple[list[int], list[int]]:
    """The first index of each distinct non-empty token set, and each index's first."""
    first_of: dict[frozenset[str], int] = {}
    distinct: list[int] = []
    first = list(range(len(sets)))
    for i, token_set in enumerate(sets):
        if not token_set:
            continue
        found = first_of.setdefault(token_set, i)
        if found == i:
            distinct.append(i)
        else:
            first[i] = found
    return distinct, first


def _groups(first: list[int], representative: dict[int, int]) -> list[list[int]]:
    """Every index under its representative (through its exact duplicate), sorted."""
    found: dict[int, list[int]] = {}
    for i, f in enumerate(first):
        found.setdefault(representative.get(f, f), []).append(i)
    return sorted(found.values())


def _best(
    token_set: frozenset[str],
    candidates: Iterable[int],
    sets: Sequence[frozenset[str]],
    threshold: float,
) -> int | None:
    """The candidate representative most similar to ``token_set`` (at least
    ``threshold``); ties go to the earliest."""
    best, best_similarity = None, threshold
    for candidate in candidates:
        similarity = jaccard(token_set, sets[candidate])
        if similarity > best_similarity or (
            similarity == best_similarity and (best is None or candidate < best)
        ):
            best, best_similarity = candidate, similarity
    return best


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
    """Group near-duplicate texts around representatives; see the module documentation.

    Args:
        texts: the texts, in the order they came in (the first text of a problem
            becomes its group's representative).
        threshold: the Jaccard similarity to the representative from which a text
            joins its group.
        seed: the seed of the hash functions; the same input and seed give the same
            groups.
        num_perm: the number of MinHash functions (more: fewer missed pairs, slower).
        bands: ``(bands, rows)`` to override the layout :func:`lsh_layout` chooses.
        stopwords: words to leave out.
        shingle_size: 1 for single terms, ``k`` for runs of ``k`` terms.

    Returns:
        The groups as lists of indexes into ``texts``, each sorted (its first index is
        its representative), ordered by their first index; every index is in exactly one
        group (a text with no tokens is alone).

    Raises:
        InvalidInputError: a text that is not a string, or a bad option.
    """
    threshold = _check_threshold(threshold)
    _check_options(num_perm, shingle_size)
    sets = _token_sets(texts, stopwords, shingle_size)
    distinct, first = _distinct(sets)
    if bands is None:
        band_count, rows = lsh_layout(threshold, num_perm)
    else:
        if type(bands) is not tuple or len(bands) != 2 or not all(type(n) is int for n in bands):
            raise InvalidInputError("bands", bands, "expected a (bands, rows) pair of integers")
        band_count, rows = bands
        if band_count < 1 or rows < 1 or band_count * rows > num_perm:
            raise InvalidInputError("bands", bands, f"need bands * rows <= num_perm ({num_perm})")
    hasher = MinHasher(bands=band_count, rows=rows, seed=seed)

    # Buckets hold representatives only, at most _BUCKET_CAP each (the latest kept).
    buckets: dict[BandKey, list[int]] = {}
    representative: dict[int, int] = {}
    for i in distinct:
        token_set = sets[i]
        keys = hasher.band_keys(token_set)
        shared: dict[int, int] = {}
        for key in keys:
            for candidate in buckets.get(key, ()):
                shared[candidate] = shared.get(candidate, 0) + 1
        ranked = sorted(shared, key=lambda c: (-shared[c], c))[:_MAX_CHECKS]
        best = _best(token_set, ranked, sets, threshold)
        if best is not None:
            representative[i] = best
            continue
        representative[i] = i
        for key in keys:
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = [i]
            else:
                if len(bucket) >= _BUCKET_CAP:
                    del bucket[0]
                bucket.append(i)
    return _groups(first, representative)


def group_texts_exhaustive(
    texts: Sequence[str],
    *,
    threshold: float = 0.5,
    stopwords: Iterable[str] = DEFAULT_STOPWORDS,
    shingle_size: int = 1,
) -> list[list[int]]:
    """The reference: the same groups, comparing each text with every representative.

    Same similarity, same tokens, same rule and same output shape as
    :func:`group_texts`, with no pair missed; it costs up to n^2 / 2 comparisons, so use
    it to check results on small inputs, never on large ones.
    """
    threshold = _check_threshold(threshold)
    _check_options(1, shingle_size)
    sets = _token_sets(texts, stopwords, shingle_size)
    distinct, first = _distinct(sets)
    representatives: list[int] = []
    representative: dict[int, int] = {}
    for i in distinct:
        best = _best(sets[i], representatives, sets, threshold)
        if best is None:
            representatives.append(i)
            best = i
        representative[i] = best
    return _groups(first, representative)


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
    first_seen: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    last_seen: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
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
        if v.since_epoch(self.last_seen) < v.since_epoch(self.first_seen):
            raise InvalidInputError("last_seen", self.last_seen, "is before first_seen")

    @property
    def reach(self) -> int:
        """Customers reached: distinct known customers plus anonymous items."""
        return self.customers + self.anonymous


def _cluster(members: list[Feedback]) -> Cluster:
    members.sort(key=lambda f: (v.since_epoch(f.received_at), f.id))
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
    items = v.items_of("items", items)
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, Feedback):
            raise InvalidInputError(f"items[{index}]", item, "expected a Feedback record")
        if item.id in seen:
            raise InvalidInputError(f"items[{index}].id", item.id, "duplicate feedback id")
        seen.add(item.id)
    ordered = sorted(items, key=lambda f: (v.since_epoch(f.received_at), f.id))
    texts = [f.text if f.subject is None else f"{f.subject} {f.text}" for f in ordered]
    groups = group_texts(
        texts,
        threshold=threshold,
        seed=seed,
        num_perm=num_perm,
        stopwords=stopwords,
        shingle_size=shingle_size,
    )
    clusters = [_cluster([ordered[i] for i in group]) for group in groups if len(group) >= min_size]
    clusters.sort(key=lambda c: (-c.size, v.since_epoch(c.first_seen), c.id))
    return tuple(clusters)


def link_fault(cluster: Cluster, fault_id: str) -> Cluster:
    """A copy of ``cluster`` linked to the fault ``fault_id``.

    Raises:
        InvalidInputError: ``cluster`` is not a Cluster, or ``fault_id`` is blank or
            not a string.
    """
    if not isinstance(cluster, Cluster):
        raise InvalidInputError("cluster", cluster, "expected a Cluster")
    if type(fault_id) is not str:
        raise InvalidInputError("fault_id", fault_id, "expected a non-blank string")
    return attrs.evolve(cluster, fault_id=fault_id)


def clusters_by_fault(clusters: Iterable[Cluster]) -> Mapping[str, tuple[Cluster, ...]]:
    """The linked clusters of each fault id (unlinked clusters are left out).

    Raises:
        InvalidInputError: ``clusters`` is not a collection, or an item is not a Cluster.
    """
    out: dict[str, list[Cluster]] = {}
    for index, cluster in enumerate(v.items_of("clusters", clusters)):
        if not isinstance(cluster, Cluster):
            raise InvalidInputError(f"clusters[{index}]", cluster, "expected a Cluster")
        if cluster.fault_id is not None:
            out.setdefault(cluster.fault_id, []).append(cluster)
    return {fault: tuple(found) for fault, found in out.items()}
