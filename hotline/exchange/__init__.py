"""Batch exchange between installations: identity, cards, sealed batches, import,
receipts and update bundles."""

"update bundles."
