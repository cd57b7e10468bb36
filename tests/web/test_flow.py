"""The happy path over HTTP on both backends: subscribe -> confirm -> manage -> unsubscribe."""

from __future__ import annotations

import re

import httpx

from bot.deliver.tokens import unsubscribe_url
from bot.outbox import decode_message
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from tests.web.conftest import PUBLIC, SECRET, FakeClock, csrf, emails, link_in, subscribe_form


async def test_subscribe_confirm_manage_unsubscribe(
    client: httpx.AsyncClient, store: Store, clock: FakeClock
) -> None:
    repo = SubscriberRepo(store.engine)
    # 1. subscribe: a pending subscriber and one confirmation email in the outbox
    token = await csrf(client)
    form = subscribe_form(token, "Ann.Lee@Example.COM", lang="zh", digest_weekday="4",
                          digest_time="07:30", timezone="Asia/Shanghai",
                          rules="capex > 100B USD\n\nMeta capex >= 50B\ncapex > 100B USD")  # fmt: skip
    r = await client.post("/subscribe", data=form)
    assert r.status_code == 200 and "Check your inbox" in r.text
    assert r.headers["cache-control"] == "no-store"
    sub = await repo.by_email("Ann.Lee@example.com")  # the domain is normalized, not the local part
    assert sub is not None
    assert (sub.status, sub.email_confirmed, sub.email) == ("pending", False, "Ann.Lee@example.com")
    assert await store.rules(sub.id) == []  # rules wait for the confirmation
    [mail] = await emails(store)
    assert (mail.recipient, mail.subscriber_id, mail.status) == (sub.email, sub.id, "pending")
    message = decode_message(mail.payload)
    assert message.kind == "notice" and "确认" in message.subject  # in the chosen language
    assert message.html and link_in(mail, "confirm") in message.html
    # whoever typed the address may not own it: the owner sees the rules confirming turns on
    assert "确认后还会启用" in message.text
    assert "  - capex > 100B USD" in message.text and "  - Meta capex >= 50B" in message.text
    assert "<code>capex &gt; 100B USD</code>" in message.html

    # 2. confirm: active, settings and rules applied
    r = await client.get(link_in(mail, "confirm"))
    assert r.status_code == 200 and "You&#39;re subscribed" in r.text
    sub = await repo.get(sub.id)
    assert sub is not None
    assert (sub.status, sub.email_confirmed, sub.channels) == ("active", True, ("email",))
    assert (sub.lang, sub.digest_weekday, sub.digest_time, sub.timezone) == (
        "zh",
        4,
        "07:30",
        "Asia/Shanghai",
    )
    assert [x["text"] for x in await store.rules(sub.id)] == [
        "capex > 100B USD",
        "Meta capex >= 50B",
    ]

    # 3. manage: see rules and alerts, change a threshold, add and delete rules, save prefs
    manage = re.search(r'href="(/manage/[^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    page = await client.get(manage)
    assert page.status_code == 200 and 'value="capex &gt; 100B USD"' in page.text
    assert "No alerts have fired yet." in page.text
    rule_id = (await store.rules(sub.id))[0]["id"]
    fig = await _seed_alert(store, rule_id)
    page = await client.get(manage)
    assert "Recent alerts" in page.text and "$140B" in page.text and fig in page.text

    token = await csrf(client, manage)
    r = await client.post(
        f"{manage}/rules/{rule_id}",
        data={"csrf": token, "action": "save", "rule": "capex > 150B USD"},
    )
    assert r.status_code == 303 and r.headers["location"].endswith("?done=rule_saved")
    texts = [x["text"] for x in await store.rules(sub.id)]
    assert sorted(texts) == ["Meta capex >= 50B", "capex > 150B USD"]
    r = await client.post(f"{manage}/rules", data={"csrf": token, "rule": "users > 10M"})
    assert r.status_code == 303
    meta = next(x for x in await store.rules(sub.id) if x["text"].startswith("Meta"))
    r = await client.post(f"{manage}/rules/{meta['id']}", data={"csrf": token, "action": "delete"})
    assert r.status_code == 303
    assert sorted(x["text"] for x in await store.rules(sub.id)) == [
        "capex > 150B USD",
        "users > 10M",
    ]
    r = await client.post(f"{manage}/prefs", data={"csrf": token, "lang": "en", "digest_weekday": "0",
                                                   "digest_time": "06:15", "timezone": "UTC"})  # fmt: skip
    assert r.status_code == 303
    page = await client.get(r.headers["location"])
    assert "Your preferences were saved." in page.text
    sub = await repo.get(sub.id)
    assert sub is not None and (sub.lang, sub.digest_time, sub.timezone) == ("en", "06:15", "UTC")

    # 4. unsubscribe: the page's link, then RFC 8058 one-click from a cookie-less mail provider
    unsub = re.search(r'href="(/unsubscribe/[^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert PUBLIC + unsub == unsubscribe_url(PUBLIC, sub.id, SECRET)  # the worker's link
    r = await client.get(unsub)
    assert r.status_code == 200 and "Yes, unsubscribe me" in r.text
    await OutboxRepo(store.engine).enqueue(
        [mail.model_copy(update={"key": "later", "id": None})], clock()
    )
    async with httpx.AsyncClient(transport=client._transport, base_url=PUBLIC) as provider:
        for _ in range(2):  # idempotent
            r = await provider.post(unsub, content=b"List-Unsubscribe=One-Click",
                                    headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
            assert r.status_code == 200 and "You&#39;re unsubscribed" in r.text
    sub = await repo.get(sub.id)
    assert sub is not None and sub.status == "stopped" and "email" not in sub.channels
    later = await OutboxRepo(store.engine).get("later")
    assert later is not None and later.status == "dead"  # queued email is not sent
    r = await client.get(unsub)
    assert r.status_code == 200 and "You&#39;re unsubscribed" in r.text
    page = await client.get(manage)  # unsubscribing revoked the links sent before
    assert page.status_code == 400 and "/unsubscribe/" not in page.text

    # 5. subscribing again needs a new confirmation
    r = await client.post(
        "/subscribe", data=subscribe_form(await csrf(client), "Ann.Lee@example.com")
    )
    assert r.status_code == 200
    again = (await emails(store))[-1]
    assert link_in(again, "confirm")
    assert (await client.get(link_in(again, "confirm"))).status_code == 200
    sub = await repo.get(sub.id)
    assert sub is not None and sub.status == "active" and sub.channels == ("email",)
    assert (await client.get(unsub)).status_code == 400  # the old unsubscribe link is revoked
    fresh = unsubscribe_url(PUBLIC, sub.id, SECRET, sub.token_version)
    assert (await client.get(fresh.removeprefix(PUBLIC))).status_code == 200


async def _seed_alert(store: Store, rule_id: int) -> str:
    from datetime import UTC, datetime

    from bot.models import Figure, Item

    sentence = "Acme <b>Corp</b> lifts capex to $140 billion"
    item = Item(id="i1", source="t", title="t", published=datetime(2026, 2, 3, tzinfo=UTC),
                lang="en", text=sentence, content_hash="h")  # fmt: skip
    await store.upsert_items([item])
    [sf] = await store.replace_figures(
        "i1",
        [
            Figure(
                entity="Acme <b>Corp</b>",
                metric="capex",
                value=140e9,
                unit="USD",
                sentence=sentence,
            )
        ],
    )
    await store.record_alerts([(f"rule-{rule_id}:{sf.figure.key}", rule_id, sf.figure.key, sf.id)])
    return "Acme &lt;b&gt;Corp&lt;/b&gt;"
