"""Reports: documents made from the statistics (counts only, never what a caller said)."""
