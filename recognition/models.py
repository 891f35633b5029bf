"""Recognition and rewards: models arrive with their issue."""
