"""Checks of the schools' websites: the TLS certificate (valid, days to expiry, host name, chain) and the
answer (status, time); each result kept; the school warned 30 and 7 days before its certificate expires.

Probing is plain network work done in a few threads; every database write happens in the calling thread.
Addresses on private, loopback or link-local networks are not probed unless `SITE_CHECK_ALLOW_PRIVATE` is
set (the tests' local server): a school's URL must never make the platform reach inside its own network.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.x509.oid import ExtensionOID
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import notifications
from giaoducso.core.models import Membership
from giaoducso.core.roles import Role

from ..models import ExpiryWarning, SiteCheck, Website

KIND = "reporting_site_expiry"
WARN_DAYS = (30, 7)
TIMEOUT_SECONDS = 10
THREADS = 8
USER_AGENT = "GiaoDucSo-SiteCheck/1"
_EXPIRED = 10  # X509_V_ERR_CERT_HAS_EXPIRED


@dataclass
class Probe:
    valid: bool = False
    not_after: dt.datetime | None = None
    days_to_expiry: int | None = None
    host_match: bool | None = None
    chain_ok: bool | None = None
    status_code: int | None = None
    response_ms: int | None = None
    error: str = ""


def _host_matches(host: str, cert: x509.Certificate) -> bool:
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    except x509.ExtensionNotFound:
        return False
    host = host.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
        return address in san.get_values_for_type(x509.IPAddress)
    except ValueError:
        pass
    for name in san.get_values_for_type(x509.DNSName):
        name = name.lower().rstrip(".")
        if name == host:
            return True
        # A wildcard covers exactly one left-most label.
        if name.startswith("*.") and host.count(".") >= 2 and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _refuse_private(host: str, port: int) -> str:
    if getattr(settings, "SITE_CHECK_ALLOW_PRIVATE", False):
        return ""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        return _("Không tìm thấy tên miền %(host)s.") % {"host": host}
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            return _("Tên miền trỏ tới địa chỉ nội bộ (%(address)s): không kiểm tra.") % {"address": address}
    return ""


def probe(url: str, *, now: dt.datetime | None = None, cafile: str | None = None) -> Probe:
    """What the site at `url` shows now. Never raises for a network or TLS problem: it is the result."""
    now = now or timezone.now()
    cafile = cafile if cafile is not None else getattr(settings, "SITE_CHECK_CA_FILE", None)
    result = Probe()
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    refused = _refuse_private(host, port)
    if refused:
        result.error = refused
        return result
    errors: list[str] = []
    if https:
        try:
            raw = ssl.create_default_context()
            raw.check_hostname = False
            raw.verify_mode = ssl.CERT_NONE
            with (
                socket.create_connection((host, port), timeout=TIMEOUT_SECONDS) as sock,
                raw.wrap_socket(sock, server_hostname=host) as tls,
            ):
                der = tls.getpeercert(binary_form=True)
        except (OSError, ssl.SSLError) as exc:
            result.error = (_("Không kết nối được: %(reason)s") % {"reason": exc})[:500]
            return result
        if der is None:
            result.error = _("Máy chủ không gửi chứng chỉ.")
            return result
        cert = x509.load_der_x509_certificate(der)
        result.not_after = cert.not_valid_after_utc
        result.days_to_expiry = (result.not_after - now).days
        result.host_match = _host_matches(host, cert)
        verified = ssl.create_default_context(cafile=cafile)
        verified.check_hostname = False  # the host name is checked above, from the certificate itself
        try:
            with (
                socket.create_connection((host, port), timeout=TIMEOUT_SECONDS) as sock,
                verified.wrap_socket(sock, server_hostname=host),
            ):
                result.chain_ok = True
        except ssl.SSLCertVerificationError as exc:
            # An expired certificate from a trusted issuer: the chain is fine, the date is not.
            result.chain_ok = exc.verify_code == _EXPIRED
            if not result.chain_ok:
                errors.append(
                    _("Chuỗi chứng chỉ không được tin cậy: %(reason)s") % {"reason": exc.verify_message}
                )
        except (OSError, ssl.SSLError) as exc:
            result.chain_ok = False
            errors.append(_("Lỗi bắt tay TLS: %(reason)s") % {"reason": exc})
        expired = result.not_after <= now or cert.not_valid_before_utc > now
        if expired:
            errors.append(
                _("Chứng chỉ hết hạn ngày %(day)s.")
                % {"day": timezone.localtime(result.not_after).strftime("%d/%m/%Y")}
            )
        if not result.host_match:
            errors.append(_("Chứng chỉ không dành cho tên miền %(host)s.") % {"host": host})
        result.valid = bool(result.chain_ok and result.host_match and not expired)
    else:
        errors.append(_("Website không dùng HTTPS."))
    try:
        started = time.monotonic()
        if https:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
        try:
            connection.request("GET", parts.path or "/", headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            result.status_code = response.status
            result.response_ms = int((time.monotonic() - started) * 1000)
        finally:
            connection.close()
        if result.status_code >= 400:
            errors.append(_("Website trả về mã lỗi %(status)s.") % {"status": result.status_code})
    except (OSError, http.client.HTTPException) as exc:
        errors.append(_("Website không trả lời: %(reason)s") % {"reason": exc})
    result.error = " ".join(errors)[:500]
    return result


def _warn(website: Website, check: SiteCheck) -> int:
    """Warns the school once per certificate at 30 and at 7 days before it expires."""
    days = check.days_to_expiry
    if days is None or check.not_after is None or days < 0:
        return 0
    due = [point for point in WARN_DAYS if days <= point]
    if not due:
        return 0
    point = min(due)
    try:
        with transaction.atomic():
            ExpiryWarning.objects.create(website=website, not_after=check.not_after, days=point)
            people = [
                m.user
                for m in Membership.objects.filter(
                    unit=website.school, role__in=(Role.PRINCIPAL, Role.SCHOOL_IT), is_active=True
                ).select_related("user")
            ]
            notifications.notify(
                recipients=people,
                kind=KIND,
                title=_("Chứng chỉ TLS của %(url)s hết hạn sau %(days)s ngày")
                % {"url": website.url, "days": days},
                body=_("Hết hạn ngày %(day)s. Hãy gia hạn chứng chỉ trước ngày này.")
                % {"day": timezone.localtime(check.not_after).strftime("%d/%m/%Y")},
                url="/reporting/assets/",
                unit=website.school,
            )
    except IntegrityError:
        return 0
    return 1


def check_sites(*, websites: Any = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Checks every registered website (or those given), records each result, sends the due warnings."""
    now = now or timezone.now()
    sites = list(websites if websites is not None else Website.objects.select_related("school"))
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        probes = list(pool.map(lambda site: probe(site.url, now=now), sites))
    summary = {"checked": 0, "valid": 0, "invalid": 0, "warned": 0}
    for site, found in zip(sites, probes, strict=True):
        check = SiteCheck.objects.create(
            website=site,
            checked_at=now,
            valid=found.valid,
            not_after=found.not_after,
            days_to_expiry=found.days_to_expiry,
            host_match=found.host_match,
            chain_ok=found.chain_ok,
            status_code=found.status_code,
            response_ms=found.response_ms,
            error=found.error,
        )
        Website.objects.filter(pk=site.pk).update(last_check=check)
        summary["checked"] += 1
        summary["valid" if found.valid else "invalid"] += 1
        summary["warned"] += _warn(site, check)
    return summary


def run_daily(today: dt.date) -> dict[str, Any]:
    return check_sites()
