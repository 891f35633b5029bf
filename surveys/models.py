"""Pulse surveys: models arrive with their issue."""
