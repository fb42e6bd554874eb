"""The team store on PostgreSQL: schema and migrations, connections, roles and scope.

Only this package speaks PostgreSQL's SQL. The server enforces the team's rules itself
(roles, row-level security, audit and change log by triggers), so no client can bypass them.
"""
