"""A certificate the technician chose (or created) for a custom app, held in memory only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.core.certificates.model import CertificateInfo, PfxContents


@dataclass(frozen=True)
class SelectedCertificate:
    """A certificate the technician chose (or created), held in memory only.

    ``pfx_bytes`` and ``password`` let the owner store it in the vault later (the wizard's
    Save); ``contents`` signs the verification. Nothing here is written anywhere.
    """

    path: Path | None
    info: CertificateInfo
    contents: PfxContents
    pfx_bytes: bytes
    password: str | None

    @property
    def usable_for_profile(self) -> bool:
        """Whether an app profile may store it: usable key, valid now."""
        info = self.info
        return info.usable and not info.expired and not info.not_yet_valid
