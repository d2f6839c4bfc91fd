"""The JSON API for seller cases and seller figures."""
