"""Read a PKCS#12 file's password-hashing work from its ASN.1, before anything is decrypted.

A .pfx names how often its password is hashed: the MAC's iteration count (``MacData``) and one
count per encrypted part (PBES2/PBKDF2, or the older PKCS#12 and PKCS#5 v1 schemes). A hostile
file can ask for 2³¹−1 rounds and cost minutes of CPU per attempt; :func:`check_work` refuses
that before the password is tried.

A small BER/DER reader rather than an ASN.1 library: it needs only tag, length and value, the
structure to follow is four levels deep (RFC 7292 §4, RFC 8018 Appendix A), and the catalog of
dependencies stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

#: Per count: Windows writes 2,000, OpenSSL 2,048 and cryptography 20,000 or more.
MAX_ITERATIONS = 1_000_000
#: For the whole file, so many parts of 1,000,000 each cannot add up to minutes.
MAX_TOTAL_ITERATIONS = 2_000_000
#: How deep a constructed value (and nested safe contents) may go.
MAX_DEPTH = 32

_SEQUENCE = 0x30
_INTEGER = 0x02
_OCTET_STRING = 0x04
_OCTET_STRING_CONSTRUCTED = 0x24
_OID = 0x06
_CONTEXT_0 = 0xA0

_DATA = "1.2.840.113549.1.7.1"
_SIGNED_DATA = "1.2.840.113549.1.7.2"
_ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
_SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
_SAFE_CONTENTS_BAG = "1.2.840.113549.1.12.10.1.6"
_PBES2 = "1.2.840.113549.1.5.13"
_PBKDF2 = "1.2.840.113549.1.5.12"
_PBMAC1 = "1.2.840.113549.1.5.14"
#: PKCS#12 PBE (RFC 7292 Appendix C) and PKCS#5 v1 PBES1: parameters ``{salt, iterations}``.
_SALT_AND_COUNT = frozenset(
    [f"1.2.840.113549.1.12.1.{n}" for n in range(1, 7)]
    + [f"1.2.840.113549.1.5.{n}" for n in (1, 3, 4, 6, 10, 11)]
)


class NotPkcs12(ValueError):
    """The data does not start like a PKCS#12 file at all."""


class Damaged(ValueError):
    """The data starts like a PKCS#12 file, but its structure is broken; the text says where."""


class TooMuchWork(ValueError):
    """The file asks for more password hashing than any real .pfx does."""

    def __init__(self, iterations: int, total: bool) -> None:
        self.iterations = iterations
        self.total = total
        super().__init__(f"{iterations} iterations")


@dataclass(frozen=True)
class _Node:
    tag: int
    value: bytes


def _read(data: bytes, pos: int, depth: int) -> tuple[_Node, int]:
    """The element at *pos* and the position after it (BER: indefinite lengths allowed)."""
    if depth > MAX_DEPTH:
        raise Damaged("nested too deeply")
    if pos + 2 > len(data):
        raise Damaged("cut short")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise Damaged("an unexpected long tag")
    first = data[pos + 1]
    pos += 2
    if first == 0x80:  # indefinite length: children up to an end-of-contents 00 00
        if not tag & 0x20:
            raise Damaged("an indefinite length on a primitive value")
        start = pos
        while True:
            if data[pos : pos + 2] == b"\x00\x00":
                return _Node(tag, data[start:pos]), pos + 2
            _, pos = _read(data, pos, depth + 1)
    if first & 0x80:
        count = first & 0x7F
        if count > 4 or pos + count > len(data):
            raise Damaged("an impossible length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    else:
        length = first
    if pos + length > len(data):
        raise Damaged("cut short")
    return _Node(tag, data[pos : pos + length]), pos + length


def _children(node: _Node, depth: int) -> Iterator[_Node]:
    pos = 0
    while pos < len(node.value):
        if node.value[pos : pos + 2] == b"\x00\x00":  # end of an indefinite value
            return
        child, pos = _read(node.value, pos, depth + 1)
        yield child


def _items(node: _Node, tag: int, depth: int) -> list[_Node]:
    if node.tag != tag:
        raise Damaged(f"a value of type {node.tag:#04x} where {tag:#04x} belongs")
    return list(_children(node, depth))


def _octets(node: _Node, depth: int) -> bytes:
    """An OCTET STRING's bytes; BER may split it into constructed chunks."""
    if node.tag == _OCTET_STRING:
        return node.value
    if node.tag == _OCTET_STRING_CONSTRUCTED:
        return b"".join(_octets(c, depth + 1) for c in _children(node, depth))
    raise Damaged("no octet string where one belongs")


def _oid(node: _Node) -> str:
    if node.tag != _OID or not node.value:
        raise Damaged("no object identifier where one belongs")
    arcs: list[int] = []
    value = 0
    for byte in node.value:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2) if arcs else 0
    return ".".join(str(a) for a in [first, arcs[0] - 40 * first, *arcs[1:]]) if arcs else ""


def _count(node: _Node) -> int:
    if node.tag != _INTEGER or not node.value:
        raise Damaged("no iteration count where one belongs")
    if node.value[0] & 0x80:
        raise Damaged("a negative iteration count")
    if len(node.value) > 9:  # more than 2⁶⁴: absurd, and not worth turning into a number
        raise TooMuchWork(2**64, total=False)
    return int.from_bytes(node.value, "big")


def _one(data: bytes, depth: int) -> _Node:
    node, end = _read(data, 0, depth)
    if end != len(data):
        raise Damaged("extra bytes inside a value")
    return node


class _Walker:
    """Adds up the iteration counts of one file."""

    def __init__(self) -> None:
        self.total = 0

    def add(self, count: int) -> None:
        if count > MAX_ITERATIONS:
            raise TooMuchWork(count, total=False)
        self.total += count
        if self.total > MAX_TOTAL_ITERATIONS:
            raise TooMuchWork(self.total, total=True)

    def algorithm(self, node: _Node, depth: int) -> None:
        """An AlgorithmIdentifier: count the work of the password-based schemes we know."""
        parts = _items(node, _SEQUENCE, depth)
        if not parts:
            raise Damaged("an empty algorithm")
        oid = _oid(parts[0])
        if len(parts) < 2:
            if oid in (_PBES2, _PBKDF2, _PBMAC1) or oid in _SALT_AND_COUNT:
                raise Damaged("an algorithm without its parameters")
            return
        params = parts[1]
        if oid in (_PBES2, _PBMAC1):  # {key derivation, encryption or MAC scheme}
            inner = _items(params, _SEQUENCE, depth + 1)
            if not inner:
                raise Damaged("empty scheme parameters")
            self.algorithm(inner[0], depth + 2)
        elif oid == _PBKDF2 or oid in _SALT_AND_COUNT:  # {salt, iterationCount, ...}
            inner = _items(params, _SEQUENCE, depth + 1)
            if len(inner) < 2:
                raise Damaged("password parameters without an iteration count")
            self.add(_count(inner[1]))

    def safe_contents(self, data: bytes, depth: int) -> None:
        for bag in _items(_one(data, depth), _SEQUENCE, depth):
            parts = _items(bag, _SEQUENCE, depth + 1)
            if len(parts) < 2:
                raise Damaged("a bag without its value")
            kind = _oid(parts[0])
            value = _items(parts[1], _CONTEXT_0, depth + 2)
            if not value:
                continue
            if kind == _SHROUDED_KEY_BAG:  # EncryptedPrivateKeyInfo {algorithm, data}
                info = _items(value[0], _SEQUENCE, depth + 3)
                if not info:
                    raise Damaged("an empty private key")
                self.algorithm(info[0], depth + 4)
            elif kind == _SAFE_CONTENTS_BAG:
                self.safe_contents(_encode_sequence(value[0]), depth + 3)

    def content_info(self, node: _Node, depth: int) -> None:
        parts = _items(node, _SEQUENCE, depth)
        if not parts:
            raise Damaged("an empty content")
        kind = _oid(parts[0])
        content = _items(parts[1], _CONTEXT_0, depth + 1) if len(parts) > 1 else []
        if kind == _DATA:
            if not content:
                raise Damaged("a data part without data")
            self.safe_contents(_octets(content[0], depth + 2), depth + 2)
        elif kind == _ENCRYPTED_DATA:  # {version, {type, algorithm, [0] data}}
            if not content:
                raise Damaged("an encrypted part without data")
            encrypted = _items(content[0], _SEQUENCE, depth + 2)
            if len(encrypted) < 2:
                raise Damaged("an encrypted part without its algorithm")
            info = _items(encrypted[1], _SEQUENCE, depth + 3)
            if len(info) < 2:
                raise Damaged("an encrypted part without its algorithm")
            self.algorithm(info[1], depth + 4)


def _encode_sequence(node: _Node) -> bytes:
    """*node* written back as DER, so nested safe contents read like top-level ones."""
    length = len(node.value)
    if length < 0x80:
        head = bytes([length])
    else:
        size = (length.bit_length() + 7) // 8
        head = bytes([0x80 | size]) + length.to_bytes(size, "big")
    return bytes([node.tag]) + head + node.value


def _starts_like_pfx(data: bytes) -> bool:
    """A SEQUENCE whose first value is ``INTEGER 3``: a PFX, even if cut short or broken."""
    if len(data) < 2 or data[0] != _SEQUENCE:
        return False
    skip = 2 + (data[1] & 0x7F if data[1] & 0x80 else 0)
    return data[skip : skip + 3] == b"\x02\x01\x03"


def check_work(data: bytes) -> int:
    """The file's total iteration count, after checking each against the limits.

    Raises :class:`NotPkcs12` when *data* does not start like a PFX, :class:`Damaged` when its
    structure is broken, and :class:`TooMuchWork` when a count (or their sum) is absurd.
    Trailing bytes after the PFX are left to the PKCS#12 reader, as OpenSSL does.
    """
    try:
        top, _ = _read(data, 0, 0)
        parts = _items(top, _SEQUENCE, 0)
    except Damaged as exc:
        if _starts_like_pfx(data):
            raise
        raise NotPkcs12(str(exc)) from exc
    if len(parts) < 2 or parts[0].tag != _INTEGER or parts[0].value != b"\x03":
        raise NotPkcs12("not a PFX version 3")
    try:
        auth_safe = _items(parts[1], _SEQUENCE, 1)
        kind = _oid(auth_safe[0]) if auth_safe else ""
    except Damaged as exc:
        raise NotPkcs12(str(exc)) from exc
    if kind not in (_DATA, _SIGNED_DATA):
        raise NotPkcs12("no PKCS#7 content")
    walker = _Walker()
    if len(parts) > 2:  # MacData {DigestInfo {algorithm, digest}, salt, iterations DEFAULT 1}
        mac = _items(parts[2], _SEQUENCE, 1)
        if len(mac) < 2:
            raise Damaged("a MAC without its salt")
        digest = _items(mac[0], _SEQUENCE, 2)
        if not digest:
            raise Damaged("a MAC without its algorithm")
        walker.algorithm(digest[0], 3)  # PBMAC1 (RFC 9579) names its own PBKDF2 count
        walker.add(_count(mac[2]) if len(mac) > 2 else 1)
    if kind == _SIGNED_DATA:
        return walker.total  # public-key integrity mode: no password hashing to count here
    if len(auth_safe) < 2:
        raise Damaged("no content")
    content = _items(auth_safe[1], _CONTEXT_0, 2)
    if not content:
        raise Damaged("no content")
    for info in _items(_one(_octets(content[0], 3), 3), _SEQUENCE, 3):
        walker.content_info(info, 4)
    return walker.total
