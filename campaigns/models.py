"""Campaigns and sharing: models arrive with their issue."""
