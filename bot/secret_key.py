"""The link-signing key: ``BRIEFBOT_SECRET_KEY`` when set, else one generated and stored.

``with_secret_key(config, store)`` returns the config with ``env.secret_key`` filled in; the
service calls it at start and so do CLI commands that sign links, so nothing ever signs with a
built-in development key (a forged ``/manage`` link or webhook ``/stop`` needs the real key).
"""

from __future__ import annotations

from bot.config import Config
from bot.store.secrets import signing_key
from bot.store.store import Store


async def with_secret_key(config: Config, store: Store) -> Config:
    """``config`` whose ``env.secret_key`` is set (from the environment or the database)."""
    if config.env.secret_key:
        return config
    key = await signing_key(store.engine)
    return config.model_copy(update={"env": config.env.model_copy(update={"secret_key": key})})
