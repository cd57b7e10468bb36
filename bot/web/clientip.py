"""Who the client is, for rate limits: the socket peer, or what a trusted proxy says.

Behind the documented reverse proxy every socket peer is the proxy (127.0.0.1), so limits keyed
on it are one global limit that any visitor can use up for everyone. ``client_key`` believes
``X-Forwarded-For`` / ``Forwarded: for=`` only when the peer is in ``[web] trusted_proxies``,
and then walks the chain from the right (the hop the proxy added) past further trusted proxies
to the first address it does not trust: a client cannot spoof its key by sending the header
itself, since its own entries sit left of the one the proxy appended. IPv6 clients are keyed by
their /64 (one subscriber line hands out a whole /64, so per-address limits would not bind).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_FOR = re.compile(r'(?i)(?:^|[;,\s])for=(?:"([^"]*)"|([^;,\s]*))')


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    """``["127.0.0.1", "10.0.0.0/8", "::1"]`` -> networks; ValueError names the bad entry."""
    out = []
    for v in values:
        try:
            out.append(ipaddress.ip_network(v.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{v!r} is not an IP address or network (e.g. 10.0.0.0/8)") from None
    return tuple(out)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    t = text.strip().strip('"')
    if t.startswith("["):  # Forwarded: for="[2001:db8::1]:4711"
        t = t[1:].partition("]")[0]
    elif t.count(":") == 1:  # 203.0.113.7:4711
        t = t.partition(":")[0]
    try:
        ip = ipaddress.ip_address(t)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, nets: Sequence[Network]) -> bool:
    return any(ip.version == n.version and ip in n for n in nets)


def _key(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def client_key(
    peer: str | None,
    forwarded_for: str | None,
    forwarded: str | None,
    trusted: Sequence[Network],
) -> str:
    """The rate-limit key of a request (see module doc)."""
    ip = _ip(peer or "")
    if ip is None:
        return peer or "unknown"
    if not trusted or not _trusted(ip, trusted):
        return _key(ip)
    hops: list[str] = []
    if forwarded:
        hops = [a or b for a, b in _FOR.findall(forwarded)]
    elif forwarded_for:
        hops = forwarded_for.split(",")
    for hop in reversed(hops):
        addr = _ip(hop)
        if addr is None:
            break  # garbage in the chain: stop believing it (key on the last good hop)
        ip = addr
        if not _trusted(addr, trusted):
            break
    return _key(ip)
