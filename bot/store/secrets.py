"""Secrets the service generates for itself and keeps in the database.

``signing_key(engine)`` is the link-signing key used when ``BRIEFBOT_SECRET_KEY`` is unset: 32
random bytes made on first start and stored, so links survive restarts, every replica and CLI
command on the same database signs alike, and no link is ever signed with a key anyone knows.
Two processes starting at once agree: the first insert wins (``ON CONFLICT DO NOTHING``) and
both read it back.
"""

from __future__ import annotations

import secrets as _random

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import schema as t
from bot.store.conn import Guard, insert_ignore, now_utc

SIGNING_KEY = "signing_key"


async def signing_key(engine: AsyncEngine) -> str:
    """The stored signing key, generated (and stored) on first use."""
    async with Guard(engine, begin=True) as conn:
        row = {"name": SIGNING_KEY, "value": _random.token_urlsafe(32), "created_at": now_utc()}
        await conn.execute(insert_ignore(conn, t.secrets, [row], "name"))
    async with Guard(engine, begin=False) as conn:
        q = select(t.secrets.c.value).where(t.secrets.c.name == SIGNING_KEY)
        return str((await conn.execute(q)).scalar_one())
