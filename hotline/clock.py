"""The local clock of this computer: statistics and filters count local days."""

from __future__ import annotations

import datetime as dt
import time


def utc_offset_minutes() -> int:
    """Minutes east of UTC now (Central Asia keeps no summer time)."""
    return time.localtime().tm_gmtoff // 60


def local_today() -> dt.date:
    return dt.date.today()
