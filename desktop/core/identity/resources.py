"""Well-known resource applications (APIs) by the names the catalog's permission tables use.

A client-credentials token is issued for one resource at a time (``{resource}/.default``), and
Graph reports grants by the resource's service principal. Both need the resource's application
ID, which is the same in every tenant (Microsoft's first-party apps). Names compare
case-insensitively. Every API the shipped catalog names must be here (a test checks it): an API
missing from this table cannot be verified, and a verification then says so.
"""

from __future__ import annotations

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
#: The Partner Center API (``https://api.partnercenter.microsoft.com``), whose
#: ``user_impersonation`` scope the partner's consent API calls need.
PARTNER_CENTER_APP_ID = "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd"
#: Azure OSSRDBMS Database (``https://ossrdbms-aad.database.windows.net``): the resource whose
#: token Azure Database for PostgreSQL accepts as a password (delegated ``user_impersonation``).
OSSRDBMS_APP_ID = "123cd850-d9df-40bd-94d5-c9f07b7fa203"

#: API name (as the seeds write it, and Entra's display names) -> resource application ID.
RESOURCE_APP_IDS: dict[str, str] = {
    "microsoft graph": GRAPH_APP_ID,
    "sharepoint": "00000003-0000-0ff1-ce00-000000000000",
    "office 365 sharepoint online": "00000003-0000-0ff1-ce00-000000000000",
    "office 365 exchange online": "00000002-0000-0ff1-ce00-000000000000",
    "skype and teams tenant admin api": "48ac35b8-9aa8-4d74-927d-1f4a14a0b239",
    "azure rights management services": "00000012-0000-0000-c000-000000000000",
    "azure service management": "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    "windows azure service management api": "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    "dynamics crm": "00000007-0000-0000-c000-000000000000",
    "powerapps service": "475226c6-020e-4fb2-8a90-7a972cbfc1d4",
    "power bi service": "00000009-0000-0000-c000-000000000000",
    "projectworkmanagement": "09abbdfd-ed23-44ee-a2d9-a627aa1c90f3",
    "office 365 management apis": "c5393580-f805-4401-95e8-94b7a6ef2fc2",
    "microsoft information protection sync service": "870c4f2e-85b6-4d43-bdda-6ed9a579b725",
    "microsoft partner center": PARTNER_CENTER_APP_ID,
    "azure ossrdbms database": OSSRDBMS_APP_ID,
}


def resource_app_id(api: str) -> str | None:
    """The application ID of the API named *api*, or None when it is not a known one."""
    return RESOURCE_APP_IDS.get(" ".join(api.split()).casefold())


def is_graph(api: str) -> bool:
    return resource_app_id(api) == GRAPH_APP_ID
