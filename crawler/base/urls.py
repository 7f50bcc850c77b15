"""URL canonicalisation: one spelling per article, so that "seen" checks work.

Two levels, on purpose:

* :func:`canonicalize_url` makes only changes that do not alter what the server
  returns for the article, so its result is still safe to fetch and to show:
  resolve against a base, unwrap known redirect wrappers, lowercase scheme and
  host, IDNA-encode the host, drop default ports, fragments and tracking
  parameters, sort the remaining query parameters, normalise percent-encoding,
  collapse duplicate slashes and dot segments.  Scheme, ``www.``, trailing
  slashes and ``index.html`` are kept: servers may treat them differently.
* :func:`url_key` is an equivalence key for comparisons only (never fetched):
  the canonical URL without scheme, without a leading ``www.``, without a final
  ``index.html``/``index.php``/``index.htm``/``default.aspx`` and without a
  trailing slash.  Many outlets serve the same article under all of these.

Tracking parameters removed (case-insensitive, see :data:`TRACKING_PARAMS` and
:data:`TRACKING_PREFIXES`): ``utm_*``, click ids of ad networks (``fbclid``,
``gclid``, ``msclkid``, ``yclid``…), newsletter ids (``mc_cid``, ``mc_eid``,
HubSpot ``_hsenc``…), share/referral markers (``ref``, ``ref_src``, ``share``,
``CMP``, ``smid``, ``ocid``, ``igshid``, ``spm``…), feed markers (``rss``,
``wprss``, ``feedType``, ``partner``, ``emc``…), analytics (``_ga``, ``_gl``,
``WT.*``, ``wt_mc``, ``ns_*``, ``pk_*``, ``mtm_*``, ``at_medium``…), session ids
(``PHPSESSID``, ``;jsessionid=``) and ``amp``.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize
from w3lib.url import safe_url_string

TRACKING_PARAMS: frozenset[str] = frozenset({
    # ad-network click ids
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "ttclid", "li_fat_id", "igshid", "mibextid", "s_kwcid", "epik", "rb_clickid", "wickedid",
    # newsletters and marketing automation
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "vero_id", "vero_conv",
    "oly_anon_id", "oly_enc_id", "sc_cid", "sr_share",
    # referral and share markers
    "ref", "ref_src", "ref_url", "referrer", "referrersource", "cmpid", "cmp", "ocid", "ncid",
    "icid", "smid", "smtyp", "ito", "spm", "share", "shared", "soc_src", "soc_trk", "xtor",
    "guccounter", "guce_referrer", "guce_referrer_sig", "__twitter_impression", "s_cid",
    # session ids
    "phpsessid", "jsessionid", "cfid", "cftoken",
    # feed markers
    "rss", "wprss", "feedtype", "feedname", "partner", "emc", "flattrss_redirect",
    # analytics cookies passed in URLs
    "_ga", "_gl", "wt_mc", "at_medium", "at_campaign", "at_custom1", "at_custom2",
    "at_custom3", "at_custom4", "at_link", "at_ptr_name", "at_format",
    # AMP variant switch: the same article
    "amp", "outputtype",
})
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "wt.", "ns_", "pk_", "mtm_", "hsa_", "__hs")

# (host pattern, path prefix, query parameters that hold the real target, in order)
REDIRECT_WRAPPERS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    # Google Alerts and search result links, on google.com and the country domains
    (re.compile(r"(?:www\.)?google\.(?:com|(?:co|com)\.[a-z]{2}|[a-z]{2})"), "/url", ("url", "q")),
    (re.compile(r"l[m]?\.facebook\.com"), "/l.php", ("u",)),
    (re.compile(r"(?:www\.)?bing\.com"), "/news/apiclick.aspx", ("url",)),
    (re.compile(r"(?:[a-z0-9-]+\.)*safelinks\.protection\.outlook\.com"), "/", ("url",)),
    (re.compile(r"(?:html\.)?duckduckgo\.com"), "/l/", ("uddg",)),
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SLASHES = re.compile(r"/{2,}")
_PATH_SESSION = re.compile(r";jsessionid=[^/?#;]*", re.I)
_INDEX_PAGE = re.compile(r"/(?:index\.(?:html?|php|asp|aspx)|default\.aspx?)$", re.I)
_MAX_UNWRAP = 3


def is_http_url(url: object) -> bool:
    """True for an absolute ``http``/``https`` URL with a host."""
    if not isinstance(url, str) or not url.strip():
        return False
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)
    except ValueError:
        return False


def host_of(url: str) -> str:
    """The lowercased, IDNA-encoded host of ``url`` without port; '' if there is none."""
    try:
        return urlsplit(safe_url_string(url.strip())).hostname or ""
    except (ValueError, UnicodeError):
        return ""


def canonicalize_url(url: str, base: str | None = None) -> str:
    """The canonical spelling of ``url`` (resolved against ``base`` if relative).

    Raises ``ValueError`` when the result is not an absolute http(s) URL, so a
    caller never stores ``javascript:``/``mailto:`` links or unresolvable paths.
    """
    raw = url.strip() if isinstance(url, str) else ""
    if base:
        raw = urljoin(base.strip(), raw)
    raw = unwrap_redirect(raw)
    if not is_http_url(raw):
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    try:
        netloc = _netloc(parts, scheme)
        path = _SLASHES.sub("/", _PATH_SESSION.sub("", parts.path)) or "/"
        query = _strip_tracking(parts.query)
        return _w3lib_canonicalize(urlunsplit((scheme, netloc, path, query, "")))
    except (ValueError, UnicodeError) as exc:
        raise ValueError(f"malformed URL {url!r}: {exc}") from None


def url_key(url: str, base: str | None = None) -> str:
    """Equivalence key for "have we seen this article?": scheme, ``www.``, index page
    and trailing slash do not count.  Raises ``ValueError`` like :func:`canonicalize_url`."""
    parts = urlsplit(canonicalize_url(url, base))
    host = parts.netloc.removeprefix("www.")
    path = _INDEX_PAGE.sub("/", parts.path)
    if len(path) > 1:
        path = path.rstrip("/")
    key = host + (path if path != "/" else "")
    return f"{key}?{parts.query}" if parts.query else key


def is_front_page(url: str) -> bool:
    """True when ``url`` is a site's front page (no path beyond an index page, no query):
    never one article's URL, though page templates that know no better declare it as such."""
    try:
        key = url_key(url)
    except ValueError:
        return False
    return "/" not in key and "?" not in key


def unwrap_redirect(url: str) -> str:
    """The target of a known redirect wrapper (Google Alerts ``/url?url=``,
    Facebook ``l.php?u=``, Outlook safelinks…), or ``url`` unchanged.

    Wrappers whose target is not in the URL (feedburner ``~r``, ``t.co``) cannot be
    unwrapped offline; canonicalise the response URL after redirects instead.
    """
    for _ in range(_MAX_UNWRAP):
        target = _wrapped_target(url)
        if target is None:
            return url
        url = target
    return url


def _wrapped_target(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    for host_pattern, path_prefix, names in REDIRECT_WRAPPERS:
        if not host_pattern.fullmatch(host) or not parts.path.startswith(path_prefix):
            continue
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        for name in names:
            target = params.get(name, "").strip()
            if is_http_url(target):
                return target
    return None


def _netloc(parts: SplitResult, scheme: str) -> str:
    """Host lowercased (w3lib IDNA-encodes it), userinfo kept, default port dropped."""
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    port = parts.port  # ValueError on a malformed port
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        return f"{netloc}:{port}"
    return netloc


def _strip_tracking(query: str) -> str:
    """Drop tracking parameters, keeping the others' raw spelling (w3lib sorts them)."""
    if not query:
        return ""
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = unquote(pair.partition("=")[0]).strip().lower()
        if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
            continue
        kept.append(pair)
    return "&".join(kept)
