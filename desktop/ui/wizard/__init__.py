"""The create-app-profile wizard: a thin QWizard over :mod:`desktop.core.wizard`."""
