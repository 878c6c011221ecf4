"""What a run shows its user: check formats (text, JSON, SARIF, GitHub annotations) and reviewer-readable diffs."""
