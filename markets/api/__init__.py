"""The JSON API for markets, sources, mode events and market figures; shared API parts."""
