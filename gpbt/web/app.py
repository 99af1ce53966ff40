"""The ASGI app: styles loaded once at start-up, routes, security headers and the one place errors become HTTP."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..environment import load_style
from ..errors import GpbtError
from ..loaders import shipped_style_names
from ..style import Style
from .limits import BadRequest, LimitError, Limits

STATIC = Path(__file__).parent / "static"
STYLES_VARIABLE = "GPBT_SERVE_STYLES"  # extra styles for workers started by an ASGI host (os.pathsep-separated)
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


@dataclass
class Served:
    """What the app serves: styles by name (shipped first), the limits, and each style's rule files as text (for
    the playground to start from)."""

    styles: dict[str, Style]
    limits: Limits
    sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def style(self, name: str | None) -> Style:
        if name is None:
            return next(iter(self.styles.values()))
        style = self.styles.get(name)
        if style is None:
            raise BadRequest(f"no style named '{name}' is served (served: {', '.join(self.styles)})", 404,
                             "unknown-style")
        return style


def load_served(specs: list[str] | tuple[str, ...] = (), limits: Limits | None = None) -> Served:
    """Load the shipped styles and `specs` (names, rule files, folders, Tracery .json) once."""
    styles: dict[str, Style] = {}
    sources: dict[str, dict[str, str]] = {}
    shipped = shipped_style_names()
    ordered = [name for name in ("zh", "en", "ja") if name in shipped] + [n for n in shipped if n not in "zh en ja"]
    for spec in [*ordered, *specs]:
        style = load_style(spec)
        styles[style.name] = style
        sources[style.name] = _rule_texts(style)
    return Served(styles, limits or Limits(), sources)


def _rule_texts(style: Style) -> dict[str, str]:
    """The style's own files, by file name, as the playground starts from them."""
    texts: dict[str, str] = {}
    for rule_file in style.definition.files:
        texts.setdefault(Path(str(rule_file.source.path)).name, rule_file.source.text)
    return texts


def create_app(styles: list[str] | tuple[str, ...] | None = None, limits: Limits | None = None) -> Starlette:
    """The app. `styles` adds served styles to the shipped ones; None reads them from $GPBT_SERVE_STYLES, so
    `uvicorn --factory gpbt.web:create_app --workers N` serves the same styles from every worker."""
    from . import api, pages, playground

    if styles is None:
        styles = [spec for spec in os.environ.get(STYLES_VARIABLE, "").split(os.pathsep) if spec]
    served = load_served(styles, limits)
    routes = [
        Route("/", pages.generator_page),
        Route("/play", pages.playground_page),
        Route("/download", pages.download),
        Route("/api/essay", api.essay),
        Route("/api/styles", api.styles),
        Route("/api/style-files", api.style_files),
        Route("/api/check", playground.check, methods=["POST"]),
        Route("/api/preview", playground.preview, methods=["POST"]),
        Route("/api/stats", playground.stats, methods=["POST"]),
        Route("/api/baseline", api.baseline),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                    exception_handlers={BadRequest: _bad_request, LimitError: _limit, GpbtError: _gpbt_error,
                                        Exception: _server_error})
    app.state.served = served
    return app


class SecurityHeaders:
    """CSP (no inline script, no other origin) and nosniff on every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, code: str, message: str, hint: str | None = None) -> Response:
    """Errors as JSON for the API, as a readable page for the pages."""
    if wants_json(request):
        body = {"error": {"status": status, "code": code, "message": message}}
        if hint:
            body["error"]["hint"] = hint
        return JSONResponse(body, status)
    from .pages import error_page

    return error_page(request, status, message, hint)


async def _bad_request(request: Request, error: BadRequest) -> Response:
    return error_response(request, error.status, error.code, str(error))


async def _limit(request: Request, error: LimitError) -> Response:
    return error_response(request, error.status, "over-limit", str(error))


async def _gpbt_error(request: Request, error: GpbtError) -> Response:
    first = error.diagnostics[0] if error.diagnostics else None
    code = first.code if first else "error"
    status = 503 if code == "too-slow" else 400
    message = first.message if first else str(error)
    return error_response(request, status, code, message, first.hint if first else None)


async def _server_error(request: Request, error: Exception) -> Response:
    return error_response(request, 500, "internal", "internal error (the server log has the details)")

