"""Child process for the import kill test (tests/unit/test_import_kill.py): signs in,
says "ready", imports one batch file and says "imported" once the import has returned.

    python -m tests.unit.import_kill_worker DATA_DIR USER PASSWORD BATCH_FILE

It also says "begin" and "commit" when the database is sent those statements, so that
the test knows whether a kill landed before, inside or after the import's transaction.
Only what the import needs is loaded, so that the child starts quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hotline.exchange import importing
from hotline.paths import DataDir
from hotline.services import session

_MARKS = {"BEGIN IMMEDIATE": "begin", "COMMIT": "commit"}


def _trace(statement: str) -> None:
    mark = _MARKS.get(statement)
    if mark is not None:
        print(mark, flush=True)


def main() -> None:
    data_dir, user, password, batch = sys.argv[1:5]
    s = session.login(DataDir(Path(data_dir)), user, password)
    s.db._conn.set_trace_callback(_trace)
    print("ready", flush=True)
    result = importing.import_file(s, Path(batch))
    print(f"imported {result.status.value}", flush=True)
    s.close()


if __name__ == "__main__":
    main()
