"""The web side of matching: profiles in the database -> records -> a cached MatchIndex."""
