"""Child process for the kill test: changes the admin password and rotates the database
key in a loop, printing a line after each step is acknowledged.

    python -m tests.helpers.key_churn DATA_DIR FIRST_PASSWORD
"""

from __future__ import annotations

import sys

from hotline.paths import DataDir
from hotline.services import maintenance, session, users


def password(n: int, first: str) -> str:
    return first if n == 0 else f"churn password {n}"


def main() -> None:
    data_dir, first = DataDir(__import__("pathlib").Path(sys.argv[1])), sys.argv[2]
    s = session.login(data_dir, "admin", first)
    print("ready", flush=True)
    for n in range(1, 1000):
        users.change_password(s, "admin", password(n, first))
        print(f"password {n}", flush=True)
        maintenance.rotate_key(s)
        print("rotated", flush=True)


if __name__ == "__main__":
    main()
