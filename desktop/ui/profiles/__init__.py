"""The profile list page, its model, filter bar, details and customer management dialogs."""
