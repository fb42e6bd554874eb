"""The team secret store: profiles' certificates in the team database, envelope-encrypted.

Implements :class:`~desktop.core.secrets.store.SecretStore`, so checks, consent and
re-authorize use it exactly as they use the local vault. A certificate is encrypted on this
computer under a fresh data key, and the data key wrapped for this member's published key;
the server gets ciphertext and wrapped keys only. A new certificate is tied to its customer
when its profile is saved (:meth:`TeamSecretStore.settle`); from then on any member whose
scope includes that customer can be given it (:func:`approve`).

A member who holds no wrapped key for a certificate gets :class:`NotSharedYetError`, which
a check reports as "waiting", never as Invalid.

Consenting users' refresh tokens are team secrets too (:mod:`.team_tokens`), shared and
withdrawn by the same :func:`approve`, :func:`rescope` and :func:`remove`; the technician's
own sign-in stays in this computer's vault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from desktop.core.certificates import (
    CertificateError,
    CertificateInfo,
    PfxContents,
    export_pfx,
    inspect,
    read_pfx,
    validate_for_profile,
)
from desktop.core.errors import UserError
from desktop.core.identity.signin import TokenCacheStore
from desktop.core.secrets.envelope import fingerprint, open_secret, seal, unwrap, wrap
from desktop.core.secrets.local import LocalSecretStore
from desktop.core.secrets.member_key import MemberKeys
from desktop.core.secrets.store import WAITING, Commit, NotSharedYetError
from desktop.core.secrets.team_tokens import TeamTokenCache
from desktop.core.store.postgres.team_secrets import MemberKey, TeamSecretsDb
from desktop.core.vault import CERT_PREFIX, RUN_STARTED, new_name
from desktop.core.vault_errors import VaultDamagedError

log = logging.getLogger(__name__)

#: The customer of the saved profile that holds a certificate ref (None: no such profile).
CustomerOf = Callable[[str], int | None]


class TeamSecretStore:
    """:class:`~desktop.core.secrets.store.SecretStore` over the team database.

    *member* is this technician's server identity; *customer_of* finds the customer of the
    profile that holds a certificate ref (to tie the secret to it when the profile is saved);
    *local* serves certificates stored before the data folder joined the team.
    """

    def __init__(
        self,
        db: TeamSecretsDb,
        keys: MemberKeys,
        local: LocalSecretStore,
        customer_of: CustomerOf,
        member: str | None = None,
        own_clients: Callable[[], Collection[str]] | None = None,
    ) -> None:
        self.db = db
        #: The technician's sign-in apps' client IDs (their tokens stay on this computer);
        #: unknown (None), consenting users' tokens stay there too.
        self.own_clients = own_clients
        self.keys = keys
        self.local = local
        self.customer_of = customer_of
        self.member = member if member is not None else db.whoami()

    def check_available(self, action: str = "delete the certificates") -> None:
        if self.keys.enrolled():
            self.keys.private_key()  # the keyring answers, and the key is there
        else:
            self.local.check_available(action)
        self.db.whoami()

    def import_pfx(self, data: bytes, password: str | None) -> tuple[str, CertificateInfo]:
        contents = read_pfx(data, password)
        del password  # opened; never kept
        ref = self.store(contents)
        return ref, inspect(contents)

    def store(self, contents: PfxContents) -> str:
        if not self.keys.enrolled():  # nothing to share it with yet: this computer keeps it
            log.warning("not enrolled in the team (team enroll): certificate kept locally")
            return self.local.store(contents)
        validate_for_profile(contents)
        ref = new_name(CERT_PREFIX)
        public = self.keys.public_key()
        data_key, ciphertext = seal(ref, export_pfx(contents, None))
        wrapped = wrap(ref, self.member, data_key, public)
        del data_key
        self.db.put_secret(ref, "certificate", None, ciphertext, wrapped)
        try:
            if self.load(ref).certificate != contents.certificate:
                raise VaultDamagedError("The stored certificate did not read back the same.")
        except BaseException:
            self.discard(ref)
            raise
        return ref

    def load(self, ref: str) -> PfxContents:
        row = self.db.secret(ref)
        if row is None:
            if self.local.vault.exists(ref):  # stored before this folder joined the team
                return self.local.load(ref)
            raise NotSharedYetError(
                WAITING, detail=f"certificate {ref} is not among the secrets you can see"
            )
        if not self.keys.enrolled():
            raise NotSharedYetError(
                WAITING,
                remedy="Run 'app-profiles-cli team enroll', then ask a colleague who holds the "
                "customer's certificates to run 'team approve' with your team user name.",
            )
        wrapped = self.db.wrapped_key(ref, self.member)
        if wrapped is None:
            raise NotSharedYetError(WAITING)
        data_key = unwrap(ref, self.member, wrapped, self.keys.private_key())
        plaintext = open_secret(ref, data_key, row.ciphertext)
        try:
            return read_pfx(plaintext, None)
        except CertificateError as exc:
            raise VaultDamagedError(
                "The shared certificate is damaged.",
                remedy="Re-authorize the profile with the app's .pfx file.",
                detail=exc.message,
            ) from exc

    def info(self, ref: str) -> CertificateInfo:
        return inspect(self.load(ref))

    def delete(self, ref: str) -> None:
        self.db.delete_secret(ref)
        if self.local.vault.exists(ref):
            self.local.delete(ref)

    def discard(self, ref: str) -> None:
        if self.local.vault.exists(ref):
            self.local.discard(ref)
            return
        try:
            self.delete(ref)
        except UserError as exc:
            log.warning("could not remove certificate %s now: %s", ref, exc)

    def settle(self, ref: str) -> None:
        if self.local.vault.exists(ref):  # kept locally (stored before enrolling)
            self.local.settle(ref)
            return
        customer = self.customer_of(ref)
        if customer is not None:
            self.db.set_customer(ref, customer)

    def replace(
        self, old_ref: str | None, contents: PfxContents, commit: Commit | None = None
    ) -> str:
        new_ref = self.store(contents)
        if commit is not None:
            try:
                commit(new_ref)
            except BaseException:
                self.discard(new_ref)
                raise
            self.settle(new_ref)
        if old_ref:
            try:
                self.delete(old_ref)
            except UserError as exc:
                log.warning("could not remove the replaced certificate %s: %s", old_ref, exc)
        return new_ref

    def collect_interrupted(
        self, referenced: Callable[[], set[str]], *, before: float | None = None
    ) -> list[str]:
        removed = self.local.collect_interrupted(referenced, before=before)
        pending = self.db.pending_of_mine(RUN_STARTED if before is None else before)
        if not pending:
            return removed
        held = referenced()
        for ref in pending:
            if ref in held:
                self.settle(ref)
                continue
            self.db.delete_secret(ref)
            removed.append(ref)
            log.warning("removed certificate %s: stored by a run that ended before saving", ref)
        return removed

    def token_cache(self) -> TokenCacheStore:
        """The MSAL cache whose consenting users' sign-ins are team secrets (the local
        vault's alone while the sign-in apps' client IDs are not known)."""
        if self.own_clients is None:
            return self.local.token_cache()
        from desktop.core.secrets.team_wiring import TeamSecrets

        team = TeamSecrets(self.db, self.keys, self.member)
        return TeamTokenCache(self.local.token_cache(), lambda: team, self.own_clients)

    def share_local(self) -> list[str]:
        """Move the certificates this computer kept before it enrolled into the team
        database, under the same refs (the profiles holding them are unchanged), wrapped for
        this member; ``team approve`` then shares them like any other. Only certificates a
        saved team profile holds are moved; each local copy is removed once the shared one
        reads back the same. Consenting users' sign-ins kept here move too (as their tenant's
        customer's secrets). Returns the refs (and token secret ids) moved."""
        if not self.keys.enrolled():
            raise UserError(
                "This data folder has no team key yet, so its certificates cannot be shared.",
                remedy="Run 'app-profiles-cli team enroll' first.",
            )
        public = self.keys.public_key()
        moved: list[str] = []
        cache = self.token_cache()
        if isinstance(cache, TeamTokenCache):
            moved += cache.share_local()
        for ref in self.local.vault.names():
            if not ref.startswith(f"{CERT_PREFIX}-") or self.db.secret(ref) is not None:
                continue
            customer = self.customer_of(ref)
            if customer is None:
                continue  # no team profile holds it (yet): it stays on this computer
            contents = self.local.load(ref)
            data_key, ciphertext = seal(ref, export_pfx(contents, None))
            wrapped = wrap(ref, self.member, data_key, public)
            del data_key
            self.db.put_secret(ref, "certificate", customer, ciphertext, wrapped)
            if self.load(ref).certificate != contents.certificate:
                self.db.delete_secret(ref)
                raise VaultDamagedError("The shared certificate did not read back the same.")
            self.local.delete(ref)
            moved.append(ref)
        return moved


@dataclass(frozen=True)
class Shared:
    """One secret given to a member (or that a removed member could read)."""

    secret_id: str
    kind: str
    customer_id: int | None


def published_key(db: TeamSecretsDb, member: str) -> MemberKey:
    """*member*'s published key. Raises :class:`UserError` when they have not enrolled."""
    key = db.member_key(member)
    if key is None:
        raise UserError(
            f"{member} has not published a team key yet.",
            remedy=f"{member} runs 'app-profiles-cli team enroll' first.",
        )
    if fingerprint(key.public_key) != key.fingerprint:
        raise UserError(f"The key published for {member} does not match its fingerprint.")
    return key


@dataclass(frozen=True)
class Approval:
    """What ``team approve`` did: shared with the member, and withdrawn (outside their scope)."""

    shared: list[Shared]
    withdrawn: list[str]


def approve(db: TeamSecretsDb, keys: MemberKeys, holder: str, member: str) -> Approval:
    """Match *member*'s wrapped keys to their scope: wrap for them every data key *holder*
    holds that the scope allows, and (when *holder* is an admin) withdraw the ones it no
    longer allows. Run again after a scope change.

    The caller has shown :func:`published_key`'s fingerprint and had it confirmed."""
    target = published_key(db, member)
    private = keys.private_key()
    db.record_approval(member, target.fingerprint)
    withdrawn = db.prune_out_of_scope(member)
    shared: list[Shared] = []
    for row in db.shareable(holder, member):
        mine = db.wrapped_key(row.secret_id, holder)
        if mine is None:
            continue
        data_key = unwrap(row.secret_id, holder, mine, private)
        open_secret(row.secret_id, data_key, row.ciphertext)  # never share a damaged one
        if db.add_wrapped_key(
            row.secret_id, member, wrap(row.secret_id, member, data_key, target.public_key)
        ):
            shared.append(Shared(row.secret_id, row.kind, row.customer_id))
    return Approval(shared, withdrawn)


def rescope(
    db: TeamSecretsDb, keys: MemberKeys, holder: str, members: list[str] | None = None
) -> dict[str, Approval]:
    """After a scope change: match the shares of *members* (default: every member approved
    before) to their scope, as :func:`approve` does, with the keys *holder* holds. Only a
    member whose published key someone confirmed by fingerprint (``team approve``) is
    matched; a new key, or a member never approved, still needs ``team approve``.
    Withdrawing needs an admin (or the member); wrapping needs the data keys, so what
    *holder* does not hold stays as it was."""
    approved = set(db.approved_members())
    targets = [m for m in (members if members is not None else sorted(approved)) if m in approved]
    return {member: approve(db, keys, holder, member) for member in targets}


def remove(db: TeamSecretsDb, member: str) -> list[Shared]:
    """Delete *member*'s wrapped keys; return what they could read (to offer rotation)."""
    held = [Shared(*row) for row in db.held_by(member)]
    if db.remove_member(member) < len(held):
        raise UserError(
            f"Only a team admin (or {member}) can remove {member}'s shared keys.",
            remedy="Ask a team admin to run 'team remove'. Nothing was removed by you.",
        )
    return held
