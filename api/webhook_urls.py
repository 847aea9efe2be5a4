"""Where a webhook may send: public http(s) addresses only, checked when saved and again when sent.

A webhook URL is typed by an administrator, but the request leaves from the server: without
these checks it could reach what only the server can (the database, a cloud's metadata service
at 169.254.169.254, the intranet) — server-side request forgery. So:

- the URL: http or https, a host, no user name or password in it;
- every address its host resolves to: none loopback, private, link-local, shared, multicast,
  reserved or unspecified, IPv4 or IPv6 (an IPv6 address that carries an IPv4 one — mapped,
  compatible, 6to4, NAT64, Teredo — is judged by the IPv4 one). Decimal, octal or hexadecimal
  spellings (http://2130706433/, http://0177.0.0.1/) are resolved like any host, so they are
  judged by the address they stand for;
- when sending, the host is resolved again (its DNS may have changed since it was saved: DNS
  rebinding), only allowed addresses are connected to, and the address actually connected to
  is checked. Redirects are never followed (api/tasks.py).

settings.API_WEBHOOK_ALLOW_PRIVATE (environment variable of the same name, off by default)
lets an intranet's receivers on private addresses in; the URL rules still apply.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

ALLOWED_SCHEMES = ("http", "https")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class ForbiddenAddress(OSError):
    """A webhook's host resolves to an address it may not reach; the message says which."""


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (and would reach), if any."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    packed = int(address)
    if packed >> 32 == 0 and packed > 1:  # IPv4-compatible ::a.b.c.d (:: and ::1 are judged as IPv6)
        return ipaddress.IPv4Address(packed)
    if address in NAT64:
        return ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    return None


def is_forbidden(address: str) -> bool:
    """Whether a webhook may not reach this IP address (without API_WEBHOOK_ALLOW_PRIVATE)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: the zone is not the address
    if isinstance(ip, ipaddress.IPv6Address):
        carried = embedded_ipv4(ip)
        if carried is not None and is_forbidden(str(carried)):
            return True
        if ip.is_site_local:
            return True
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def url_refusal(url: str) -> str | None:
    """What is wrong with the URL itself (scheme, host, credentials), in the user's language; None if fine."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        return _("Enter a valid web address.")
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return _("Enter a web address starting with http:// or https://.")
    if parts.username is not None or parts.password is not None:
        return _("Leave the user name and password out of the address: the deliveries are signed instead.")
    if not parts.hostname:
        return _("Enter a valid web address.")
    return None


def resolve(host: str, port: int) -> list[tuple]:
    """getaddrinfo's answers for a TCP connection; ForbiddenAddress (an OSError) when the host is unknown."""
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ForbiddenAddress(_("The host name “%(host)s” cannot be found.") % {"host": host}) from None


def forbidden_message(host: str, address: str) -> str:
    if host.strip("[]") == address:
        return _("%(address)s is a loopback, private or reserved address that webhooks may not reach.") % {
            "address": address}
    return _("“%(host)s” leads to %(address)s, a loopback, private or reserved address that webhooks may not "
             "reach.") % {"host": host, "address": address}


def refusal(url: str) -> str | None:
    """For the webhook form: what forbids this URL (its address included, resolved now), or None."""
    wrong = url_refusal(url)
    if wrong is not None:
        return wrong
    parts = urlsplit(url.strip())
    try:
        answers = resolve(parts.hostname, parts.port or 443)
    except ForbiddenAddress as error:
        return str(error)
    if not settings.API_WEBHOOK_ALLOW_PRIVATE:
        for *_rest, sockaddr in answers:
            if is_forbidden(sockaddr[0]):
                return forbidden_message(parts.hostname, sockaddr[0])
    return None


def guarded_connection(address, timeout=None, source_address=None):
    """socket.create_connection, to allowed addresses only, checking the one actually connected to."""
    host, port = address
    allow_private = settings.API_WEBHOOK_ALLOW_PRIVATE
    answers = resolve(host, port)
    allowed = [answer for answer in answers if allow_private or not is_forbidden(answer[4][0])]
    if not allowed:
        raise ForbiddenAddress(forbidden_message(host, answers[0][4][0]))
    last_error = None
    for family, kind, proto, _name, sockaddr in allowed:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            peer = sock.getpeername()[0]
            if not allow_private and is_forbidden(peer):
                raise ForbiddenAddress(forbidden_message(host, peer))
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    raise last_error


class GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = guarded_connection  # what HTTPConnection.connect opens its socket with


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, context=ssl.create_default_context(), **kwargs)
        self._create_connection = guarded_connection


def open_connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the URL's host that reaches only allowed addresses, and the path to request.

    ForbiddenAddress when the URL itself is not allowed (a webhook saved before these checks, or
    written around the form)."""
    wrong = url_refusal(url)
    if wrong is not None:
        raise ForbiddenAddress(wrong)
    parts = urlsplit(url.strip())
    https = parts.scheme.lower() == "https"
    connection_class = GuardedHTTPSConnection if https else GuardedHTTPConnection
    connection = connection_class(parts.hostname, parts.port or (443 if https else 80), timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return connection, path
