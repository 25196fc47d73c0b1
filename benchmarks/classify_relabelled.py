"""How the default rules do on a blind-relabelled sample of a labelled corpus.

A corpus label says how the customer felt, not whether the text reports a problem:
waimai_10k and the ChnSentiCorp hotels carry hundreds of positive-labelled reviews that
complain ("送的好慢啊", labelled 1). This script reads the corpus (the formats of
``classify_corpus.py``) and blind labellings of a sample of its rows (readers who saw
only the texts, shuffled, and neither the corpus label nor what faultkit makes of them),
and prints the shares of the default rules (``RuleClassifier()``):

- **negative**: rows the corpus calls negative AND every reader says report a problem
  (``P``); the share classified defect, complaint, performance or usability;
- **positive**: rows the corpus calls positive AND every reader says report no problem
  (``N``); the same share, and the share at SEV1;
- every other combination of labels apart, so nothing is hidden, and how often the
  readers agree (Cohen's kappa).

The labels file is tab-separated, one row a line, with a header:
``row`` (the 0-based data row of the corpus, as ``classify_corpus.py`` numbers them),
``corpus_label`` (the corpus's own label, checked against the file), one column per
reader named ``reader1``, ``reader2`` ... (``P`` or ``N``), and ``reason1``,
``reason2`` ... (each reader's words). ``benchmarks/relabelled/`` holds
the samples behind the figures in docs/feedback.md; their first line names the corpus
file and its SHA-256. Copies of a public corpus differ in their bytes (line ends, a
character lost by one mirror), so another copy is read with a warning that it is not
the file the labels were made on; every sampled row's corpus label is still checked
against the copy, and one that differs stops the run (the rows do not line up).

Example::

    python benchmarks/classify_relabelled.py waimai_10k.csv --format waimai \\
        --labels benchmarks/relabelled/waimai_10k.tsv
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from classify_corpus import PROBLEM, read

from faultkit.feedback import Feedback, RuleClassifier
from faultkit.models import IntakeChannel, Severity

AT = datetime(2024, 1, 1, tzinfo=UTC)
SENTIMENT = {"0": "negative", "1": "positive", "negative": "negative", "positive": "positive"}


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of hits / n (95% by default), in percent."""
    if n == 0:
        return (0.0, 100.0)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (100 * max(0.0, centre - half), 100 * min(1.0, centre + half))


def read_labels(path: Path, corpus: Path) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Row -> (corpus label, each reader's label); warns when made on another copy."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("#"):
        expected = lines[0].split("sha256=", 1)[-1].strip()
        actual = hashlib.sha256(corpus.read_bytes()).hexdigest()
        if expected != actual:
            print(
                f"warning: {corpus.name}: sha256 {actual}, the labels were made on {expected}"
                " (another copy: the figures may differ; each row's corpus label is checked)",
                file=sys.stderr,
            )
        lines = lines[1:]
    if len(lines) < 2:
        raise SystemExit(f"{path}: no labelled row under a header")
    columns = lines[0].split("\t")
    readers = [c for c in columns if c.startswith("reader")]
    if not readers:
        raise SystemExit(f"{path}: no reader1, reader2 ... column in {columns}")
    labels: dict[int, tuple[str, tuple[str, ...]]] = {}
    for number, line in enumerate(lines[1:], start=3):
        cells = dict(zip(columns, line.split("\t"), strict=False))
        said = tuple(cells.get(r, "").strip() for r in readers)
        if any(label not in {"P", "N"} for label in said):
            raise SystemExit(f"{path}:{number}: a reader's label must be P or N, not {said}")
        labels[int(cells["row"])] = (SENTIMENT[cells["corpus_label"].strip()], said)
    return labels


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two readers' P / N labels (Cohen 1960)."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in ("P", "N")) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def main(argv: list[str] | None = None) -> int:
    """Classify the relabelled rows and print the shares per combination of labels."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--format", choices=["waimai", "shopping", "stars", "airline"], required=True
    )
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--name", help="the corpus's name in the table row (the file's name)")
    parser.add_argument("--text", default="reviews.text", help="text column (stars format)")
    parser.add_argument("--stars", default="reviews.rating", help="stars column (stars format)")
    args = parser.parse_args(argv)

    rows = read(args.corpus, args.format, args.text, args.stars)
    labels = read_labels(args.labels, args.corpus)
    classifier = RuleClassifier()
    n: Counter[tuple[str, str]] = Counter()
    problem: Counter[tuple[str, str]] = Counter()
    sev1: Counter[tuple[str, str]] = Counter()
    for row, (corpus_label, said) in sorted(labels.items()):
        sentiment, text = rows[row]
        if sentiment != corpus_label:
            raise SystemExit(f"row {row}: the corpus says {sentiment}, the labels {corpus_label}")
        item = Feedback(id=str(row), channel=IntakeChannel.STAFF, received_at=AT, text=text.strip())
        result = classifier.classify(item)
        cell = (corpus_label, "".join(said))
        n[cell] += 1
        problem[cell] += result.type in PROBLEM
        sev1[cell] += result.severity is Severity.SEV1
    for cell in sorted(n):
        low, high = wilson(problem[cell], n[cell])
        print(
            f"  corpus {cell[0]:8} readers {cell[1]}: n={n[cell]:4}  problem "
            f"{100 * problem[cell] / n[cell]:5.1f}% (95% {low:.1f}-{high:.1f})  SEV1 {sev1[cell]}"
        )
    said_all = [said for _, said in labels.values()]
    agreement = "-"
    if len(said_all[0]) == 2:
        agree = sum(a == b for a, b in said_all)
        k = kappa([(a, b) for a, b in said_all])
        print(f"  readers agree on {agree} of {len(said_all)} rows, Cohen's kappa {k:.2f}")
        agreement = f"{agree} of {len(said_all)}, kappa {k:.2f}"
    readers = len(said_all[0])
    agreed_negative, agreed_positive = ("negative", "P" * readers), ("positive", "N" * readers)
    share = {c: 100 * problem[c] / (n[c] or 1) for c in (agreed_negative, agreed_positive)}
    high = wilson(problem[agreed_positive], n[agreed_positive])[1]
    sev1_positive = 100 * sev1[agreed_positive] / (n[agreed_positive] or 1)
    name = args.name or args.corpus.name
    print(
        f"| {name}, blind-relabelled sample | {share[agreed_negative]:.1f}% "
        f"(n={n[agreed_negative]}) | {share[agreed_positive]:.1f}% (n={n[agreed_positive]}; "
        f"95% up to {high:.1f}%) | {sev1_positive:.2f}% | {agreement} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
