"""Typed request parameters the route modules share."""

from typing import Annotated

from fastapi import Path

from service.core.db import MAX_ROW_ID

# A row's id in a path: one past the column's range is a 422 naming the parameter, not a database error.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="the row's id")]
