"""Rotate a custom profile's certificate: create, upload (the customer), verify, retire.

1. :func:`new_certificate` makes a key pair and self-signed certificate named like the old
   one; the caller hands the ``.cer`` to the customer with :func:`upload_steps` (where in the
   customer's app registration to upload it) and keeps the key (a password-protected .pfx).
2. Once the customer has uploaded it, :func:`finish_rotation` signs in with the new
   certificate; only when the tenant accepts it does the secret store swap it in (the profile
   is saved with the new ref before the old certificate is removed) and the profile is checked
   again. Until then nothing changes, and the old certificate stays in use.
3. :func:`retire_steps` says how to remove the old certificate from the app registration.

:func:`start_rotation` (step 1: the files and the upload steps) and :func:`verify_rotation`
(step 2: verify, swap, check, and the retire steps) are what the CLI's ``cert rotate`` and
the GUI's "Rotate certificate…" both call.

Only the :class:`~desktop.core.secrets.store.SecretStore` interface is used: solo and team
mode alike (in team mode the new certificate is shared as the old one was).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.cancel import CancelToken
from desktop.core.catalog.model import AppType, SetupMode
from desktop.core.certificates import (
    CertificateInfo,
    CertificateRequest,
    PfxContents,
    PfxEncryption,
    create_self_signed,
    file_stem,
    inspect,
    validate_for_profile,
    write_certificate_files,
)
from desktop.core.certificates.credentials import msal_client_credential
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import Target
from desktop.core.domain import AppProfile, Status
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import UserError
from desktop.core.identity.verify import CertificateMismatchError, verify_client_credentials
from desktop.core.reauthorize.flow import ReauthorizeStore
from desktop.core.secrets.store import SecretStore

if TYPE_CHECKING:
    from desktop.core.inventory import Inventory
    from desktop.core.inventory.profiles import ProfileDetails

#: Where the customer's administrator uploads a certificate (Microsoft Entra admin center).
PORTAL = "https://entra.microsoft.com"


def rotatable(profile: AppProfile) -> None:
    """Refuse a profile whose certificate cannot be rotated (not custom mode, no app ID)."""
    if profile.mode is not SetupMode.CUSTOM:
        raise UserError(
            f"App profile #{profile.id} uses the publisher's app, which has no certificate "
            "of ours to rotate.",
            remedy="Rotate only custom-mode profiles (`cert expiry` lists them).",
        )
    if not profile.custom_app_id:
        raise UserError(
            f"App profile #{profile.id} has no application ID.",
            remedy="Re-authorize it with --app-id and the custom app's certificate.",
        )


def new_certificate(old: CertificateInfo | None, fallback_name: str, days: int) -> PfxContents:
    """A new key and self-signed certificate, named like *old* (else *fallback_name*)."""
    subject = old.common_name if old is not None else fallback_name
    return create_self_signed(CertificateRequest(subject[:64], days=days).validated())


def upload_steps(app_id: str, tenant: str, cer_name: str, thumbprint: str) -> list[str]:
    """What the customer's administrator does to accept the new certificate."""
    return [
        f"Sign in to {PORTAL} as an administrator of {tenant}.",
        "Go to Identity > Applications > App registrations > All applications, and open "
        f"the application with ID {app_id}.",
        f"Open Certificates & secrets > Certificates > Upload certificate, choose {cer_name} "
        "and select Add.",
        f"Check that the thumbprint shown is {thumbprint}.",
        "Leave the old certificate there until the new one is verified.",
    ]


def retire_steps(app_id: str, tenant: str, old_thumbprint: str) -> list[str]:
    """How the customer removes the old certificate once the new one is in use."""
    if not old_thumbprint:
        return []
    return [
        f"In {PORTAL} ({tenant}), open the application with ID {app_id} > Certificates & "
        f"secrets > Certificates, and delete the certificate with thumbprint {old_thumbprint}.",
    ]


def finish_rotation(
    target: Target,
    contents: PfxContents,
    app_type: AppType,
    *,
    certificates: SecretStore,
    store: ReauthorizeStore,
    checker: ProfileChecker,
    cancel: CancelToken | None = None,
) -> CheckResult:
    """Verify *contents* against the customer's app, then swap it in and check the profile.

    Raises :class:`UserError` (nothing changed, the old certificate still in use) when the
    tenant does not accept it yet or cannot be asked; *cancel*, once set, stops it before
    anything is swapped (raising :class:`~desktop.core.errors.CancelledError`).
    """
    profile = target.profile
    rotatable(profile)
    info = validate_for_profile(contents)
    try:
        verdict = verify_client_credentials(
            app_type,
            endpoints_for(target.cloud),
            profile.tenant_id,
            profile.custom_app_id,
            msal_client_credential(contents),
        )
    except CertificateMismatchError as exc:
        raise UserError(
            "The customer's app does not accept the new certificate yet; nothing was changed "
            "and the old certificate is still in use.",
            remedy=f"Have the customer upload the .cer with thumbprint {info.thumbprint_sha1} "
            "to the app registration, then verify again. Uploaded just now? Microsoft can take "
            "a few minutes to apply it: wait, then verify again.",
            detail=exc.detail,
        ) from exc
    if verdict.status is Status.UNKNOWN:
        raise UserError(
            f"The new certificate could not be verified: {verdict.reason} Nothing was changed.",
            remedy=verdict.remedy or "Try again when Microsoft can be reached.",
        )
    if cancel is not None:
        cancel.raise_if_cancelled()  # the last point where stopping changes nothing
    detail = f"certificate rotated (new thumbprint {info.thumbprint_sha1})"

    def commit(new_ref: str) -> None:
        store.save_reauthorized(replace(profile, certificate_ref=new_ref), detail)

    new_ref = certificates.replace(profile.certificate_ref or None, contents, commit)
    updated = replace(profile, certificate_ref=new_ref, reauthorization_required=False)
    result = checker.check(updated, target.cloud)
    store.record_result(result)
    return result


@dataclass(frozen=True)
class RotationPlan:
    """Step 1's outcome: the new certificate's files, and what the customer does with them.

    ``contents`` (the new key, in memory only) lets the same run verify without reading the
    .pfx back; it is never shown or written anywhere but the password-protected .pfx.
    """

    profile_id: int
    app_id: str
    tenant: str
    cer: Path
    pfx: Path
    thumbprint_sha1: str
    not_after: datetime
    old_thumbprint_sha1: str
    old_not_after: datetime | None
    steps: tuple[str, ...]
    contents: PfxContents = field(repr=False, compare=False)


@dataclass(frozen=True)
class RotationOutcome:
    """Step 2's outcome: the check with the new certificate, and how to retire the old one."""

    result: CheckResult
    retired_thumbprint_sha1: str
    steps: tuple[str, ...]


def _old_info(details: ProfileDetails, certificates: SecretStore) -> CertificateInfo | None:
    ref = details.profile.certificate_ref
    if not ref:
        return None
    try:
        return certificates.info(ref)
    except UserError:
        return None  # unreadable (or not shared yet): the rotation replaces it all the same


def start_rotation(
    details: ProfileDetails,
    certificates: SecretStore,
    folder: Path,
    password: str,
    days: int,
) -> RotationPlan:
    """Step 1: a new certificate for *details*' profile, written to *folder* as ``.cer``
    (for the customer) and a ``.pfx`` protected by *password*; nothing in the store changes.

    Raises :class:`UserError` for a profile that cannot be rotated, an empty password or
    files that cannot be written (nothing is overwritten).
    """
    profile = details.profile
    rotatable(profile)
    if not password:
        raise UserError(
            "The .pfx needs a password: the new private key is kept only in a "
            "password-protected .pfx until the customer has uploaded the certificate.",
            remedy="Give a password.",
        )
    old = _old_info(details, certificates)
    contents = new_certificate(old, profile.name, days)
    info = inspect(contents)
    stem = file_stem(f"{info.common_name} {info.not_after:%Y-%m-%d}")
    written = write_certificate_files(contents, folder, stem, password, PfxEncryption.AES256)
    assert written.pfx is not None  # a password was given
    tenant = details.tenant.label
    steps = upload_steps(profile.custom_app_id, tenant, written.cer.name, info.thumbprint_sha1)
    assert profile.id is not None
    return RotationPlan(
        profile_id=profile.id,
        app_id=profile.custom_app_id,
        tenant=tenant,
        cer=written.cer,
        pfx=written.pfx,
        thumbprint_sha1=info.thumbprint_sha1,
        not_after=info.not_after,
        old_thumbprint_sha1=old.thumbprint_sha1 if old else "",
        old_not_after=old.not_after if old else None,
        steps=tuple(steps),
        contents=contents,
    )


def verify_rotation(
    profile_id: int,
    contents: PfxContents,
    *,
    inventory: Inventory,
    certificates: SecretStore,
    checker: ProfileChecker,
    cancel: CancelToken | None = None,
) -> RotationOutcome:
    """Step 2: sign in to the customer's app with *contents*; only when the tenant accepts
    it is it swapped in, the profile checked again and the old certificate removed from the
    store. Raises :class:`UserError` (nothing changed) otherwise; see :func:`finish_rotation`.
    """
    from desktop.core.checks.inventory_store import InventoryCheckStore
    from desktop.core.team.leasing import leased

    # In team mode, a colleague's rotation or re-authorization of the profile waits (and is
    # told who is at it) while this one swaps the certificate; nothing is taken on SQLite.
    with leased(inventory.store, "rotate", [profile_id]):
        details = inventory.profiles.details(profile_id)
        old = _old_info(details, certificates)
        store = InventoryCheckStore(inventory)
        (target,) = store.targets([profile_id])
        result = finish_rotation(
            target,
            contents,
            checker.app_type(target.profile.app_type_id),
            certificates=certificates,
            store=store,
            checker=checker,
            cancel=cancel,
        )
    retired = old.thumbprint_sha1 if old else ""
    steps = retire_steps(details.profile.custom_app_id, details.tenant.label, retired)
    return RotationOutcome(result, retired, tuple(steps))
