"""The known-error database: find the known errors a new report is probably one of.

:class:`KnownErrorIndex` holds :class:`~faultkit.problems.KnownError` records in
memory and answers :meth:`~KnownErrorIndex.match` with ranked :class:`Match` records,
each saying why it matched. Two lookups, neither a scan:

1. **Error codes**: a dict from each normalised code
   (:func:`~faultkit.problems.normalise_error_code`) to the known errors showing it.
   A known error sharing a code with the report matches ("same error code E-301").
2. **Symptoms**: the feedback grouping's similarity, reused: the report's text and
   each known error's symptoms become token sets with
   :func:`faultkit.feedback.text.tokens` (NFKC, case folding, stop words out, words
   of spaced scripts, character bigrams of Chinese, Japanese, Thai...), then MinHash
   signatures cut into LSH bands by :class:`faultkit.feedback.MinHasher` with the
   layout :func:`faultkit.feedback.lsh_layout` chooses for the threshold. The known
   errors sharing a band with the report are the candidates; the
   :data:`MAX_CANDIDATES` sharing the most bands are checked with the exact Jaccard
   similarity ``|A & B| / |A | B|``, and those at or above the threshold match
   ("symptom similarity 0.83 via 5 shared terms: ..."). A bucket that more than
   :data:`MAX_BUCKET` known errors share is not read (a band value that common says
   as little as a stop word does), so the work per report is bounded whatever the
   size of the database; a similar known error shares several bands, most of them
   specific to it.

Same product and same component never make a match alone (a product has thousands of
known errors); they are reasons that raise a match's rank. The score is::

    score = 0.5 * [a code is shared] + 0.4 * similarity
            + 0.05 * [same product] + 0.05 * [same component]

(:data:`MATCH_WEIGHTS`), so an error code outranks any text, and between matches of
equal evidence the one of the report's product and component comes first. Ties go to
the problem id. LSH may, rarely, miss a known error whose symptoms are similar
(see :mod:`faultkit.feedback.grouping`); :meth:`KnownErrorIndex.match_exhaustive`
compares with every known error, for checking on small sets.
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Iterable, Iterator, Mapping

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.grouping import BandKey, MinHasher, jaccard, lsh_layout
from faultkit.feedback.stopwords import DEFAULT_STOPWORDS
from faultkit.feedback.text import tokens
from faultkit.problems.codes import normalise_error_codes
from faultkit.problems.known_error import KnownError

__all__ = [
    "MATCH_WEIGHTS",
    "MAX_BUCKET",
    "MAX_CANDIDATES",
    "KnownErrorIndex",
    "Match",
    "MatchReason",
    "MatchReasonKind",
]

MATCH_WEIGHTS: Mapping[str, float] = {
    "error_code": 0.5,
    "symptoms": 0.4,
    "product": 0.05,
    "component": 0.05,
}
"""The weight of each kind of evidence in a match's score (they sum to 1)."""

MAX_CANDIDATES = 64
"""How many LSH candidates (those sharing the most bands) one match checks exactly."""

MAX_BUCKET = 256
"""LSH buckets holding more known errors than this are not read when matching."""

_SHOWN_TERMS = 8


class MatchReasonKind(enum.StrEnum):
    """Why a known error matched a report."""

    ERROR_CODE = "error_code"
    """The report shows an error code of the known error."""
    SYMPTOMS = "symptoms"
    """The report's text is similar to the known error's symptoms."""
    PRODUCT = "product"
    """Same product (raises the rank; never matches alone)."""
    COMPONENT = "component"
    """Same component (raises the rank; never matches alone)."""


@attrs.frozen(kw_only=True)
class MatchReason:
    """One reason a known error matched.

    Attributes:
        kind: what matched.
        detail: the reason in words ("same error code 'E-301'").
        value: the code, product or component that is the same (``None`` for symptoms).
        similarity: the Jaccard similarity of the token sets (symptoms only).
        shared_terms: the shared terms (symptoms only; at most 8, sorted).
    """

    kind: MatchReasonKind = attrs.field(validator=v.member_of(MatchReasonKind))
    detail: str = attrs.field(validator=v.non_empty_str)
    value: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    similarity: float | None = attrs.field(default=None, validator=v.optional_float_between(0, 1))
    shared_terms: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )


@attrs.frozen(kw_only=True)
class Match:
    """A known error offered for a report, with its score and why it matched.

    Attributes:
        known_error: the known error.
        score: the rank score in ``[0, 1]`` (:data:`MATCH_WEIGHTS`).
        reasons: why it matched: codes first, then symptoms, product, component.
    """

    known_error: KnownError = attrs.field(validator=v.instance(KnownError))
    score: float = attrs.field(validator=v.float_between(0, 1))
    reasons: tuple[MatchReason, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.instance(MatchReason))
    )

    @property
    def workaround(self) -> str:
        """The workaround to offer."""
        return self.known_error.workaround

    def explain(self) -> str:
        """The match in one line: the problem, the score and every reason."""
        why = "; ".join(reason.detail for reason in self.reasons)
        return f"{self.known_error.problem_id} (score {self.score:.2f}): {why}"


@attrs.frozen
class _Query:
    codes: tuple[str, ...]
    terms: frozenset[str]
    product: str | None
    component: str | None


class KnownErrorIndex:
    """Known errors, searchable by error code and by symptom similarity (pure, in memory).

    Args:
        known_errors: the known errors to start with (a later one with the same
            ``problem_id`` replaces an earlier one).
        threshold: the Jaccard similarity from which symptoms match, in ``(0, 1]``.
        num_perm: MinHash functions (more: fewer missed matches, slower).
        seed: the seed of the hash functions.
        stopwords: words left out of the token sets.

    Raises:
        InvalidInputError: a record that is not a :class:`KnownError`, or a bad option.

    Example:
        >>> from faultkit.problems import KnownError
        >>> index = KnownErrorIndex([KnownError(
        ...     problem_id="PRB-1", title="Jam after update", product="printer",
        ...     error_codes=["E-301"], symptoms="paper jams after the firmware update",
        ...     workaround="Roll back the firmware", root_cause="Feed timing changed")])
        >>> [m.explain() for m in index.match(error_codes=["e-301"], product="printer")]
        ["PRB-1 (score 0.55): same error code 'E-301'; same product 'printer'"]
    """

    def __init__(
        self,
        known_errors: Iterable[KnownError] = (),
        *,
        threshold: float = 0.3,
        num_perm: int = 64,
        seed: int = 0,
        stopwords: Iterable[str] = DEFAULT_STOPWORDS,
    ) -> None:
        if isinstance(num_perm, bool) or not isinstance(num_perm, int) or not 1 <= num_perm <= 1024:
            raise InvalidInputError("num_perm", num_perm, "expected an integer from 1 to 1024")
        bands, rows = lsh_layout(threshold, num_perm)  # checks threshold
        self.threshold = float(threshold)
        self._hasher = MinHasher(bands=bands, rows=rows, seed=seed)
        self._stopwords = frozenset(stopwords)
        self._entries: dict[str, KnownError] = {}
        self._terms: dict[str, frozenset[str]] = {}
        self._keys: dict[str, list[BandKey]] = {}
        self._by_code: dict[str, dict[str, None]] = {}
        self._buckets: dict[BandKey, dict[str, None]] = {}
        for index, known in enumerate(known_errors):
            try:
                self.add(known)
            except InvalidInputError as exc:
                raise exc.at_path(f"known_errors[{index}]") from None

    # ------------------------------------------------------------------ contents

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, problem_id: object) -> bool:
        return problem_id in self._entries

    def __iter__(self) -> Iterator[KnownError]:
        return iter(tuple(self._entries.values()))

    def get(self, problem_id: str) -> KnownError | None:
        """The known error of problem ``problem_id``, if indexed."""
        return self._entries.get(problem_id)

    def add(self, known_error: KnownError) -> None:
        """Index ``known_error`` (replacing the one of the same problem, if any)."""
        if not isinstance(known_error, KnownError):
            raise InvalidInputError("known_error", known_error, "expected a KnownError")
        pid = known_error.problem_id
        if pid in self._entries:
            self.remove(pid)
        self._entries[pid] = known_error
        for code in known_error.error_codes:
            self._by_code.setdefault(code, {})[pid] = None
        terms = self._tokens(known_error.symptoms)
        self._terms[pid] = terms
        if terms:
            keys = self._hasher.band_keys(terms)
            self._keys[pid] = keys
            for key in keys:
                self._buckets.setdefault(key, {})[pid] = None

    def remove(self, problem_id: str) -> KnownError:
        """Take the known error of problem ``problem_id`` out of the index and return it.

        Raises:
            InvalidInputError: no known error of this problem is indexed.
        """
        known = self._entries.pop(problem_id, None)
        if known is None:
            raise InvalidInputError("problem_id", problem_id, "no known error of this problem")
        for code in known.error_codes:
            holders = self._by_code[code]
            del holders[problem_id]
            if not holders:
                del self._by_code[code]
        del self._terms[problem_id]
        for key in self._keys.pop(problem_id, ()):
            bucket = self._buckets[key]
            del bucket[problem_id]
            if not bucket:
                del self._buckets[key]
        return known

    def _tokens(self, text: str | None) -> frozenset[str]:
        return frozenset() if text is None else tokens(text, stopwords=self._stopwords)

    # ------------------------------------------------------------------ matching

    def _query(
        self,
        error_codes: Iterable[str],
        symptoms: str | None,
        product: str | None,
        component: str | None,
    ) -> _Query:
        for name, value in (("symptoms", symptoms), ("product", product), ("component", component)):
            if value is not None and type(value) is not str:
                raise InvalidInputError(name, value, "expected a string or None")
        return _Query(
            codes=normalise_error_codes(error_codes),
            terms=self._tokens(symptoms),
            product=product,
            component=component,
        )

    def _score(self, pid: str, query: _Query) -> Match | None:
        known = self._entries[pid]
        reasons = [
            MatchReason(
                kind=MatchReasonKind.ERROR_CODE, detail=f"same error code {code!r}", value=code
            )
            for code in query.codes
            if pid in self._by_code.get(code, ())
        ]
        similarity = 0.0
        if query.terms:
            terms = self._terms[pid]
            similarity = jaccard(query.terms, terms)
            if similarity >= self.threshold:
                shared = query.terms & terms
                shown = tuple(sorted(shared)[:_SHOWN_TERMS])
                reasons.append(
                    MatchReason(
                        kind=MatchReasonKind.SYMPTOMS,
                        detail=(
                            f"symptom similarity {similarity:.2f} via {len(shared)} shared "
                            f"terms: {', '.join(shown)}"
                        ),
                        similarity=similarity,
                        shared_terms=shown,
                    )
                )
            else:
                similarity = 0.0
        if not reasons:
            return None
        score = MATCH_WEIGHTS["symptoms"] * similarity
        if reasons[0].kind is MatchReasonKind.ERROR_CODE:
            score += MATCH_WEIGHTS["error_code"]
        if query.product is not None and query.product == known.product:
            score += MATCH_WEIGHTS["product"]
            reasons.append(
                MatchReason(
                    kind=MatchReasonKind.PRODUCT,
                    detail=f"same product {known.product!r}",
                    value=known.product,
                )
            )
        if query.component is not None and query.component == known.component:
            score += MATCH_WEIGHTS["component"]
            reasons.append(
                MatchReason(
                    kind=MatchReasonKind.COMPONENT,
                    detail=f"same component {known.component!r}",
                    value=known.component,
                )
            )
        return Match(known_error=known, score=min(1.0, score), reasons=tuple(reasons))

    def _ranked(self, candidates: Iterable[str], query: _Query, limit: int) -> tuple[Match, ...]:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInputError("limit", limit, "expected a positive integer")
        found = [m for pid in candidates if (m := self._score(pid, query)) is not None]
        best = heapq.nsmallest(
            limit,
            found,
            key=lambda m: (-m.score, -len(m.reasons), m.known_error.problem_id),
        )
        return tuple(best)

    def match(
        self,
        *,
        error_codes: Iterable[str] = (),
        symptoms: str | None = None,
        product: str | None = None,
        component: str | None = None,
        limit: int = 10,
    ) -> tuple[Match, ...]:
        """The known errors a report with these signs probably is, best first.

        Args:
            error_codes: the codes the report shows (normalised here).
            symptoms: the report's text (any language).
            product: the report's product (raises the rank of its known errors).
            component: the report's component (likewise).
            limit: how many matches at most.

        Returns:
            The matches, by score (then by number of reasons, then problem id); a known
            error matches by a shared code or by symptoms at or above the threshold.

        Raises:
            InvalidInputError: a bad code, text or limit.
        """
        query = self._query(error_codes, symptoms, product, component)
        candidates: dict[str, None] = {}
        for code in query.codes:
            candidates.update(self._by_code.get(code, {}))
        if query.terms:
            shared: dict[str, int] = {}
            for key in self._hasher.band_keys(query.terms):
                bucket = self._buckets.get(key, ())
                if len(bucket) > MAX_BUCKET:
                    continue
                for pid in bucket:
                    shared[pid] = shared.get(pid, 0) + 1
            top = heapq.nsmallest(MAX_CANDIDATES, shared, key=lambda pid: (-shared[pid], pid))
            candidates.update(dict.fromkeys(top))
        return self._ranked(candidates, query, limit)

    def match_exhaustive(
        self,
        *,
        error_codes: Iterable[str] = (),
        symptoms: str | None = None,
        product: str | None = None,
        component: str | None = None,
        limit: int = 10,
    ) -> tuple[Match, ...]:
        """The reference: :meth:`match` comparing with every known error (no index).

        Same rule, same scores and order, no candidate missed; it costs one comparison
        per known error, so use it to check results on small sets.
        """
        query = self._query(error_codes, symptoms, product, component)
        return self._ranked(self._entries, query, limit)

    def __repr__(self) -> str:
        return f"KnownErrorIndex({len(self)} known errors, threshold={self.threshold})"
