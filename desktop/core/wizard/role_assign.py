""" "Assign now": give an app's service principal a directory role through Microsoft Graph.

``POST {graph}/v1.0/roleManagement/directory/roleAssignments`` with the service principal's
object ID, the role definition's ID and the directory scope ``/``, then read the assignment back
to verify it. The technician's own delegated token (RoleManagement.ReadWrite.Directory) comes
from a :data:`TokenProvider`; without enough rights Graph answers 403 and the technician gets
the Entra admin center steps instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from desktop.core.cancel import CancelToken, Progress
from desktop.core.domain import Tenant
from desktop.core.endpoints import Endpoints, endpoints_for
from desktop.core.errors import UserError

#: ``provider(tenant, token) -> access token`` for Graph, signed in as the technician.
TokenProvider = Callable[[Tenant, CancelToken], str]
TIMEOUT_S = 20.0
ROLE_SCOPE = "RoleManagement.ReadWrite.Directory"


class GraphRoleAssigner:
    """Assigns and verifies directory roles; one instance serves every tenant."""

    def __init__(
        self,
        token_provider: TokenProvider,
        *,
        endpoints: Callable[[Tenant], Endpoints] = lambda t: endpoints_for(t.cloud),
        session: requests.Session | None = None,
    ) -> None:
        self._token_provider = token_provider
        self._endpoints = endpoints
        self._session = session or requests.Session()

    def assign(
        self,
        tenant: Tenant,
        client_id: str,
        role_name: str,
        token: CancelToken,
        progress: Progress,
    ) -> str:
        """Assign *role_name* to the app *client_id* in *tenant*, verify, and say so."""
        progress(0, 4, "Signing in to the customer's tenant…")
        access = self._token_provider(tenant, token)
        call = _Graph(self._session, self._endpoints(tenant), access, tenant.label)
        token.raise_if_cancelled()
        progress(1, 4, "Finding the app in the tenant…")
        sp = call.first(
            "servicePrincipals",
            f"appId eq '{client_id}'",
            missing=UserError(
                f"The app {client_id} is not in {tenant.label} yet.",
                remedy="Consent to the app first; consent creates it in the tenant.",
            ),
        )
        token.raise_if_cancelled()
        progress(2, 4, f"Finding the {role_name} role…")
        role = call.first(
            "roleManagement/directory/roleDefinitions",
            f"displayName eq '{role_name}'",
            missing=UserError(f"{tenant.label} has no directory role named {role_name}."),
        )
        token.raise_if_cancelled()
        progress(3, 4, f"Assigning {role_name}…")
        if not call.assigned(sp["id"], role["id"]):
            call.post(
                "roleManagement/directory/roleAssignments",
                {
                    "@odata.type": "#microsoft.graph.unifiedRoleAssignment",
                    "principalId": sp["id"],
                    "roleDefinitionId": role["id"],
                    "directoryScopeId": "/",
                },
            )
        progress(4, 4, "Verifying…")
        if not call.assigned(sp["id"], role["id"]):
            raise UserError(
                f"Graph accepted the assignment of {role_name}, but it is not visible yet.",
                remedy="Wait a minute and check the app's roles in the Entra admin center.",
            )
        name = sp.get("displayName") or client_id
        return f"{role_name} is assigned to {name} in {tenant.label} (verified)."


class _Graph:
    """The few Graph calls "Assign now" makes, with errors in words."""

    def __init__(
        self, session: requests.Session, endpoints: Endpoints, access: str, label: str
    ) -> None:
        self._session = session
        self._endpoints = endpoints
        self._headers = {"Authorization": f"Bearer {access}"}
        self._label = label

    def first(self, path: str, filter_: str, *, missing: UserError) -> dict[str, Any]:
        items = self._get(path, {"$filter": filter_})
        if not items:
            raise missing
        return items[0]

    def assigned(self, principal_id: str, role_id: str) -> bool:
        # One condition only: Graph (and the sandbox) filter reliably on principalId.
        items = self._get(
            "roleManagement/directory/roleAssignments",
            {"$filter": f"principalId eq '{principal_id}'"},
        )
        return any(
            i.get("principalId") == principal_id and i.get("roleDefinitionId") == role_id
            for i in items
        )

    def _get(self, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
        answer = self._send("GET", path, params=params)
        value = answer.get("value", [])
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._send("POST", path, json=body)

    def _send(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        url = self._endpoints.graph(path)
        try:
            response = self._session.request(
                method, url, headers=self._headers, timeout=TIMEOUT_S, **kwargs
            )
        except requests.RequestException as exc:
            raise UserError(
                "Microsoft Graph could not be reached.",
                remedy="Check the connection and try again, or assign the role in the Entra "
                "admin center.",
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        if response.status_code in (401, 403):
            raise UserError(
                f"Your account may not assign directory roles in {self._label}.",
                remedy="Sign in as a Privileged Role Administrator or Global Administrator of "
                "the customer's tenant, or follow the Entra admin center steps.",
                detail=_detail(response),
            )
        if response.status_code >= 400:
            raise UserError(
                f"Microsoft Graph refused the request (HTTP {response.status_code}).",
                remedy="Try again, or assign the role in the Entra admin center.",
                detail=_detail(response),
            )
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}


def _detail(response: requests.Response) -> str:
    try:
        error = response.json().get("error", {})
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    if isinstance(error, dict):
        return f"HTTP {response.status_code}: {error.get('code', '')} {error.get('message', '')}"
    return f"HTTP {response.status_code}: {error}"
