"""The stored dedupe fingerprint of a post, and its byte formats."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash

from dedupe.document import Document, analyze
from dedupe.params import DEFAULT_PARAMS, Params
from dedupe.shingle import distinct
from dedupe.signature import signature, signature_from_bytes, signature_to_bytes

__all__ = ["Fingerprint", "fingerprint", "fingerprint_document", "paragraphs_from_bytes",
           "paragraphs_to_bytes"]

_ANCHOR_DTYPE = np.dtype("<u8")


def paragraphs_to_bytes(anchors: np.ndarray) -> bytes:
    """Serialize paragraph anchors: sorted distinct uint64 values, little-endian, 8 bytes each."""
    return distinct(np.asarray(anchors, dtype=np.uint64)).astype(_ANCHOR_DTYPE).tobytes()


def paragraphs_from_bytes(data: bytes) -> np.ndarray:
    """Read bytes written by :func:`paragraphs_to_bytes`.

    Raises:
        ValueError: If the length is not a multiple of 8.
    """
    if len(data) % 8:
        raise ValueError(f"paragraph bytes must be a multiple of 8 bytes long, got {len(data)}")
    return np.frombuffer(data, dtype=_ANCHOR_DTYPE).astype(np.uint64)


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """What the archive stores per post to find its duplicates and reused paragraphs.

    Attributes:
        norm_hash: 32 lowercase hex digits, BLAKE2b-128 of the UTF-8 normalized text; equal
            hashes mean equal normalized text (an exact duplicate).
        signature: MinHash of the word-shingle set, a ``datasketch.LeanMinHash``.
        word_count: Words in the normalized text.
        paragraph_hashes: Sorted distinct uint64 anchors: for each paragraph of at least
            ``params.anchor_words`` words, the hash of its first and of its last
            ``anchor_words`` words, plus the hash of the text's first ``anchor_words`` words.
            Posts sharing a paragraph (even an edited one), or an opening, share one.
        params_fingerprint: ``Params.fingerprint()`` of the parameters used; signatures
            only compare under equal fingerprints.
        document: The analysed text when made by :func:`fingerprint` (reused by ``match``);
            ``None`` when rebuilt from stored bytes.
    """

    norm_hash: str
    signature: LeanMinHash
    word_count: int
    paragraph_hashes: np.ndarray
    params_fingerprint: str
    document: Document | None = field(default=None, repr=False)

    def signature_bytes(self) -> bytes:
        """Signature as little-endian ``LeanMinHash`` bytes (see :mod:`dedupe.signature`)."""
        return signature_to_bytes(self.signature)

    def paragraph_bytes(self) -> bytes:
        """Paragraph anchors as sorted little-endian uint64 values, 8 bytes each."""
        return paragraphs_to_bytes(self.paragraph_hashes)

    @classmethod
    def from_stored(
        cls,
        norm_hash: str,
        signature_bytes: bytes,
        paragraph_bytes: bytes,
        word_count: int,
        params_fingerprint: str,
    ) -> Fingerprint:
        """Rebuild a fingerprint from the values the storage layer keeps for a post."""
        return cls(
            norm_hash=norm_hash,
            signature=signature_from_bytes(signature_bytes),
            word_count=int(word_count),
            paragraph_hashes=paragraphs_from_bytes(paragraph_bytes),
            params_fingerprint=params_fingerprint,
        )


def fingerprint(text: str, params: Params | None = None) -> Fingerprint:
    """Fingerprint a post body.

    Args:
        text: The post body (paragraphs separated by line breaks).
        params: Dedupe parameters; defaults to ``Params()``.

    Example:
        >>> fp = fingerprint("Harrow council has been issued an improvement notice.")
        >>> fp.word_count, len(fp.signature_bytes())
        (8, 525)
    """
    params = params or DEFAULT_PARAMS
    return fingerprint_document(analyze(text, params), params)


def fingerprint_document(doc: Document, params: Params | None = None) -> Fingerprint:
    """Fingerprint an already analysed text (see :func:`dedupe.document.analyze`)."""
    params = params or DEFAULT_PARAMS
    return Fingerprint(
        norm_hash=doc.norm_hash,
        signature=signature(doc.shingles, params),
        word_count=doc.word_count,
        paragraph_hashes=doc.anchors(params.anchor_words),
        params_fingerprint=params.fingerprint(),
        document=doc,
    )
