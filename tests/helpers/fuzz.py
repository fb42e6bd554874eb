"""The fuzz suite's fixed budget and its generators of hostile input.

Every fuzz test runs derandomized (the same examples on every run and machine), with no deadline
(a slow CI machine never fails a test) and without the example database, so CI and a developer
see the same thing. The generators are seeded by the classes of bad input found so far: control
and bidi characters, line breaks after a value, lone surrogates, numbers past 64 bits or 4,300
digits, nesting past any parser's limit, and absurd PBKDF2/MAC iteration counts.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per fuzz test; the whole suite stays well under a minute on two cores.
EXAMPLES = 60


def budget(examples: int = EXAMPLES) -> settings:
    """The settings of one fuzz test: derandomized, no deadline, *examples* examples."""
    return settings(
        derandomize=True,
        deadline=None,
        database=None,
        max_examples=examples,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


#: Characters that change what a terminal shows, end a line, or are not text at all.
NASTY_CHARS = [
    "\x00", "\x07", "\x08", "\t", "\n", "\r", "\x0b", "\x0c", "\x1b", "\x1b[2K", "\x7f", "\x85",
    "\x9b", "\u200b", "\u200f", "\u202e", "\u2066", "\u2028", "\ufeff", "\udcff", "\ud800",
]  # fmt: skip

#: Whole values that broke something once, or sit on a boundary.
NASTY_VALUES = [
    "", " ", "-", "--", "0", "-1", "1e308", "nan", "inf", str(2**31 - 1), str(2**63 - 1),
    str(2**63), str(2**64), "9" * 4301, "١٢", "{72F988BF-86F1-41AF-91AB-2D7CD011DB47}",
    "72f988bf-86f1-41af-91ab-2d7cd011db47\n", "contoso.com\n", "contoso.com.\n", "a" * 5000,
    "Contoso\x1b[2K\rForged row", "/dev/zero", "/dev/null", ".", "..",
]  # fmt: skip


def nasty_text(max_size: int = 20) -> st.SearchStrategy[str]:
    """Text mixing ordinary letters with the nasty characters and values above."""
    pieces = st.one_of(
        st.text(alphabet="abcXYZ09 .-_@", max_size=6),
        st.sampled_from(NASTY_CHARS),
        st.sampled_from(NASTY_VALUES),
    )
    return st.lists(pieces, max_size=4).map("".join).map(lambda s: s[: max_size * 50])


#: JSON text that no encoder will write but a hand-edited or hostile file can hold.
RAW_JSON = [
    "9" * 4301,
    "-" + "9" * 5000,
    "1e999",
    "-1e999",
    "[" * 5000 + "]" * 5000,
    '{"a":' * 3000 + "1" + "}" * 3000,
    "[" * 40 + "]" * 40,
    '"\\ud800"',
    '"x\\udfff"',
    '"line\\n"',
    '"\\u001b[2J"',
    "NaN",
    "Infinity",
    "null",
    "true",
    "18446744073709551616",
]


def json_values(max_leaves: int = 8) -> st.SearchStrategy[Any]:
    """Ordinary JSON values of any type and a little depth."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        nasty_text(),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(nasty_text(8), inner, max_size=3),
        ),
        max_leaves=max_leaves,
    )


PLACEHOLDER = "@@raw@@"


def dump_with_raw(value: Any, raw: list[str]) -> str:
    """*value* as JSON text, each ``PLACEHOLDER`` string replaced by the next of *raw*."""
    text = json.dumps(value)
    for piece in raw:
        text = text.replace(json.dumps(PLACEHOLDER), piece, 1)
    return text


def set_leaf(value: Any, path: list[int], leaf: Any) -> Any:
    """A copy of *value* with the leaf reached by *path* (indices taken modulo) replaced."""
    if not path or not isinstance(value, dict | list) or not value:
        return leaf
    if isinstance(value, list):
        i = path[0] % len(value)
        return [set_leaf(v, path[1:], leaf) if n == i else v for n, v in enumerate(value)]
    keys = list(value)
    key = keys[path[0] % len(keys)]
    return {k: set_leaf(v, path[1:], leaf) if k == key else v for k, v in value.items()}
