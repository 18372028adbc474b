"""HTTP to public web archives, politely: a request rate per archive host, back-off on 429/503, our name.

The Internet Archive allows about 30 requests a minute to its CDX API and replay, and blocks an
address for an hour (doubling each time) when 429s are ignored; the default here stays well under that.
One client is shared by every thread of an import, so the rate holds for the import as a whole.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scraper.settings import USER_AGENT

DEFAULT_RATE_PER_MINUTE = 20.0
DEFAULT_BACKOFF_SECONDS = 60.0  # the first wait after a 429 or 503; doubles on each further one
DEFAULT_ATTEMPTS = 6  # 60 s, 2, 4, 8, 16 min: past that the archive is down, not busy
BACKOFF_STATUSES = frozenset({429, 503})


class ArchiveUnavailable(RuntimeError):
    """The archive kept refusing (429/503) or could not be reached, after every back-off."""


@dataclass
class Answer:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    url: str

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A capture of a redirect is itself what we want; the import follows it through the spider."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class _HostPace:
    next_at: float = 0.0  # the clock's time of the host's next turn
    lock: threading.Lock = field(default_factory=threading.Lock)


class PoliteClient:
    """GET with at most `rate_per_minute` requests per host, evenly spaced, shared by all threads."""

    def __init__(
        self,
        *,
        rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
        backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
        attempts: int = DEFAULT_ATTEMPTS,
        timeout: float = 60.0,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_minute <= 0:
            raise ValueError("the request rate must be positive")
        self.interval = 60.0 / rate_per_minute
        self.backoff_seconds = backoff_seconds
        self.attempts = attempts
        self.timeout = timeout
        self.user_agent = user_agent
        self._sleep = sleep
        self._clock = clock
        self._paces: dict[str, _HostPace] = {}
        self._paces_lock = threading.Lock()
        self._opener = urllib.request.build_opener(_NoRedirects())
        self.requests = 0
        self.backoffs = 0

    def _pace(self, host: str) -> _HostPace:
        with self._paces_lock:
            return self._paces.setdefault(host, _HostPace())

    def get(self, url: str) -> Answer:
        """One request at a time per host, `interval` apart from start to start; a 429 or 503 holds
        the host for the back-off (doubling) or its Retry-After, whichever is longer.

        The host's lock is held across the request: a second thread never sends while the first's
        answer might be a 429, so no request goes out inside a back-off it could have known of."""
        host = urlsplit(url).netloc
        pace = self._pace(host)
        last_problem = ""
        with pace.lock:
            for attempt in range(self.attempts):
                wait = pace.next_at - self._clock()
                if wait > 0:
                    self._sleep(wait)
                pace.next_at = self._clock() + self.interval
                self.requests += 1
                answer: Answer | None
                try:
                    answer = self._fetch(url)
                except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                    last_problem = f"{type(exc).__name__}: {exc}"
                    answer = None
                if answer is not None and answer.status not in BACKOFF_STATUSES:
                    return answer
                if answer is not None:
                    last_problem = f"HTTP {answer.status}"
                if attempt == self.attempts - 1:
                    break
                hold = self.backoff_seconds * (2**attempt)
                said = answer.header("Retry-After") if answer is not None else None
                retry_after = _retry_after_seconds(said)
                if retry_after is not None:
                    hold = max(hold, retry_after)
                self.backoffs += 1
                pace.next_at = max(pace.next_at, self._clock() + hold)
        raise ArchiveUnavailable(
            f"{host} refused {url} {self.attempts} times ({last_problem}); try again later"
        )

    def _fetch(self, url: str) -> Answer:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return Answer(
                    response.status,
                    response.reason or "",
                    list(response.headers.items()),
                    response.read(),
                    url,
                )
        except urllib.error.HTTPError as err:
            body = err.read() if err.fp is not None else b""
            return Answer(err.code, str(err.reason or ""), list(err.headers.items()), body, url)


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
