"""The encrypted SQLCipher store: the only place where SQL is written."""

from hotline.store.connection import Database, open_encrypted

__all__ = ["Database", "open_encrypted"]
