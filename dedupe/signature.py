"""MinHash signatures computed with numpy over all shingles at once, as datasketch types.

:func:`signature` gives exactly the hash values that ``datasketch.MinHash(num_perm, seed,
hashfunc=lambda v: v, scheme=...)`` reaches after ``update_batch`` over the same input hash
values (:func:`input_hashes`), wrapped in a ``datasketch.LeanMinHash`` so the two can be mixed
(``jaccard``, ``MinHashLSH``) — only one vectorized pass instead of a Python call per shingle.

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
           "signature_size", "signature_to_bytes"]

_SCHEME_CODES = {"affine32": 1, "affine64": 2}
_VALUE_DTYPES = {
    "affine32": np.dtype("<u4"),
    "affine64": np.dtype("<u8"),
    "legacy": np.dtype("<u4"),
}
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_CHUNK_ROWS = 2048


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


def _permuted_min(hv: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str) -> np.ndarray:
    """Minimum over ``hv`` of every permutation, computed as a ``(num_perm, len(hv))`` block
    (reducing along the contiguous axis is the fastest layout for numpy)."""
    if scheme == "legacy":
        permuted = (a[:, None] * hv + b[:, None]) % _MERSENNE
        permuted &= _MAX32
    else:
        permuted = np.multiply.outer(a, hv)
        permuted += b[:, None]
    return permuted.min(axis=1)


def _minhash_values(hashes: np.ndarray, params: Params) -> np.ndarray:
    scheme = params.scheme
    a, b = _permutations(params.num_perm, params.seed, scheme)
    empty = _MAX32 if scheme == "legacy" else np.iinfo(_VALUE_DTYPES[scheme]).max
    values = np.full(params.num_perm, empty, dtype=a.dtype)
    if scheme == "affine32":
        hashes = _fmix32(hashes.astype(np.uint32))
    elif scheme == "affine64":
        hashes = fmix64(hashes.astype(np.uint64))
    for start in range(0, len(hashes), _CHUNK_ROWS):
        chunk = hashes[start:start + _CHUNK_ROWS]
        np.minimum(values, _permuted_min(chunk, a, b, scheme), out=values)
    return values


def signature(shingle_values: np.ndarray, params: Params | None = None) -> LeanMinHash:
    """MinHash signature of a set of 64-bit shingle hashes.

    Args:
        shingle_values: uint64 shingle hashes (duplicates are harmless).
        params: ``num_perm``, ``seed`` and ``scheme`` are used.

    Returns:
        A ``datasketch.LeanMinHash`` equal to datasketch's for the same input hash values.
    """
    params = params or DEFAULT_PARAMS
    hashes = input_hashes(shingle_values, params.scheme)
    values = _minhash_values(hashes, params)
    return LeanMinHash(seed=params.seed, hashvalues=values, scheme=params.scheme)


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
