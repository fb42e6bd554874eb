"""Re-authorizing an existing app profile: a new consent (and, in custom mode, perhaps a new
certificate), then a check that records the profile's new status.

:mod:`.flow` holds the request, the options and rules a profile allows, and the flow itself
over its ports; :mod:`.identity` is the consent port over the identity engine.
"""
