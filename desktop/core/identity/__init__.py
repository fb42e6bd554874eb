"""Sign-in, consent and verification against the Microsoft identity platform (no Qt)."""
