"""Content library: models arrive with their issue."""
