"""/help, and the fallbacks: unknown commands, free text and edited messages never meet silence."""

from __future__ import annotations

from bot.telegram.turn import Turn, handler


@handler
async def help_(turn: Turn) -> None:
    """/help — every command with an example (admins also see theirs)."""
    text = turn.text("help")
    if turn.is_bot_admin:
        text += turn.text("help_admin")
    await turn.send(text)


@handler
async def unknown(turn: Turn) -> None:
    """A command the bot does not have."""
    msg = turn.update.effective_message
    word = (msg.text or "").split(maxsplit=1)[0] if msg and msg.text else "?"
    await turn.say("unknown_command", cmd=word.split("@", 1)[0][:40])


@handler
async def free_text(turn: Turn) -> None:
    """Anything that is not a command (text, stickers, photos...)."""
    await turn.say("free_text")


@handler
async def edited(turn: Turn) -> None:
    """An edited message: not run again (that could add a rule twice); say so."""
    await turn.say("edited")
