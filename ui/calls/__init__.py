"""The operator's call workflow: the call form, the lists beside it, drafts and cases."""
