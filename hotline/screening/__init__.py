"""Risk-indicator screening: script format, safe conditions, engine and scoring."""
