"""Find the copies of a document: exact, near-duplicate and contained, across every run.

Everything compares the folded text of `cleaners.fingerprint.dedup_form` (width, case,
whitespace and punctuation folded away) cut into character n-grams — Chinese has no spaces,
so word shingles do not work.

* **Exact**: equal `content_hash`. No text is read to confirm it.
* **Near-duplicate**: MinHash over the n-grams (one-permutation hashing: one hash per n-gram,
  binned, instead of 128 — a tenth of the cost), banded into an LSH index for candidates; a
  candidate whose estimated Jaccard passes is confirmed on the real n-gram sets.
* **Containment**: a compilation's part inside the standalone copy, a preview inside the full
  text. Jaccard cannot see it (a 5 KB part of a 15 KB whole has J = 1/3, as low as two unrelated
  speeches made of the same stock phrases), and neither can a fixed-size MinHash, whose minima
  mostly come from the rest of the whole. So every document also keeps a FracMinHash sketch
  (Broder's "mod-s" sampling, as in sourmash: every n-gram whose hash falls below 2⁶⁴/s).
  Samples are chosen by content, not position, so the sketch of a part is the part of the
  sketch of the whole: |S(a) ∩ S(b)| / |S(a)| estimates the containment of a in b. Candidates
  come from an inverted index with prefix filtering (as JOSIE/SilkMoth do): if a is at least
  t contained in b, any ⌊(1−t)·|S(a)|⌋+h of a's samples include h that b has, so looking up
  a's *rarest* samples finds every such b while never walking the long posting lists of stock
  phrases (以习近平新时代中国特色社会主义思想为指导… opens a good share of all speeches). The
  other direction (an archived part inside a new whole) looks the new document's samples up in
  an index of every archived document's prefix.
* **Confirmation**: every candidate pair is measured on its real n-gram sets — texts of archived
  documents are fetched through a callback, so memory holds signatures only. A pair is a
  duplicate when its Jaccard reaches `near_threshold` ('near'), or when the shorter text, of at
  least `min_contained_chars`, is at least `containment_threshold` inside the longer one
  ('containment'; near-duplicates pass this too, as C ≥ J).
* **Clusters**: connected components of confirmed pairs; the canonical copy is the one not
  truncated, then the longest (in folded characters), then the earliest ingested, then the
  smallest doc_id. A later copy takes over only when it is better by that rule; then every
  link of the cluster moves to it.

Batch after batch equals all at once: each pair's fate depends on the two documents only
(band collision, sketch containment, real similarity), never on what else is in the batch,
because prefix filtering finds *every* pair above its threshold, whichever prefix is chosen
(the one exception: `max_postings`, see there). Tested on the labelled corpus.

Settings were chosen by measurement on `tests/dedup_corpus.py` (labelled speeches with hard
negatives); the numbers are in the `DedupSettings` docstrings, `python -m bench.dedup`
re-measures quality, speed and memory against datasketch. Measured on this 2-CPU machine,
100,000 documents of ~10 KB in batches of 2,000: pairwise precision 0.99997, recall 1.0;
62.5 CPU s (1,600 documents a second; dedup_form alone is 0.16 ms of each 0.63) against 343 CPU s for
datasketch's MinHash + MinHashLSH with the same n, permutations and bands (5.5×; its
uncorroborated LSH clusters: precision 0.001, recall 0.91); index 214 MB (2.2 KB a document),
peak RSS +391 MB against +848 MB.

Interface: `signatures_for` (can run in worker processes), `find_duplicates` (pure: reads the
index, asks `fetch_texts` for candidates' texts), then the caller stores the batch and calls
`index.add(result)`. Signature rows go to the archive; `SignatureIndex.from_arrow` reloads them.

>>> docs = [DedupDoc("a", "在全市科技创新工作会议上的讲话。" * 20, False, 340, 0),
...         DedupDoc("b", "在全市科技创新工作会议上的讲话,"  * 20, False, 340, 1)]
>>> index = SignatureIndex()
>>> result = find_duplicates(docs, index, fetch_texts=lambda ids: {})
>>> result.matches
[Match(doc_id='b', matched_doc_id='a', method='exact', similarity=1.0)]
>>> result.canonical
{'a': None, 'b': 'a'}
>>> index.add(result); len(index)
2
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cleaners.fingerprint import dedup_form

__all__ = [
    "DEFAULT",
    "DedupDoc",
    "DedupResult",
    "DedupSettings",
    "Match",
    "SignatureIndex",
    "SignatureMismatchError",
    "find_duplicates",
    "signatures_for",
]

_U64 = np.uint64
_EMPTY_BIN = np.uint32(0xFFFFFFFF)


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """Every knob of duplicate detection, with the measurement behind its default."""

    ngram: int = 6
    """Characters per n-gram. Measured with exact n-gram sets on the labelled corpus (3,087
    documents, 4.7 M pairs): the worst hard negative's containment falls as n grows (n = 4…8:
    0.66, 0.64, 0.62, 0.60, 0.59; with 40 % stock sentences 0.77 at n=5, 0.72 at 6, 0.68 at 7)
    while the 1 % quantile of true pairs falls too (0.83, 0.82, 0.81, 0.80, 0.79). 6 is the
    smallest n that keeps every negative of both corpora under 0.75; a smaller n keeps more
    n-grams in common between short, edited copies."""

    num_perm: int = 128
    """MinHash values per document (one-permutation bins, a power of two): 512 bytes each."""

    bands: int = 32
    """LSH bands of `num_perm // bands` rows. 32×4 makes a pair with J = 0.7 a candidate with
    p = 0.9998, one with J = 0.5 with p = 0.87, one with J = 0.3 with p = 0.23."""

    near_estimate: float = 0.5
    """An LSH candidate is measured only if its MinHash Jaccard estimate reaches this: 5
    standard errors (0.04 at 128 values) below `near_threshold`."""

    near_threshold: float = 0.7
    """Real n-gram Jaccard from which a pair is a near-duplicate. Measured: the hard negatives
    reach 0.36 (0.48 with 40 % stock sentences); copies with a chrome line or filled-in
    placeholders sit above 0.8. (From `min_contained_chars` on, a near-duplicate passes
    `containment_threshold` too, as C ≥ J: this threshold names the method there, and is the
    only test for shorter texts.)"""

    containment_threshold: float = 0.75
    """Real containment (the share of the shorter text's n-grams found in the longer) from which
    a pair is a duplicate. Measured: hard negatives reach 0.62 (0.72 with 40 % stock
    sentences); 19 of 2,940 true pairs fall below 0.75 — previews of a copy that lost or gained
    a paragraph — and each joins its cluster through the full copy (cluster recall 1.0)."""

    sketch_scale: int = 32
    """FracMinHash keeps one n-gram in `sketch_scale`: ~100 samples (400 bytes) for a 10 KB
    speech, ~9 for a 300-character preview. Measured (2,789 documents, 40 % stock sentences,
    same P = R = 1.0): 16 → 2.9 KB of index a document, 976 texts fetched; 32 → 1.9 KB, 1,781;
    64 → 1.5 KB, 10,127 (short sketches too noisy to filter candidates)."""

    sketch_z: float = 2.0
    """A pair is a containment candidate when its sketch containment reaches the lower
    confidence bound θ − z·√(θ(1−θ)/m) of `containment_threshold` θ for the contained text's
    m samples: 0.48 for a 10-sample preview, 0.66 for a 100-sample speech, so a short text's
    few samples cannot hide a true pair. z = 1 halved the texts fetched at the same P/R on the
    corpus; 2 is kept for previews shorter than the corpus has."""

    prefix_hits: int = 3
    """A containment candidate must share this many of its rarest samples with the other text;
    the prefix is made as much longer, so no pair above the bound is lost, and pairs that share
    one rare-ish stock sample are not gathered and compared."""

    min_contained_chars: int = 150
    """A text of fewer folded characters than this (content_chars) is a duplicate only by
    Jaccard, never by containment: a closing line or a slogan is contained in thousands of
    unrelated speeches."""

    max_postings: int = 2000
    """A sample held by more archived documents than this is not looked up: it is a stock
    phrase, and walking its list costs more than it tells. Only a text made almost wholly of
    stock phrases can lose a containment candidate to this; its near copies still meet by LSH.
    (It is the one knob that can make results depend on batching: rarely, and never seen.)"""

    def __post_init__(self) -> None:
        if self.num_perm & (self.num_perm - 1) or self.num_perm % self.bands:
            raise ValueError("num_perm must be a power of two and a multiple of bands")
        if self.sketch_scale & (self.sketch_scale - 1):
            raise ValueError("sketch_scale must be a power of two")

    @property
    def signature_version(self) -> str:
        """Names what the stored signature values depend on; thresholds may change freely.

        >>> DedupSettings().signature_version
        'oph1-n6-k128-s32'
        """
        return f"oph1-n{self.ngram}-k{self.num_perm}-s{self.sketch_scale}"


DEFAULT = DedupSettings()


class SignatureMismatchError(ValueError):
    """Stored signatures were computed with other settings and cannot be compared."""


@dataclass(frozen=True, slots=True)
class DedupDoc:
    """One document to deduplicate. `order` is its ingestion order (smaller = earlier)."""

    doc_id: str
    text: str
    is_truncated: bool
    char_count: int
    order: int


@dataclass(frozen=True, slots=True)
class Match:
    """`doc_id` (a document of this batch) duplicates `matched_doc_id` (archived or earlier in
    the batch). `method` is 'exact', 'near' (real Jaccard ≥ near_threshold) or 'containment';
    `similarity` is that Jaccard for 'near' and the containment of the shorter text otherwise."""

    doc_id: str
    matched_doc_id: str
    method: str
    similarity: float


# --- hashing ------------------------------------------------------------------------------

def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer: spreads a polynomial hash over all 64 bits."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


_POLY = _U64(0x100000001B3)


def ngram_hashes(folded: Sequence[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every character n-gram of many folded texts at once, and whose they are.

    The texts become one UTF-32 array; a polynomial over n shifted views hashes every window,
    and windows that cross from one text into the next are skipped. A text shorter than n is
    one n-gram (padded with U+0000, which folding never leaves in a text).

    >>> h, doc = ngram_hashes(["同志们好", "同志们"], 3)
    >>> doc.tolist()
    [0, 0, 1]
    >>> bool(h[0] == h[2]), bool(h[0] == h[1])
    (True, False)
    """
    padded = [s + "\0" * (n - len(s)) if 0 < len(s) < n else s for s in folded]
    lens = np.fromiter(map(len, padded), np.int64, len(padded))
    counts = np.maximum(lens - n + 1, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, _U64), np.zeros(0, np.int64)
    cps = np.frombuffer("".join(padded).encode("utf-32-le"), np.uint32).astype(_U64)
    width = len(cps) - n + 1
    with np.errstate(over="ignore"):
        h = cps[:width].copy()
        for j in range(1, n):
            h *= _POLY
            h += cps[j : width + j]
        starts = np.cumsum(lens) - lens
        first = np.cumsum(counts) - counts
        pos = np.repeat(starts - first, counts) + np.arange(total)
        return _mix64(h[pos]), np.repeat(np.arange(len(padded)), counts)


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated aranges: positions start..start+count of every range, in order.

    >>> _ranges(np.array([5, 0]), np.array([2, 3])).tolist()
    [5, 6, 0, 1, 2]
    """
    total = int(counts.sum())
    return np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)


def _oph_minhash(h: np.ndarray, doc: np.ndarray, n_docs: int, k: int) -> np.ndarray:
    """One-permutation MinHash (Li, Owen & Zhang 2012): one hash per n-gram, not k.

    The top bits of an n-gram's hash pick one of k bins, the low 32 bits are its value; each
    bin keeps its minimum. Two sets agree in a bin with probability J, as with k independent
    permutations, at 1/k of the cost. A bin left empty (texts under ~5·k n-grams) borrows the
    next filled bin's value shifted by the distance (densification by rotation, Shrivastava &
    Li 2014), so empty bins never agree by accident.

    >>> a, doc = ngram_hashes(["在全市科技工作会议上的讲话" * 30, "完全不同的另一篇文章内容"], 6)
    >>> m = _oph_minhash(a, doc, 2, 128)
    >>> m.shape, bool((m[0] != 0xFFFFFFFF).all())
    ((2, 128), True)
    """
    shift = _U64(64 - (k.bit_length() - 1))
    slot = doc * k + (h >> shift).astype(np.int64)
    out = np.full(n_docs * k, _EMPTY_BIN, np.uint32)
    np.minimum.at(out, slot, (h & _U64(0xFFFFFFFF)).astype(np.uint32))
    filled = np.zeros(n_docs * k, bool)
    filled[slot] = True
    out, filled = out.reshape(n_docs, k), filled.reshape(n_docs, k)
    sparse = np.flatnonzero(~filled.all(axis=1) & filled.any(axis=1))
    if len(sparse):
        f = filled[sparse]
        pos = np.where(np.concatenate([f, f], axis=1), np.arange(2 * k), 2 * k)
        nxt = np.minimum.accumulate(pos[:, ::-1], axis=1)[:, ::-1][:, :k]
        dist = (nxt - np.arange(k)).astype(np.uint32)
        vals = np.take_along_axis(out[sparse], nxt % k, axis=1)
        with np.errstate(over="ignore"):
            out[sparse] = vals + dist * np.uint32(0x9E3779B1)
    return out


def _band_keys(minhash: np.ndarray, bands: int) -> np.ndarray:
    """One 64-bit key per LSH band: its rows combined, the band number mixed in.

    >>> m = np.arange(8, dtype=np.uint32).reshape(1, 8)
    >>> k = _band_keys(m, 2); k.shape, bool(k[0, 0] != k[0, 1])
    ((1, 2), True)
    """
    n, k = minhash.shape
    rows = k // bands
    coef = _mix64(np.arange(1, rows + 1, dtype=_U64)) | _U64(1)
    salt = _mix64(np.arange(1000, 1000 + bands, dtype=_U64))
    with np.errstate(over="ignore"):
        acc = (minhash.reshape(n, bands, rows).astype(_U64) * coef).sum(axis=2, dtype=_U64)
        return _mix64(acc + salt)


def _sketch(h: np.ndarray, doc: np.ndarray, n_docs: int, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """FracMinHash: each text's distinct n-gram hashes below 2⁶⁴/scale, as sorted uint32 (CSR).

    >>> h = np.array([5, 2**63, 7, 5], dtype=np.uint64); doc = np.array([0, 0, 1, 1])
    >>> vals, offsets = _sketch(h, doc, 2, 2)  # 2**63 is not below 2**64/2: not sampled
    >>> vals.tolist(), offsets.tolist()
    ([5, 5, 7], [0, 1, 3])
    """
    keep = h < _U64(2**64 // scale)
    key = np.unique((doc[keep].astype(_U64) << _U64(32)) | (h[keep] & _U64(0xFFFFFFFF)))
    owner = (key >> _U64(32)).astype(np.int64)
    offsets = np.zeros(n_docs + 1, np.int64)
    np.cumsum(np.bincount(owner, minlength=n_docs), out=offsets[1:])
    return (key & _U64(0xFFFFFFFF)).astype(np.uint32), offsets


def _content_hash(folded: str) -> bytes:
    # the digest of cleaners.fingerprint.content_hash, computed from the already folded text
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=16).digest()


# --- signatures as Arrow ------------------------------------------------------------------

def signature_schema(settings: DedupSettings = DEFAULT) -> pa.Schema:
    """The columns of `signatures_for` and `SignatureIndex.to_arrow` (DuckDB: BLOB for binary).

    >>> signature_schema().names
    ['doc_id', 'content_hash', 'minhash', 'sketch', 'is_truncated', 'char_count', 'content_chars', 'order', 'signature_version']
    """
    return pa.schema([
        ("doc_id", pa.string()),
        ("content_hash", pa.string()),  # 32 hex digits, as fingerprint.content_hash
        ("minhash", pa.binary(4 * settings.num_perm)),  # num_perm little-endian uint32
        ("sketch", pa.binary()),  # sorted little-endian uint32 FracMinHash samples
        ("is_truncated", pa.bool_()),
        ("char_count", pa.int32()),
        ("content_chars", pa.int32()),  # characters of the folded text: what "longest" compares
        ("order", pa.int64()),
        ("signature_version", pa.string()),
    ])


def signatures_for(docs: Sequence[DedupDoc], settings: DedupSettings = DEFAULT) -> pa.Table:
    """Signatures of many documents at once, as rows for `SignatureIndex` and the archive.

    >>> from cleaners.fingerprint import content_hash
    >>> t = signatures_for([DedupDoc("a", "谢谢大家!", False, 5, 0)])
    >>> t.num_rows, len(t["minhash"][0].as_py()), t["content_hash"][0].as_py() == content_hash("谢谢大家！")
    (1, 512, True)
    """
    return _signatures(docs, settings)[0]


def _signatures(docs: Sequence[DedupDoc], settings: DedupSettings) -> tuple[pa.Table, list[str]]:
    folded = [dedup_form(d.text) for d in docs]
    # hashing works on ~40 bytes per character at once: a slice of ~256 K characters keeps the
    # transient arrays near 10 MB whatever the batch size, at no measurable cost in speed
    minhashes, sketches, counts = [], [], []
    start = 0
    while start < len(folded) or not minhashes:
        end, size = start, 0
        while end < len(folded) and (end == start or size + len(folded[end]) <= 256_000):
            size += len(folded[end])
            end += 1
        h, doc = ngram_hashes(folded[start:end], settings.ngram)
        minhashes.append(_oph_minhash(h, doc, end - start, settings.num_perm))
        v, o = _sketch(h, doc, end - start, settings.sketch_scale)
        sketches.append(v)
        counts.append(np.diff(o))
        start = end
    minhash, vals = np.concatenate(minhashes), np.concatenate(sketches)
    offsets = np.concatenate([[0], np.cumsum(np.concatenate(counts))]).astype(np.int64)
    return _table(
        [d.doc_id for d in docs],
        np.array([np.frombuffer(_content_hash(f), np.uint8) for f in folded], np.uint8).reshape(-1, 16),
        minhash, vals, offsets,
        np.array([d.is_truncated for d in docs], bool),
        np.array([d.char_count for d in docs], np.int32),
        np.array([len(f) for f in folded], np.int32),
        np.array([d.order for d in docs], np.int64),
        settings,
    ), folded


def _table(ids, chash, minhash, vals, offsets, trunc, chars, content, order, settings, dup=None) -> pa.Table:
    n = len(ids)
    k4 = 4 * settings.num_perm
    hexes = np.ascontiguousarray(chash).tobytes().hex()
    columns = [
        pa.array(ids, pa.string()),
        pa.array([hexes[i * 32 : (i + 1) * 32] for i in range(n)], pa.string()),
        pa.FixedSizeBinaryArray.from_buffers(pa.binary(k4), n, [None, pa.py_buffer(np.ascontiguousarray(minhash, "<u4").tobytes())]),
        pa.BinaryArray.from_buffers(pa.binary(), n, [None, pa.py_buffer((offsets * 4 - offsets[0] * 4).astype(np.int32).tobytes()), pa.py_buffer(vals.astype("<u4").tobytes())]),
        pa.array(trunc, pa.bool_()),
        pa.array(chars, pa.int32()),
        pa.array(content, pa.int32()),
        pa.array(order, pa.int64()),
        pa.array([settings.signature_version] * n, pa.string()),
    ]
    schema = signature_schema(settings)
    if dup is not None:
        columns.append(pa.array(dup, pa.string()))
        schema = schema.append(pa.field("duplicate_of", pa.string()))
    return pa.Table.from_arrays(columns, schema=schema)


def _binary_column(col: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(uint32 values, int64 offsets) of a binary / fixed-size-binary / list<uint32> column."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type) or pa.types.is_fixed_size_list(arr.type):
        lengths = pc.list_value_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
        vals = pc.list_flatten(arr).to_numpy(zero_copy_only=False).astype(np.uint32)
    elif pa.types.is_fixed_size_binary(arr.type):
        width = arr.type.byte_width
        raw = np.frombuffer(arr.buffers()[1], np.uint8)[arr.offset * width : (arr.offset + len(arr)) * width]
        vals = raw.view("<u4").astype(np.uint32)
        lengths = np.full(len(arr), width // 4, np.int64)
    else:
        arr = arr.cast(pa.large_binary())
        offs = np.frombuffer(arr.buffers()[1], np.int64)[arr.offset : arr.offset + len(arr) + 1]
        data = np.frombuffer(arr.buffers()[2], np.uint8) if arr.buffers()[2] is not None else np.zeros(0, np.uint8)
        vals = data[offs[0] : offs[-1]].view("<u4").astype(np.uint32)
        lengths = np.diff(offs) // 4
    offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return vals, offsets


# --- a growing multimap from keys to document numbers --------------------------------------

def _merge(k1: np.ndarray, d1: np.ndarray, k2: np.ndarray, d2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge two sorted runs by placing the second's entries where they fall among the first's:
    no sort and no concatenated copy, so a merge of the largest run needs ~1.5× its size.

    >>> [x.tolist() for x in _merge(np.array([1, 3]), np.array([10, 30]), np.array([2, 3]), np.array([20, 31]))]
    [[1, 2, 3, 3], [10, 20, 30, 31]]
    """
    at = np.searchsorted(k1, k2, "right") + np.arange(len(k2))
    rest = np.ones(len(k1) + len(k2), bool)
    rest[at] = False
    keys, docs = np.empty(len(rest), k1.dtype), np.empty(len(rest), d1.dtype)
    keys[at], docs[at] = k2, d2
    keys[rest], docs[rest] = k1, d1
    return keys, docs


class _MultiMap:
    """Sorted (key, doc) runs, merged like a log-structured tree: adding a batch sorts only the
    batch, and a run is merged into the one before it once it is half as large — so the total
    work of n additions is O(n log n) and a lookup searches O(log n) runs."""

    __slots__ = ("runs",)

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, keys: np.ndarray, docs: np.ndarray) -> None:
        if len(keys) == 0:
            return
        order = np.argsort(keys, kind="stable")
        self.runs.append((keys[order], docs[order].astype(np.int32)))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (k2, d2), (k1, d1) = self.runs.pop(), self.runs.pop()
            self.runs.append(_merge(k1, d1, k2, d2))

    def _spans(self, q: np.ndarray):
        # distinct keys in sorted order: binary searches then walk the runs nearly in order,
        # 3-4x faster than scattered queries on runs of millions
        keys, inv = np.unique(q, return_inverse=True)
        spans = [(np.searchsorted(run, keys, "left"), np.searchsorted(run, keys, "right")) for run, _ in self.runs]
        total = np.zeros(len(keys), np.int64)
        for lo, hi in spans:
            total += hi - lo
        return keys, inv.ravel(), spans, total

    def count(self, q: np.ndarray) -> np.ndarray:
        """How many documents hold each key."""
        _, inv, _, total = self._spans(q)
        return total[inv]

    def lookup(self, q: np.ndarray, max_postings: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(position in q, doc) for every document holding each key; a key held by more than
        `max_postings` documents is skipped."""
        keys, inv, spans, total = self._spans(q)
        wanted = total <= max_postings if max_postings is not None else np.ones(len(keys), bool)
        ks, ds = [np.zeros(0, np.int64)], [np.zeros(0, np.int32)]
        for (lo, hi), (_, docs) in zip(spans, self.runs):
            cnt = np.where(wanted, hi - lo, 0)
            ks.append(np.repeat(np.arange(len(keys)), cnt))
            ds.append(docs[_ranges(lo, cnt)])
        k, d = np.concatenate(ks), np.concatenate(ds)
        # back from distinct keys to the query positions that asked for them
        order = np.argsort(inv, kind="stable")
        per = np.bincount(inv, minlength=len(keys))
        reps = per[k]
        return order[_ranges((np.cumsum(per) - per)[k], reps)], np.repeat(d, reps)

    @property
    def nbytes(self) -> int:
        return sum(k.nbytes + d.nbytes for k, d in self.runs)


class _Grow:
    """A numpy array that grows by doubling: appending a batch costs its own size, amortized."""

    __slots__ = ("data", "size")

    def __init__(self, dtype, width: int | None = None) -> None:
        self.data = np.zeros((16, width) if width else 16, dtype)
        self.size = 0

    def extend(self, values: np.ndarray) -> None:
        need = self.size + len(values)
        if need > len(self.data):
            bigger = np.zeros((max(need, 2 * len(self.data)),) + self.data.shape[1:], self.data.dtype)
            bigger[: self.size] = self.data[: self.size]
            self.data = bigger
        self.data[self.size : need] = values
        self.size = need

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.size]


# --- the index of everything archived -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Batch:
    """The signatures of one batch as arrays (row i = i-th document of the batch)."""

    ids: list[str]
    chash: np.ndarray  # (n, 16) uint8
    minhash: np.ndarray  # (n, k) uint32
    vals: np.ndarray  # sketch samples, CSR
    offsets: np.ndarray
    trunc: np.ndarray
    chars: np.ndarray
    content: np.ndarray
    order: np.ndarray

    @classmethod
    def from_arrow(cls, table: pa.Table, settings: DedupSettings) -> _Batch:
        versions = pc.unique(table["signature_version"]).to_pylist()
        if any(v != settings.signature_version for v in versions):
            raise SignatureMismatchError(
                f"signatures were computed as {versions}, these settings need "
                f"{settings.signature_version!r}: recompute them with signatures_for(docs, settings)"
            )
        n = table.num_rows
        mh, _ = _binary_column(table["minhash"])
        vals, offsets = _binary_column(table["sketch"])
        hexes = "".join(table["content_hash"].to_pylist())
        return cls(
            ids=table["doc_id"].to_pylist(),
            chash=np.frombuffer(bytes.fromhex(hexes), np.uint8).reshape(n, 16),
            minhash=mh.reshape(n, settings.num_perm),
            vals=vals, offsets=offsets,
            trunc=table["is_truncated"].to_numpy(zero_copy_only=False).astype(bool),
            chars=table["char_count"].to_numpy(zero_copy_only=False).astype(np.int32),
            content=table["content_chars"].to_numpy(zero_copy_only=False).astype(np.int32),
            order=table["order"].to_numpy(zero_copy_only=False).astype(np.int64),
        )

    def hash_key(self) -> np.ndarray:
        return self.chash[:, :8].copy().view("<u8").ravel()


def _gather(vals: np.ndarray, offsets: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    counts = offsets[rows + 1] - offsets[rows]
    return vals[_ranges(offsets[rows], counts)], np.repeat(np.arange(len(rows)), counts)


def _sketch_floor(sizes: np.ndarray, s: DedupSettings) -> np.ndarray:
    """The sketch containment a text of `sizes` samples needs to be a containment candidate.

    >>> _sketch_floor(np.array([10, 100, 1000]), DedupSettings()).round(2).tolist()
    [0.48, 0.66, 0.72]
    """
    theta = s.containment_threshold
    return theta - s.sketch_z * np.sqrt(theta * (1 - theta) / np.maximum(sizes, 1))


def _prefix_plan(sizes: np.ndarray, s: DedupSettings) -> tuple[np.ndarray, np.ndarray]:
    """Prefix length and hits needed: a text sharing ≥ floor·m of its m samples with another
    misses at most ⌊(1−floor)·m⌋ of them, so it shares `need` of any `length` of them.

    >>> [x.tolist() for x in _prefix_plan(np.array([2, 10, 100]), DedupSettings())]
    [[2, 8, 36], [1, 3, 3]]
    """
    missable = np.floor((1 - _sketch_floor(sizes, s)) * sizes).astype(np.int64)
    length = np.minimum(sizes, missable + s.prefix_hits)
    return length, length - missable


def _prefix(vals: np.ndarray, owner: np.ndarray, df: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Mask of each text's `length[owner]` rarest samples (held by the fewest documents).

    >>> vals = np.array([1, 2, 3, 4], np.uint32); owner = np.array([0, 0, 0, 0])
    >>> _prefix(vals, owner, np.array([9, 1, 5, 2]), np.array([2])).tolist()
    [False, True, False, True]
    """
    order = np.lexsort((vals, df, owner))
    sizes = np.bincount(owner, minlength=len(length))
    first = np.cumsum(sizes) - sizes
    rank = np.empty(len(vals), np.int64)
    rank[order] = np.arange(len(vals)) - first[owner[order]]
    return rank < length[owner]


def _enough_hits(small: np.ndarray, large: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (small, large) pairs found at least need[i] times for the i-th found pair.

    >>> [x.tolist() for x in _enough_hits(np.array([1, 1, 2]), np.array([5, 5, 6]), np.array([2, 2, 2]))]
    [[1], [5]]
    """
    code = (small.astype(np.int64) << 32) | large.astype(np.int64)
    order = np.argsort(code, kind="stable")
    code, need = code[order], need[order]
    uniq, first, hits = np.unique(code, return_index=True, return_counts=True)
    keep = (hits >= need[first]) & ((uniq >> 32) != (uniq & 0xFFFFFFFF))
    return uniq[keep] >> 32, uniq[keep] & 0xFFFFFFFF


def _pairs_unique(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct unordered pairs without self-pairs, as (smaller, larger).

    >>> [x.tolist() for x in _pairs_unique(np.array([1, 2, 3, 2]), np.array([2, 1, 3, 5]))]
    [[1, 2], [2, 5]]
    """
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    code = np.unique((lo[lo != hi] << 32) | hi[lo != hi])
    return code >> 32, code & 0xFFFFFFFF


def _ngram_set(folded: str, n: int) -> np.ndarray:
    """The sorted distinct n-gram hashes of a folded text: what confirmation compares.

    >>> len(_ngram_set(dedup_form("同志们：同志们！"), 3))  # 同志们, 志们同, 们同志
    3
    """
    h = np.sort(ngram_hashes([folded], n)[0])  # sort + mask: 4× faster than np.unique here
    return h[np.r_[True, h[1:] != h[:-1]]] if len(h) else h


def _similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Real Jaccard and containment of the smaller set in the larger, of two sorted sets.

    >>> _similarity(np.array([1, 2, 3, 4]), np.array([2, 3]))
    (0.5, 1.0)
    """
    if len(a) > len(b):
        a, b = b, a
    if len(a) == 0:
        return 0.0, 0.0
    pos = np.minimum(np.searchsorted(b, a), len(b) - 1)
    inter = int((b[pos] == a).sum())
    return inter / (len(a) + len(b) - inter), inter / len(a)


class SignatureIndex:
    """Signatures of every archived document, kept in memory as numpy arrays.

    Per document: content hash, MinHash (num_perm uint32), FracMinHash sketch, truncation flag,
    char_count, ingestion order and current canonical. The lookup structures for LSH bands,
    sketch samples and sketch prefixes hold only the first document of each content hash: an
    exact copy adds a row, not another document to compare against. Texts are never held.
    Grow it with `add(result)`; persist it with `to_arrow`, reload it with `from_arrow`.
    """

    def __init__(self, settings: DedupSettings = DEFAULT) -> None:
        self.settings = settings
        self._ids: list[pa.Array] = []
        self._chash = _Grow(np.uint8, 16)
        self._minhash = _Grow(np.uint32, settings.num_perm)
        self._vals = _Grow(np.uint32)
        self._offsets = _Grow(np.int64)
        self._offsets.extend(np.zeros(1, np.int64))
        self._trunc = _Grow(bool)
        self._chars = _Grow(np.int32)
        self._content = _Grow(np.int32)
        self._order = _Grow(np.int64)
        self._canon = _Grow(np.int32)  # row of each row's canonical (itself when canonical)
        self._exact = _MultiMap()  # content-hash prefix → every row
        self._lsh = _MultiMap()  # band key → representative rows
        self._samples = _MultiMap()  # sketch sample → representative rows
        self._prefixes = _MultiMap()  # rarest sketch samples → representative rows

    def __len__(self) -> int:
        return self._order.size

    @property
    def nbytes(self) -> int:
        """Bytes of every array the index holds, ids included: what memory grows by."""
        arrays = (self._chash, self._minhash, self._vals, self._offsets, self._trunc, self._chars,
                  self._content, self._order, self._canon)
        maps = (self._exact, self._lsh, self._samples, self._prefixes)
        return (sum(a.view.nbytes for a in arrays) + sum(a.nbytes for a in self._ids)
                + sum(m.nbytes for m in maps))

    @classmethod
    def from_arrow(cls, table: pa.Table, settings: DedupSettings = DEFAULT) -> SignatureIndex:
        """An index of stored signatures; an optional `duplicate_of` column restores clusters.

        Load it with the documents' current links, e.g.
        `SELECT s.*, d.duplicate_of FROM signatures s JOIN documents d USING (doc_id)`.
        """
        index = cls(settings)
        if table.num_rows == 0:
            return index
        table = table.sort_by("order")
        canon = np.arange(table.num_rows, dtype=np.int32)
        if "duplicate_of" in table.column_names:
            target = pc.index_in(table["duplicate_of"], value_set=table["doc_id"].combine_chunks())
            has = target.is_valid().to_numpy(zero_copy_only=False)
            canon[has] = target.to_numpy(zero_copy_only=False)[has].astype(np.int32)
        index._append(_Batch.from_arrow(table, settings), canon)
        return index

    def to_arrow(self, doc_ids: Iterable[str] | None = None) -> pa.Table:
        """The signatures and current `duplicate_of` of every document, or of `doc_ids`."""
        ids = self._all_ids()
        rows = np.arange(len(self))
        if doc_ids is not None:
            wanted = pa.array(list(doc_ids), pa.string())
            rows = np.flatnonzero(pc.is_in(ids, value_set=wanted).to_numpy(zero_copy_only=False))
        counts = np.diff(self._offsets.view)[rows]
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        vals = self._vals.view[_ranges(self._offsets.view[rows], counts)]
        canon = self._canon.view[rows]
        targets = ids.take(pa.array(canon, pa.int64())).to_pylist()
        dup = [None if c == r else t for c, r, t in zip(canon.tolist(), rows.tolist(), targets)]
        return _table(ids.take(pa.array(rows, pa.int64())).to_pylist(), self._chash.view[rows],
                      self._minhash.view[rows], vals, offsets, self._trunc.view[rows],
                      self._chars.view[rows], self._content.view[rows], self._order.view[rows],
                      self.settings, dup)

    def add(self, result: DedupResult) -> None:
        """Take in a batch's result: its signatures and the links it moved.

        Call it once per result, after the batch is stored and before the next
        `find_duplicates` (a result computed against an older state is refused).
        """
        if result._base_size != len(self):
            raise ValueError(
                f"this result was computed against an index of {result._base_size} documents, "
                f"the index now holds {len(self)}: add each result before computing the next"
            )
        self._canon.view[result._moved_rows] = result._moved_to
        self._append(_Batch.from_arrow(result.signatures, self.settings), result._new_canon)

    def _append(self, batch: _Batch, canon: np.ndarray) -> None:
        base, n = len(self), len(batch.ids)
        key = batch.hash_key()
        earlier = np.zeros(n, bool)
        earlier[self._exact.lookup(key)[0]] = True
        first = np.zeros(n, bool)
        first[np.unique(key, return_index=True)[1]] = True
        reps = np.flatnonzero(first & ~earlier)
        self._ids.append(pa.array(batch.ids, pa.string()))
        if len(self._ids) > 32:
            self._ids = [self._all_ids()]
        self._chash.extend(batch.chash)
        self._minhash.extend(batch.minhash)
        self._vals.extend(batch.vals)
        self._offsets.extend(batch.offsets[1:] - batch.offsets[0] + self._offsets.view[-1])
        self._trunc.extend(batch.trunc)
        self._chars.extend(batch.chars)
        self._content.extend(batch.content)
        self._order.extend(batch.order)
        self._canon.extend(canon.astype(np.int32))
        self._exact.add(key, np.arange(base, base + n))
        s = self.settings
        grams = reps[(batch.minhash[reps] != _EMPTY_BIN).any(axis=1)]
        self._lsh.add(_band_keys(batch.minhash[grams], s.bands).ravel(), np.repeat(grams + base, s.bands))
        vals, owner = _gather(batch.vals, batch.offsets, reps)
        self._samples.add(vals, reps[owner] + base)
        length, _ = _prefix_plan(batch.offsets[reps + 1] - batch.offsets[reps], s)
        mask = _prefix(vals, owner, self._samples.count(vals), length)
        mask &= (batch.content[reps] >= s.min_contained_chars)[owner]
        self._prefixes.add(vals[mask], reps[owner[mask]] + base)

    def _all_ids(self) -> pa.Array:
        return pa.chunked_array(self._ids, pa.string()).combine_chunks()

    def _doc_ids(self, rows: np.ndarray) -> list[str]:
        return pa.chunked_array(self._ids, pa.string()).take(pa.array(rows, pa.int64())).to_pylist()


@dataclass(frozen=True, slots=True)
class DedupResult:
    """What one batch found.

    `matches`: the confirmed pairs that put the batch's documents in their clusters — each new
    document that has a duplicate gets at least one (with an archived document or another of
    the batch, `doc_id` the later of the two); a candidate pair whose documents are already in
    one cluster is not measured, as it could change nothing. `canonical`: every document of every cluster the
    batch touched → its canonical doc_id, None for the canonical itself: the value of
    `documents.duplicate_of` for each (archived documents included — a better copy moves their
    links). `changed`: the part of `canonical` that differs from before (new documents and
    moved links). `signatures`: the batch's rows for the archive's signature table, also what
    `index.add(result)` appends. A document whose doc_id the index already holds is left out of
    all of these: re-running on the same input adds nothing.
    """

    matches: list[Match]
    canonical: dict[str, str | None]
    changed: dict[str, str | None]
    signatures: pa.Table
    _base_size: int = field(repr=False)
    _new_canon: np.ndarray = field(repr=False)
    _moved_rows: np.ndarray = field(repr=False)
    _moved_to: np.ndarray = field(repr=False)


# --- one batch: archived rows are 0..N−1, the batch's rows N..N+B−1 -------------------------

class _Joint:
    """Archived and batch documents under one row numbering, gathered without copying all."""

    def __init__(self, index: SignatureIndex, batch: _Batch) -> None:
        self.index, self.batch, self.n = index, batch, len(index)
        self._ids: dict[int, str] = {}

    def _pick(self, old: np.ndarray, new: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(rows),) + new.shape[1:], new.dtype)
        archived = rows < self.n
        out[archived] = old[rows[archived]]
        out[~archived] = new[rows[~archived] - self.n]
        return out

    def minhash(self, rows):
        return self._pick(self.index._minhash.view, self.batch.minhash, rows)

    def trunc(self, rows):
        return self._pick(self.index._trunc.view, self.batch.trunc, rows)

    def content(self, rows):
        return self._pick(self.index._content.view, self.batch.content, rows)

    def order(self, rows):
        return self._pick(self.index._order.view, self.batch.order, rows)

    def sample_keys(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sorted (position in rows << 32 | sample) of the rows' sketches, and sketch sizes."""
        archived = rows < self.n
        parts = []
        for which, vals, offsets, shift in ((archived, self.index._vals.view, self.index._offsets.view, 0),
                                            (~archived, self.batch.vals, self.batch.offsets, self.n)):
            v, owner = _gather(vals, offsets, rows[which] - shift)
            parts.append((np.flatnonzero(which)[owner].astype(_U64) << _U64(32)) | v.astype(_U64))
        keys = np.sort(np.concatenate(parts))
        return keys, np.bincount((keys >> _U64(32)).astype(np.int64), minlength=len(rows))

    def ids(self, rows: Iterable[int]) -> list[str]:
        rows = [int(r) for r in rows]
        missing = sorted({r for r in rows if r < self.n and r not in self._ids})
        if missing:
            self._ids.update(zip(missing, self.index._doc_ids(np.array(missing, np.int64))))
        return [self._ids[r] if r < self.n else self.batch.ids[r - self.n] for r in rows]


def find_duplicates(
    new: Sequence[DedupDoc],
    index: SignatureIndex,
    fetch_texts: Callable[[list[str]], dict[str, str]],
    settings: DedupSettings | None = None,
    signatures: pa.Table | None = None,
) -> DedupResult:
    """Match a batch against the archive's signatures and against itself; the index is unchanged.

    `fetch_texts(doc_ids)` returns the texts of archived documents; only candidates are asked
    for, in one call per batch. Pass `signatures` when `signatures_for(new)` already ran (e.g.
    in a worker process), rows in the order of `new`. Then, once the batch is stored, call
    `index.add(result)`.

    >>> index = SignatureIndex()
    >>> full = "".join(f"第{i}季度全市新增高新技术企业{i * 37}家，研发投入增长{i}.{i}%。" for i in range(1, 20))
    >>> r1 = find_duplicates([DedupDoc("preview", full[:200], True, 200, 0)], index, dict)
    >>> index.add(r1)
    >>> r2 = find_duplicates([DedupDoc("full", full, False, len(full), 1)], index,
    ...                      lambda ids: {"preview": full[:200]})
    >>> r2.matches
    [Match(doc_id='full', matched_doc_id='preview', method='containment', similarity=1.0)]
    >>> r2.canonical  # the full text arrived: the preview now points to it
    {'preview': 'full', 'full': None}
    """
    s = settings or index.settings
    if s.signature_version != index.settings.signature_version:
        raise SignatureMismatchError(
            f"the index holds {index.settings.signature_version} signatures, these settings "
            f"make {s.signature_version}")
    if len({d.doc_id for d in new}) != len(new):
        raise ValueError("the batch holds the same doc_id twice")
    folded: list[str | None] = [None] * len(new)
    table = signatures
    if table is None:
        table, folded = _signatures(new, s)
    if table["doc_id"].to_pylist() != [d.doc_id for d in new]:
        raise ValueError("signatures must be the rows of signatures_for(new), in the same order")
    batch = _Batch.from_arrow(table, s)
    joint = _Joint(index, batch)
    N, B = joint.n, len(new)
    twin, leader, already = _exact_twins(joint)
    live = np.flatnonzero(~already)
    groups = _UnionFind(index._canon.view)
    matches = []
    for i in live.tolist():
        other = twin[i] if twin[i] >= 0 else (N + leader[i] if leader[i] != i else -1)
        groups.find(N + i)
        if other >= 0:
            groups.union(N + i, int(other))
            matches.append(Match(batch.ids[i], joint.ids([other])[0], "exact", 1.0))
    reps = np.flatnonzero((twin < 0) & (leader == np.arange(B)))
    a, b, score = _candidates(joint, reps, s)
    texts = _Texts(joint, new, folded, fetch_texts, s, np.unique(np.r_[a[a < N], b[b < N]]))
    best_first = np.argsort(-score, kind="stable")
    for x, y in zip(a[best_first].tolist(), b[best_first].tolist()):
        if groups.find(x) == groups.find(y):
            continue  # already joined: confirming this pair could not change any cluster
        kind, sim = texts.confirm(x, y)
        if kind:
            groups.union(x, y)
            older, newer = sorted((x, y), key=lambda r: (int(joint.order(np.array([r]))[0]), r))
            matches.append(Match(*joint.ids([newer, older]), kind, round(sim, 4)))
    return _cluster(joint, groups, live, matches, table, already)


class _UnionFind:
    """Clusters of joint rows: an archived row starts in its canonical's cluster."""

    def __init__(self, canon_old: np.ndarray) -> None:
        self.canon, self.n, self.parent = canon_old, len(canon_old), {}

    def find(self, x: int) -> int:
        x = int(self.canon[x]) if x < self.n else x
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


class _Texts:
    """The n-gram sets that confirmation compares, built once per document and batch."""

    def __init__(self, joint, new, folded, fetch_texts, s: DedupSettings, archived: np.ndarray) -> None:
        self.joint, self.new, self.folded, self.s = joint, new, folded, s
        self.sets: dict[int, np.ndarray] = {}
        self.archived: dict[int, str] = {}
        if len(archived):
            ids = joint.ids(archived)
            got = fetch_texts(ids)
            missing = [i for i in ids if i not in got]
            if missing:
                raise KeyError(f"fetch_texts returned no text for {len(missing)} archived documents, "
                               f"e.g. {missing[:3]}")
            self.archived = dict(zip(archived.tolist(), (got[i] for i in ids)))

    def ngrams(self, row: int) -> np.ndarray:
        if row not in self.sets:
            n = self.joint.n
            if row < n:
                folded = dedup_form(self.archived.pop(row))
            else:
                folded = self.folded[row - n] or dedup_form(self.new[row - n].text)
            self.sets[row] = _ngram_set(folded, self.s.ngram)
        return self.sets[row]

    def confirm(self, x: int, y: int) -> tuple[str | None, float]:
        """('near', J), ('containment', C) or (None, 0.0) for a candidate pair."""
        jac, cont = _similarity(self.ngrams(x), self.ngrams(y))
        shorter = int(self.joint.content(np.array([x, y])).min())
        if jac >= self.s.near_threshold:
            return "near", jac
        if cont >= self.s.containment_threshold and shorter >= self.s.min_contained_chars:
            return "containment", cont
        return None, 0.0


def _exact_twins(joint: _Joint) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per batch row: its earliest archived exact copy (or −1), the earliest batch row with its
    content hash (itself when first), and whether the index already holds its very doc_id."""
    index, batch, B = joint.index, joint.batch, len(joint.batch.ids)
    key = batch.hash_key()
    twin = np.full(B, -1, np.int64)
    already = np.zeros(B, bool)
    q, d = index._exact.lookup(key)
    same = (index._chash.view[d] == batch.chash[q]).all(axis=1)
    q, d = q[same], d[same].astype(np.int64)
    if len(q):
        already[q[np.array(joint.ids(d), object) == np.array(batch.ids, object)[q]]] = True
        o = np.lexsort((d, q))
        q, d = q[o], d[o]
        first = np.r_[True, q[1:] != q[:-1]]
        twin[q[first]] = d[first]
    hi = batch.chash[:, 8:].copy().view("<u8").ravel()
    rank = np.lexsort((batch.order, hi, key))
    start = np.ones(B, bool)
    start[1:] = (batch.chash[rank][1:] != batch.chash[rank][:-1]).any(axis=1)
    leader = np.empty(B, np.int64)
    leader[rank] = rank[np.maximum.accumulate(np.where(start, np.arange(B), 0))]
    return twin, leader, already


def _candidates(joint: _Joint, reps: np.ndarray, s: DedupSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs (joint rows, each once) for the batch's representatives, with their
    estimated similarity (MinHash Jaccard or sketch containment, the larger)."""
    index, batch, N = joint.index, joint.batch, joint.n
    rows = reps + N
    # near: an LSH band in common and a MinHash estimate of at least near_estimate
    grams = (batch.minhash[reps] != _EMPTY_BIN).any(axis=1)
    keys = _band_keys(batch.minhash[reps[grams]], s.bands).ravel()
    owner = np.repeat(rows[grams], s.bands)
    local = _MultiMap()
    local.add(keys, owner)
    q1, d1 = index._lsh.lookup(keys)
    q2, d2 = local.lookup(keys)
    a, b = _pairs_unique(owner[np.r_[q1, q2]], np.r_[d1, d2])
    near = (joint.minhash(a) == joint.minhash(b)).mean(axis=1) >= s.near_estimate
    # containment: a's rarest samples against every sample (a inside an archived or batch text)
    vals, own = _gather(batch.vals, batch.offsets, reps)
    length, need = _prefix_plan(batch.offsets[reps + 1] - batch.offsets[reps], s)
    df_old = index._samples.count(vals)
    _, inv, cnt = np.unique(vals, return_inverse=True, return_counts=True)
    pre = _prefix(vals, own, df_old + cnt[inv], length)
    pre &= (batch.content[reps] >= s.min_contained_chars)[own]
    q1, d1 = index._samples.lookup(vals[pre], s.max_postings)
    local = _MultiMap()
    local.add(vals, rows[own])
    q2, d2 = local.lookup(vals[pre])
    who = own[pre][np.r_[q1, q2]]
    small1, large1 = _enough_hits(rows[who], np.r_[d1, d2], need[who])
    # … and all of a's samples against archived prefixes (an archived text inside a)
    q3, d3 = index._prefixes.lookup(vals, s.max_postings)
    archived_need = _prefix_plan(np.diff(index._offsets.view)[d3], s)[1] if len(d3) else d3
    small2, large2 = _enough_hits(d3, rows[own[q3]], archived_need)
    small, large = np.r_[small1, small2], np.r_[large1, large2]
    ka, size_a = joint.sample_keys(small)
    kb, _ = joint.sample_keys(large)
    pos = np.minimum(np.searchsorted(kb, ka), max(len(kb) - 1, 0))
    hit = kb[pos] == ka if len(kb) else np.zeros(len(ka), bool)
    overlap = np.bincount((ka[hit] >> _U64(32)).astype(np.int64), minlength=len(small))
    inside = (size_a > 0) & (overlap >= _sketch_floor(size_a, s) * size_a)
    jest = (joint.minhash(a[near]) == joint.minhash(b[near])).mean(axis=1)
    cest = overlap[inside] / size_a[inside]
    x, y = np.minimum(small[inside], large[inside]), np.maximum(small[inside], large[inside])
    return _best_score(np.r_[a[near], x], np.r_[b[near], y], np.r_[jest, cest])


def _best_score(a: np.ndarray, b: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (a, b) pair once, with its best score.

    >>> [x.tolist() for x in _best_score(np.array([1, 1, 2]), np.array([3, 3, 3]), np.array([.5, .9, .7]))]
    [[1, 2], [3, 3], [0.9, 0.7]]
    """
    code = (a.astype(np.int64) << 32) | b.astype(np.int64)
    order = np.lexsort((-score, code))
    code, score = code[order], score[order]
    first = np.r_[True, code[1:] != code[:-1]] if len(code) else np.zeros(0, bool)
    return code[first] >> 32, code[first] & 0xFFFFFFFF, score[first]


def _cluster(joint: _Joint, groups: _UnionFind, live: np.ndarray, matches: list[Match],
             table: pa.Table, already: np.ndarray) -> DedupResult:
    """Every cluster holding a batch document, and the best copy of each."""
    index, N = joint.index, joint.n
    canon_old = index._canon.view
    new_roots = {groups.find(int(N + i)) for i in live.tolist()}
    touched = np.array([x for x in groups.parent if x < N and groups.find(x) in new_roots], np.int64)
    members = np.flatnonzero(np.isin(canon_old, touched)) if len(touched) else np.zeros(0, np.int64)
    rows = np.r_[members, live + N].astype(np.int64)
    comp = [groups.find(r) for r in rows.tolist()]
    ids = joint.ids(rows)
    # the best copy: not truncated, then the most content (folded characters: whitespace and
    # punctuation are not content), then the earliest, then the smallest id
    trunc, chars, order = joint.trunc(rows).tolist(), joint.content(rows).tolist(), joint.order(rows).tolist()
    best: dict[int, int] = {}
    for i in sorted(range(len(rows)), key=lambda i: (comp[i], trunc[i], -chars[i], order[i], ids[i])):
        best.setdefault(comp[i], i)
    # batch documents already archived are not appended: renumber the others
    renum = np.full(N + len(already), -1, np.int64)
    renum[:N] = np.arange(N)
    renum[N + live] = N + np.arange(len(live))
    canonical: dict[str, str | None] = {}
    changed: dict[str, str | None] = {}
    new_canon = np.zeros(len(live), np.int64)
    moved_rows, moved_to = [], []
    for i, r in enumerate(rows.tolist()):
        c = best[comp[i]]
        target = int(rows[c])
        canonical[ids[i]] = None if target == r else ids[c]
        if r >= N:
            new_canon[renum[r] - N] = renum[target]
            changed[ids[i]] = canonical[ids[i]]
        elif int(canon_old[r]) != target:
            moved_rows.append(r)
            moved_to.append(renum[target])
            changed[ids[i]] = canonical[ids[i]]
    return DedupResult(
        matches=matches,
        canonical=canonical,
        changed=changed,
        signatures=table.take(pa.array(live, pa.int64())) if already.any() else table,
        _base_size=N,
        _new_canon=new_canon,
        _moved_rows=np.array(moved_rows, np.int64),
        _moved_to=np.array(moved_to, np.int64),
    )
