"""Programme results for donors: indicators, charts and their CSV (/coordinator/results)."""
