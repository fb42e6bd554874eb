"""With DEBUG logging on, a technician's sign-in and a custom-mode consent (a real .pfx
imported into the vault, tokens saved in the encrypted cache) leave no secret in the log file.

MSAL and urllib3 log requests and answers at DEBUG; the redacting handler must catch what
they write, and our own code must not log a password, key or token in the first place.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import msal
import pytest
from cryptography.hazmat.primitives import serialization

from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import (
    CertificateRequest,
    create_self_signed,
    export_pfx,
    msal_client_credential,
)
from desktop.core.domain import Customer, Status, Tenant
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.consent import IdentityConsentEngine, plan_consent
from desktop.core.identity.signin import TechnicianSession
from desktop.core.logging_setup import HANDLER_NAME, setup_logging
from desktop.core.paths import data_paths
from desktop.core.token_cache import EncryptedTokenCacheStore
from desktop.core.vault import CertificateVault, SecretVault
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import BASELINE, catalog
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e

CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"
PFX_PASSWORD = "Lg-audit pfx passw0rd!"
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")


@pytest.fixture
def debug_log(data_home: Path) -> Iterator[Path]:
    """DEBUG logging into the data folder's log file, as the app sets it up."""
    root = logging.getLogger()
    level = root.level
    path = setup_logging(data_home / "logs", level=logging.DEBUG)
    yield path
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_sign_in_and_custom_consent_log_no_secret(sandbox: RunningSandbox, debug_log: Path) -> None:
    contents = create_self_signed(CertificateRequest("Log audit app"))
    pfx = export_pfx(contents, PFX_PASSWORD)
    sandbox.scenario.register_app(
        CUSTOM_APP_ID,
        "Contoso custom app",
        application={
            "Microsoft Graph": {
                p.name
                for p in BASELINE.permissions
                if p.type.value == "Application" and p.api == "Microsoft Graph"
            },
            "SharePoint": {"Sites.FullControl.All"},
        },
        certificates=[contents.certificate],
        home_tenant=sandbox.demo.tenant_id,
    )
    vault = SecretVault(data_paths().ensure().vault, MemoryKeyring())
    cache_store = EncryptedTokenCacheStore(vault)
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    technician = TechnicianSession(
        sandbox.demo.sign_in_client_id, cache_store, open_browser=browser
    )
    technician.sign_in(endpoints_for(), sandbox.demo.tenant_id, timeout=30)
    assert technician.graph_token(endpoints_for(), sandbox.demo.tenant_id)
    engine = IdentityConsentEngine(
        cache_store=cache_store,
        open_browser=browser,
        technician=technician,
        certificates=CertificateVault(vault),
        credential_of=msal_client_credential,
    )
    plan = plan_consent(
        catalog(),
        Customer("Contoso", id=1),
        Tenant(sandbox.demo.tenant_id, 1, sandbox.demo.domain, "Contoso"),
        ["Baseline management"],
        client_id=lambda app: sandbox.demo.client_ids[app.id],
        mode=SetupMode.CUSTOM,
        custom_app_id=CUSTOM_APP_ID,
    )
    outcome = engine.run(plan, pfx=pfx, password=PFX_PASSWORD, timeout=30)
    assert outcome.profile.status is Status.VALID, outcome.verification
    assert outcome.profile.certificate_ref
    logging.getLogger("audit").debug(
        "a careless line: password=%s refresh_token=%s", PFX_PASSWORD, "RT-careless-123456"
    )

    cache = cache_store.load()
    tokens = [
        item["secret"]
        for kind in (
            msal.TokenCache.CredentialType.REFRESH_TOKEN,
            msal.TokenCache.CredentialType.ACCESS_TOKEN,
            msal.TokenCache.CredentialType.ID_TOKEN,
        )
        for item in cache.search(kind)
    ]
    assert len(tokens) >= 3
    key = contents.private_key
    assert key is not None
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    secrets = {
        "PFX password": PFX_PASSWORD,
        "careless refresh token": "RT-careless-123456",
        "PEM key line": pem.splitlines()[3],
        "PFX base64": base64.b64encode(pfx).decode()[200:260],
        **{f"token {n}": token[-40:] for n, token in enumerate(tokens)},
    }

    logs = list(debug_log.parent.glob(f"{debug_log.name}*"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in logs)
    # The log really holds the traffic (otherwise this test could not fail).
    assert "urllib3" in text and "msal" in text and "a careless line" in text
    for label, secret in secrets.items():
        assert secret not in text, f"{label} reached the log"
    assert not JWT.search(text), JWT.search(text)
