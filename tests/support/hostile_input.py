"""The shared list of hostile inputs: what an attacker or a broken browser may send in any form field,
query string or address. Tests post these everywhere; none may produce a server error."""

from __future__ import annotations

from urllib.parse import quote_plus

MEGABYTE = "x" * 1_000_000

# Strings are sent as UTF-8 (lone surrogates through "surrogatepass", which a browser's broken encoder
# also produces); bytes are sent as they are, invalid UTF-8 included.
VALUES: list[str | bytes] = [
    "\x00",
    "a\x00b@example.org",
    b"\xff\xfe\xc3(",  # invalid UTF-8
    "\ud800 lone \udfff surrogates",
    "\ufffd\x00 replacement and NUL",
    MEGABYTE,
    "0001-01-01",
    "9999-12-31",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e\u0000\r\nSet-Cookie: x=y",
]

# Ids in addresses: negative, zero, past every integer column, and merely missing.
IDS = ["-1", "0", "2147483647", "2147483648", "99999999999999999999999"]


def encode(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def urlencode(pairs: list[tuple[str, str | bytes]]) -> str:
    return "&".join(f"{quote_plus(name)}={quote_plus(encode(value))}" for name, value in pairs)
