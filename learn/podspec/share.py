"""Specs carried in URLs, the way Kroki does it: zlib deflate, then URL-safe base64.

`python -m learn.podspec encode FILE` prints the code for a file; `decode` is bounded so that a
small URL cannot expand into a huge spec.
"""

import base64
import binascii
import zlib

MAX_ENCODED = 16 * 1024  # characters in a URL path segment
MAX_DECODED = 64 * 1024  # bytes of YAML once inflated


class BadCode(ValueError):
    """The code is not a valid, bounded encoding of a spec."""


def encode(text: str) -> str:
    """The URL-safe code of a spec (no padding)."""
    return base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode().rstrip("=")


def decode(code: str) -> str:
    """The spec a code carries; BadCode if it is malformed or too large."""
    if len(code) > MAX_ENCODED:
        raise BadCode(f"the code is longer than {MAX_ENCODED:,} characters")
    try:
        data = base64.b64decode(code + "=" * (-len(code) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadCode("the code is not URL-safe base64") from exc
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(data, MAX_DECODED + 1)
    except zlib.error as exc:
        raise BadCode("the code is not deflate-compressed (zlib) data") from exc
    if len(raw) > MAX_DECODED or inflater.unconsumed_tail:
        raise BadCode(f"the spec is larger than {MAX_DECODED // 1024} KB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadCode("the spec is not UTF-8 text") from exc
