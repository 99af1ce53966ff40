"""`gpbt serve`: the generator page, the playground and their JSON API, as a plain ASGI app (Starlette).

Needs the `web` extra (`pip install 'gpbt[web]'`). `create_app` is a factory, so any ASGI host can run several
workers: `uvicorn --factory gpbt.web:create_app --workers 4`. Every response is a pure function of its request.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
