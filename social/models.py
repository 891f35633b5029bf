"""Social networks: models arrive with their issue."""
