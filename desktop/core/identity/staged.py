"""A certificate store in memory, so that a consent flow can check and use a new certificate
while the browser waits, and the vault gets it only when the profile is saved.

A process killed during the browser wait (SIGKILL, a closed terminal) then leaves nothing
behind: there is no key in the keyring and no file in the data folder yet.
"""

from __future__ import annotations

from desktop.core.certificates import (
    CertificateInfo,
    PfxContents,
    inspect,
    read_pfx,
    validate_for_profile,
)
from desktop.core.vault import new_name

#: The prefix of a staged ref: it never reaches a saved profile.
STAGED_PREFIX = "staged"


class StagedCertificates:
    """Certificates opened for one consent flow, by a ref that lives only in this object."""

    def __init__(self) -> None:
        self.contents: dict[str, PfxContents] = {}

    def import_pfx(self, data: bytes, password: str | None) -> tuple[str, CertificateInfo]:
        contents = read_pfx(data, password)
        validate_for_profile(contents)
        ref = new_name(STAGED_PREFIX)
        self.contents[ref] = contents
        return ref, inspect(contents)

    def load(self, ref: str) -> PfxContents:
        return self.contents[ref]

    def delete(self, ref: str) -> None:
        self.contents.pop(ref, None)


def is_staged(ref: str) -> bool:
    """Whether *ref* names a certificate held in memory (not in the vault)."""
    return ref.startswith(f"{STAGED_PREFIX}-")
