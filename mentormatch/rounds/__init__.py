"""Matching rounds: a coordinator pairs many entrepreneurs at once (issue 12)."""
