"""Opaque cursors for every list of the API: the sort key of the last row, base64 JSON.

A list orders by a unique key (an integer id, or (created_at, id) for random string ids) and
returns ``limit`` rows with the cursor of the last one when more follow."""

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from service.core.errors import InvalidInput

LIMIT_DEFAULT = 50
LIMIT_MAX = 200


def encode(*key: Any) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode()


def decode(cursor: str, *types: type) -> tuple[Any, ...]:
    """The key a cursor holds, each part checked against its type; a 422 naming the cursor else."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError(cursor)
        return tuple(datetime.fromisoformat(v) if t is datetime else _typed(t, v) for t, v in zip(types, values,
                                                                                                  strict=True))
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, json.JSONDecodeError):
        raise InvalidInput.one("cursor", "not a cursor this API issued") from None


def _typed(kind: type, value: Any) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(value)
    return value
