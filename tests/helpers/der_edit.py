"""Edit the integers of a DER file (a .pfx) and write it back with correct lengths.

Used to make hostile .pfx files from valid ones: a file whose MAC or key asks for 2³¹−1
iterations cannot be made by any tool in reasonable time, but an edited one can. OCTET STRINGs
that hold DER (a PFX's content) are opened too, so nested counts can be edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INTEGER = 0x02
OCTET_STRING = 0x04


@dataclass
class Node:
    """One DER element: a primitive value, or children (constructed, or DER inside octets)."""

    tag: int
    value: bytes = b""
    children: list[Node] | None = None
    path: tuple[int, ...] = field(default=())


def _header(data: bytes, pos: int) -> tuple[int, int, int]:
    tag, first = data[pos], data[pos + 1]
    pos += 2
    if first & 0x80:
        count = first & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    else:
        length = first
    return tag, length, pos


def _parse_all(data: bytes, path: tuple[int, ...]) -> list[Node]:
    nodes: list[Node] = []
    pos = 0
    while pos < len(data):
        if len(data) - pos < 2:
            raise ValueError("cut short")
        tag, length, start = _header(data, pos)
        end = start + length
        if end > len(data) or data[pos + 1] == 0x80:
            raise ValueError("not DER")
        nodes.append(_node(tag, data[start:end], (*path, len(nodes))))
        pos = end
    return nodes


def _node(tag: int, value: bytes, path: tuple[int, ...]) -> Node:
    if tag & 0x20:
        return Node(tag, children=_parse_all(value, path), path=path)
    if tag == OCTET_STRING and value[:1] == b"\x30":
        try:
            inner = _parse_all(value, path)
        except (ValueError, IndexError):
            return Node(tag, value, path=path)
        if encode_all(inner) == value:  # only what re-encodes exactly is treated as DER
            return Node(tag, children=inner, path=path)
    return Node(tag, value, path=path)


def parse(data: bytes) -> Node:
    """The tree of a DER file (one top-level element)."""
    (top,) = _parse_all(data, ())
    return top


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    size = (n.bit_length() + 7) // 8
    return bytes([0x80 | size]) + n.to_bytes(size, "big")


def encode(node: Node) -> bytes:
    value = encode_all(node.children) if node.children is not None else node.value
    return bytes([node.tag]) + _length(len(value)) + value


def encode_all(nodes: list[Node]) -> bytes:
    return b"".join(encode(n) for n in nodes)


def integers(node: Node) -> list[Node]:
    """Every INTEGER in the tree, in file order."""
    if node.children is None:
        return [node] if node.tag == INTEGER else []
    return [i for child in node.children for i in integers(child)]


def integer_value(node: Node) -> int:
    return int.from_bytes(node.value, "big", signed=True)


def set_integer(node: Node, value: int) -> None:
    """Give an INTEGER node a new (non-negative) value, minimally encoded."""
    size = value.bit_length() // 8 + 1
    node.value = value.to_bytes(size, "big", signed=True)


def with_counts(data: bytes, old: int, new: int, which: int | None = None) -> bytes:
    """*data* with the INTEGERs equal to *old* set to *new* (only the *which*-th, if given)."""
    top = parse(data)
    found = [n for n in integers(top) if integer_value(n) == old]
    if not found:
        raise ValueError(f"no integer {old} in the file")
    for index, node in enumerate(found):
        if which is None or index == which:
            set_integer(node, new)
    return encode(top)


def count_of(data: bytes, value: int) -> int:
    """How many INTEGERs in *data* equal *value*."""
    return sum(1 for n in integers(parse(data)) if integer_value(n) == value)
