"""The screening panel shown beside the call form."""
