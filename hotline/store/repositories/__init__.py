"""Repositories: parametrised SQL for one table each, returning model dataclasses."""
