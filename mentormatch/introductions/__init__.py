"""The people's side of introductions: request, inbox, pairing page, notifications."""
