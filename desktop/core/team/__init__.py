"""Team mode on top of the shared inventory: live changes, leases, the offline copy.

Nothing here imports Qt: the GUI's controllers and the CLI's commands both use these.
"""
