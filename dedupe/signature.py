"""MinHash signatures computed with numpy over all shingles at once, as datasketch types.

:func:`signature` gives exactly the hash values that ``datasketch.MinHash(num_perm, seed,
hashfunc=lambda v: v, scheme=...)`` reaches after ``update_batch`` over the same input hash
values (:func:`input_hashes`), wrapped in a ``datasketch.LeanMinHash`` so the two can be mixed
(``jaccard``, ``MinHashLSH``) — only one vectorized pass instead of a Python call per shingle.
:func:`signature_values` does the same for many shingle sets at once (one row each), in
cache-sized blocks of permutations by shingles reduced per set with ``np.minimum.reduceat``;
:func:`signature` is its one-set case and :func:`dedupe.fingerprint_many` its main user.

Signature bytes are ``LeanMinHash.serialize(buf, byteorder="<")``, never a pickle. For the
default ``"affine32"`` scheme (525 bytes at ``num_perm=128``)::

    offset 0   int64   seed
    offset 8   int32   -num_perm  (negative: the post-2.0 layout with a scheme code)
    offset 12  uint8   scheme code: 1 = affine32, 2 = affine64
    offset 13  uint32[num_perm] hash values (uint64[num_perm] for affine64)

The ``"legacy"`` scheme (datasketch < 2.0) has no scheme code: int64 seed, int32 +num_perm,
then uint32 values. All fields are little-endian.
"""

from __future__ import annotations

import struct
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from dedupe.params import DEFAULT_PARAMS, Params
from dedupe.shingle import fmix64

__all__ = ["input_hashes", "signature", "signature_from_bytes", "signature_matrix",
           "signature_size", "signature_to_bytes", "signature_values"]

_SCHEME_CODES = {"affine32": 1, "affine64": 2}
_VALUE_DTYPES = {
    "affine32": np.dtype("<u4"),
    "affine64": np.dtype("<u8"),
    "legacy": np.dtype("<u4"),
}
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
#: Block shape of :func:`signature_values`: 32 x 8192 uint32 values are 1 MiB.
_BLOCK_PERMS = 32
_BLOCK_COLUMNS = 8192


@lru_cache(maxsize=16)
def _permutations(num_perm: int, seed: int, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own permutation parameters ``(a, b)`` for these settings."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=scheme).permutations
    return np.asarray(a), np.asarray(b)


def _fmix32(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2 = _FMIX32
    h = values ^ (values >> s1)
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s1
    return h


def input_hashes(shingle_values: np.ndarray, scheme: str = "affine32") -> np.ndarray:
    """Turn 64-bit shingle hashes into the input hash values of a datasketch scheme.

    ``"affine64"`` takes the 64-bit values; the 32-bit schemes take their high 32 bits.
    """
    values = np.asarray(shingle_values, dtype=np.uint64)
    if scheme == "affine64":
        return values
    shifted = values >> np.uint64(32)
    return shifted.astype(np.uint32) if scheme == "affine32" else shifted


def _permuted(hv: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str) -> np.ndarray:
    """Every permutation of ``hv`` as a ``(len(a), len(hv))`` block (reducing along the
    contiguous axis is the fastest layout for numpy)."""
    if scheme == "legacy":
        permuted = (a[:, None] * hv + b[:, None]) % _MERSENNE
        permuted &= _MAX32
    else:
        permuted = np.multiply.outer(a, hv)
        permuted += b[:, None]
    return permuted


def signature_values(shingle_values: np.ndarray, lengths: np.ndarray,
                     params: Params | None = None) -> np.ndarray:
    """MinHash values of many shingle sets at once, one row per set.

    All the sets' shingles are permuted together in blocks of ``_BLOCK_PERMS`` permutations
    by ``_BLOCK_COLUMNS`` shingles (about 1 MiB, so a block stays in cache: bigger blocks
    are slower, not faster), and each block is reduced per set with ``np.minimum.reduceat``;
    a set crossing a block edge takes the minimum of its parts. This costs a few numpy calls
    per block instead of a few per set, and gives exactly :func:`signature`'s values.

    Args:
        shingle_values: uint64 shingle hashes of all the sets, one set after another.
        lengths: How many of ``shingle_values`` each set has, in order.
        params: ``num_perm``, ``seed`` and ``scheme`` are used.

    Returns:
        A ``(len(lengths), num_perm)`` array of hash values (an empty set's row holds the
        scheme's maximum value, as an empty datasketch ``MinHash`` does).
    """
    params = params or DEFAULT_PARAMS
    scheme = params.scheme
    a, b = _permutations(params.num_perm, params.seed, scheme)
    hashes = input_hashes(shingle_values, scheme)
    if scheme == "affine32":
        hashes = _fmix32(hashes)
    elif scheme == "affine64":
        hashes = fmix64(hashes)
    lengths = np.asarray(lengths, dtype=np.intp)
    ends = np.cumsum(lengths)
    if len(hashes) != (ends[-1] if len(ends) else 0):
        raise ValueError(f"lengths add up to {ends[-1] if len(ends) else 0}, "
                         f"not to the {len(hashes)} shingle values given")
    empty = _MAX32 if scheme == "legacy" else np.iinfo(_VALUE_DTYPES[scheme]).max
    full = np.flatnonzero(lengths)
    # Work on the non-empty sets only: their starts are distinct, as reduceat needs.
    starts, ends = ends[full] - lengths[full], ends[full]
    values = np.full((params.num_perm, len(full)), empty, dtype=a.dtype)
    for low in range(0, len(hashes), _BLOCK_COLUMNS):
        high = min(low + _BLOCK_COLUMNS, len(hashes))
        first = int(np.searchsorted(ends, low, "right"))
        last = int(np.searchsorted(starts, high, "left"))
        offsets = np.maximum(starts[first:last], low) - low
        chunk = hashes[low:high]
        for row in range(0, params.num_perm, _BLOCK_PERMS):
            rows = slice(row, row + _BLOCK_PERMS)
            block = _permuted(chunk, a[rows], b[rows], scheme)
            target = values[rows, first:last]
            np.minimum(target, np.minimum.reduceat(block, offsets, axis=1), out=target)
    out = np.full((len(lengths), params.num_perm), empty, dtype=a.dtype)
    out[full] = values.T
    return out


def signature(shingle_values: np.ndarray, params: Params | None = None) -> LeanMinHash:
    """MinHash signature of a set of 64-bit shingle hashes.

    Args:
        shingle_values: uint64 shingle hashes (duplicates are harmless).
        params: ``num_perm``, ``seed`` and ``scheme`` are used.

    Returns:
        A ``datasketch.LeanMinHash`` equal to datasketch's for the same input hash values.
    """
    params = params or DEFAULT_PARAMS
    values = np.asarray(shingle_values, dtype=np.uint64)
    row = signature_values(values, np.array([len(values)]), params)[0]
    return LeanMinHash(seed=params.seed, hashvalues=row, scheme=params.scheme)


def _header(num_perm: int, seed: int, scheme: str) -> bytes:
    if scheme == "legacy":
        return struct.pack("<qi", seed, num_perm)
    return struct.pack("<qiB", seed, -num_perm, _SCHEME_CODES[scheme])


def signature_size(params: Params) -> int:
    """Length in bytes of a signature made with ``params``."""
    header = _header(params.num_perm, params.seed, params.scheme)
    return len(header) + params.num_perm * _VALUE_DTYPES[params.scheme].itemsize


def signature_to_bytes(sig: LeanMinHash) -> bytes:
    """Serialize a (Lean)MinHash exactly as ``LeanMinHash.serialize(buf, byteorder="<")``."""
    scheme = getattr(sig, "scheme", "legacy")
    values = np.asarray(sig.hashvalues).astype(_VALUE_DTYPES[scheme])
    return _header(len(values), int(sig.seed), scheme) + values.tobytes()


def _parse_header(data: bytes) -> tuple[int, int, str, int]:
    if len(data) < 12:
        raise ValueError(f"signature bytes too short ({len(data)} bytes)")
    seed, count = struct.unpack_from("<qi", data, 0)
    if count >= 0:
        return seed, count, "legacy", 12
    codes = {code: scheme for scheme, code in _SCHEME_CODES.items()}
    if len(data) < 13 or data[12] not in codes:
        raise ValueError("signature bytes carry an unknown permutation scheme code")
    return seed, -count, codes[data[12]], 13


def signature_from_bytes(data: bytes) -> LeanMinHash:
    """Read bytes written by :func:`signature_to_bytes` or ``LeanMinHash.serialize(…, "<")``.

    Raises:
        ValueError: If the bytes are truncated or carry an unknown scheme.
    """
    seed, num_perm, scheme, offset = _parse_header(data)
    dtype = _VALUE_DTYPES[scheme]
    if len(data) != offset + num_perm * dtype.itemsize:
        raise ValueError(
            f"signature bytes have {len(data)} bytes; expected {offset + num_perm * dtype.itemsize}"
            f" for num_perm={num_perm}, scheme={scheme!r}"
        )
    values = np.frombuffer(data, dtype=dtype, offset=offset).astype(dtype.newbyteorder("="))
    return LeanMinHash(seed=seed, hashvalues=values, scheme=scheme)


def signature_matrix(blobs: list[bytes], params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Parse many signatures at once into a ``(len(blobs), num_perm)`` array.

    Returns:
        ``(values, valid)``: hash values (rows of invalid blobs are zero) and a boolean mask
        of the blobs that have exactly the layout, seed, num_perm and scheme of ``params``.
    """
    header = _header(params.num_perm, params.seed, params.scheme)
    size = signature_size(params)
    dtype = _VALUE_DTYPES[params.scheme]
    valid = np.fromiter((len(blob) == size for blob in blobs), dtype=bool, count=len(blobs))
    joined = b"".join(blob if ok else bytes(size) for blob, ok in zip(blobs, valid))
    rows = np.frombuffer(joined, dtype=np.uint8).reshape(len(blobs), size)
    valid &= (rows[:, :len(header)] == np.frombuffer(header, dtype=np.uint8)).all(axis=1)
    values = rows[:, len(header):].copy().view(dtype).astype(dtype.newbyteorder("="))
    values[~valid] = 0
    return values, valid
