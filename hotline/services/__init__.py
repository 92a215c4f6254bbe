"""Use cases. Each takes a Session (or a data dir for login) and returns plain results."""
