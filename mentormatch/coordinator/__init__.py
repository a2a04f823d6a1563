"""The coordinator's side of introductions: the approval queue and the review page."""
