"""Deduplication signals, pure: canonical URLs, normalised content hashes and MinHash
near-duplicate signatures with their LSH bucket keys.

Copies of one wire story differ in headline, intro, outro and small edits; their word shingles
still overlap heavily. A MinHash signature (datasketch, scheme "affine32") estimates the
Jaccard similarity of two articles' shingle sets; banding the signature (LSH) turns "similar"
into "share at least one bucket key", so a database can find candidates with one indexed
lookup (storage/stories.py) and the estimate then confirms them. Nothing here touches a
database, the network or the clock.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import MinHash

# Query parameters that only track the click (campaigns, ads, mail-outs, share buttons).
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "wickedid", "rb_clickid", "s_cid", "cmpid", "ocid", "ito",
    "at_medium", "at_campaign", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "ns_fee", "sr_share", "share", "smid", "ref_src", "ref_url", "cmp", "__twitter_impression",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "ga_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The URL without what does not name the article: the fragment, tracking parameters
    (utm_*, fbclid, gclid ...), a default port, an empty query; scheme and host in lower case,
    remaining parameters sorted. '' for an empty or unparsable URL."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if not scheme or not host:
        return url
    netloc = host
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)]
    query.sort()
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Words of a text, compatibility-folded and case-folded (accents kept: the same story
    is written the same way by every copy)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normalized_hash(text: str) -> str:
    """Hash of a text's words only: equal for copies that differ in spacing, case or
    punctuation."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class DedupeSettings:
    """How near-duplicates are found. `threshold` is the estimated Jaccard similarity of the
    word shingles from which two articles are one story; `bands` x `rows` must equal
    `num_perm` (32 x 4 finds pairs above ~0.45 with high probability)."""

    threshold: float = 0.5
    shingle: int = 3
    num_perm: int = 128
    bands: int = 32
    rows: int = 4

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            raise ValueError("dedupe: bands x rows must equal num_perm")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("dedupe: threshold must be in (0, 1]")
        if self.shingle < 1:
            raise ValueError("dedupe: shingle must be at least 1")


@dataclass(frozen=True, slots=True)
class Signature:
    """An article's near-duplicate signature: MinHash values, the number of distinct shingles,
    and the bucket keys (one per LSH band, plus one for the canonical URL if any)."""

    hashvalues: bytes
    shingles: int
    band_keys: tuple[int, ...]
    url_key: int | None

    @property
    def keys(self) -> tuple[int, ...]:
        return self.band_keys + ((self.url_key,) if self.url_key is not None else ())


SCHEME = "affine32"
_SEED = 1


@lru_cache(maxsize=8)
def _permutations(num_perm: int):
    return MinHash(num_perm=num_perm, seed=_SEED, scheme=SCHEME).permutations


def _key(*parts: bytes) -> int:
    """A signed 63-bit integer key (fits BIGINT on every database)."""
    digest = hashlib.blake2b(b"\x1f".join(parts), digest_size=8).digest()
    return int.from_bytes(digest, "big") & ((1 << 63) - 1)


_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                         0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53,
                         0x94D049BB133111EB, 0xBF58476D1CE4E5B9], dtype=np.uint64)


@lru_cache(maxsize=1 << 17)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """The distinct 32-bit hashes of a text's `size`-word shingles (of its words themselves
    when it is shorter), computed from one CRC-32 per word."""
    w = words(text)
    if not w:
        return np.zeros(0, dtype=np.uint32)
    wh = np.array(list(map(_word_hash, w)), dtype=np.uint64)
    if len(w) < size or size == 1:
        combined = wh
    else:
        size = min(size, len(_MULTIPLIERS))
        n = len(w) - size + 1
        combined = np.zeros(n, dtype=np.uint64)
        for i in range(size):  # position-weighted sum, wrapping mod 2**64
            combined += wh[i:i + n] * _MULTIPLIERS[i]
        combined ^= combined >> np.uint64(29)
    return np.unique((combined & np.uint64(0xFFFFFFFF)).astype(np.uint32))


def _band_keys(values: np.ndarray, s: DedupeSettings) -> tuple[int, ...]:
    """One 63-bit key per LSH band: a hash of the band's values, its index and the scheme
    (so signatures made with other settings never share a bucket)."""
    bands = values.astype(np.uint64).reshape(s.bands, s.rows)
    acc = np.full(s.bands, _key(f"{SCHEME}/{s.num_perm}/{s.shingle}/{s.rows}".encode()),
                  dtype=np.uint64) + np.arange(s.bands, dtype=np.uint64) * _MULTIPLIERS[7]
    for i in range(s.rows):
        acc = (acc ^ bands[:, i]) * _MULTIPLIERS[i % 7]
        acc ^= acc >> np.uint64(31)
    return tuple(int(k) for k in (acc & np.uint64((1 << 63) - 1)))


def signature(text: str, url: str = "", settings: DedupeSettings | None = None) -> Signature:
    """The near-duplicate signature of an article's text (and its canonical URL)."""
    s = settings or DedupeSettings()
    sh = shingle_hashes(text, s.shingle)
    m = MinHash(num_perm=s.num_perm, seed=_SEED, scheme=SCHEME, hashfunc=int,
                permutations=_permutations(s.num_perm))
    m.update_batch(sh.tolist())
    values = np.asarray(m.hashvalues, dtype="<u4")
    band_keys = _band_keys(values, s) if len(sh) else ()
    canon = canonical_url(url)
    return Signature(values.tobytes(), len(sh), band_keys,
                     _key(b"url", canon.encode("utf-8")) if canon else None)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets (0 when incomparable)."""
    va = np.frombuffer(a, dtype="<u4")
    vb = np.frombuffer(b, dtype="<u4")
    if len(va) != len(vb) or not len(va):
        return 0.0
    return float(np.count_nonzero(va == vb)) / len(va)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller shingle set found in the larger one, from the Jaccard
    estimate and both set sizes: a shortened copy of a story is contained in the original
    even when their Jaccard similarity is low."""
    if jaccard <= 0 or not size_a or not size_b:
        return 0.0
    inter = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, inter / min(size_a, size_b))
