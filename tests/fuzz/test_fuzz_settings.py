"""settings.json as a hand edit or a hostile file leaves it: every setting given any JSON value,
raw numbers and nesting no encoder writes, and bytes that are not UTF-8. Loading gives
settings of the right types, or one line naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from desktop.core.errors import UserError
from desktop.core.settings import Settings
from tests.helpers.fuzz import PLACEHOLDER, RAW_JSON, budget, dump_with_raw, json_values

KEYS = sorted(Settings.__dataclass_fields__)
TYPES = {
    "sign_in_client_id": str,
    "client_ids": dict,
    "check_concurrency": int,
    "consent_timeout_seconds": int,
    "consent_link_redirect_uri": str,
}

settings_objects = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=5)),
    st.one_of(json_values(), st.just(PLACEHOLDER)),
    max_size=6,
)


def _load(content: bytes) -> Settings | UserError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.json"
        path.write_bytes(content)
        try:
            return Settings.load(path)
        except UserError as exc:
            message = exc.one_line()
            assert str(path) in message and "\n" not in message
            return exc


def _check_types(loaded: Settings) -> None:
    for key, kind in TYPES.items():
        value: Any = getattr(loaded, key)
        assert isinstance(value, kind) and not isinstance(value, bool), (key, value)
        if kind is str:
            value.encode("utf-8")
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.client_ids.items())
    assert 1 <= loaded.check_concurrency <= 64


def seeded(test: Any) -> Any:
    """Each raw class that broke loading once, as every setting's value."""
    for raw in RAW_JSON:
        for key in KEYS:
            test = example(obj={key: PLACEHOLDER}, raw=[raw])(test)
    return test


@budget(120)
@seeded
@given(obj=settings_objects, raw=st.lists(st.sampled_from(RAW_JSON), max_size=3))
def test_any_settings_object_loads_typed_or_is_one_line(
    obj: dict[str, Any], raw: list[str]
) -> None:
    text = dump_with_raw(obj, raw + [RAW_JSON[0]] * 6)
    loaded = _load(text.encode("utf-8", "surrogatepass"))
    if isinstance(loaded, Settings):
        _check_types(loaded)


@budget(40)
@given(st.binary(max_size=200), st.sampled_from(RAW_JSON))
def test_any_bytes_load_or_are_one_line(noise: bytes, raw: str) -> None:
    for content in (noise, b'{"check_concurrency": ' + raw.encode() + b"}", raw.encode()):
        loaded = _load(content)
        if isinstance(loaded, Settings):
            _check_types(loaded)
