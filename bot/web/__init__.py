"""The web page: subscribe (double opt-in), manage, unsubscribe, digest archive, feed, health.

``create_app(config, store, clock=...)`` builds the Starlette app; ``serve_web(config, store,
stop)`` runs it on BRIEFBOT_WEB_BIND in the current event loop.
"""

from bot.web.app import create_app
from bot.web.server import serve_web

__all__ = ["create_app", "serve_web"]
