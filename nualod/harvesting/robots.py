"""robots.txt as RFC 9309 reads it: the group for our product token (else ``*``), its
rules matched by the longest path pattern, ``*`` and ``$`` understood.

Python's ``urllib.robotparser`` takes the first rule that matches, not the longest, and
reads ``*`` and ``$`` as plain characters: ``Allow: /a`` before ``Disallow: /a/private``
let a crawler into ``/a/private``, and ``Disallow: /*.php$`` stopped nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit


@dataclass(frozen=True, slots=True)
class Rule:
    """One ``Allow`` or ``Disallow`` line: whether it allows, and its path pattern."""

    allow: bool
    pattern: str

    def matches(self, path: str) -> bool:
        """Tell whether the pattern matches the start of ``path`` (``$`` ends it)."""
        return _compiled(self.pattern).match(path) is not None


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules of the group that applies to one product token, and its crawl delay."""

    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None

    def allows(self, url: str) -> bool:
        """Tell whether the URL may be fetched: the longest matching pattern decides, an
        allow winning a tie (RFC 9309, 2.2.2); no match, or ``/robots.txt``, allows.

        >>> rules = parse_robots("User-agent: *\\nAllow: /a\\nDisallow: /a/private\\n", "nualod")
        >>> rules.allows("http://h/a/private/x"), rules.allows("http://h/a/ok")
        (False, True)
        >>> rules = parse_robots("User-agent: *\\nDisallow: /*.php$\\nDisallow: /*secret\\n", "x")
        >>> [rules.allows(f"http://h{p}") for p in ("/i.php", "/i.php?a", "/x/secret/y", "/ok")]
        [False, True, False, True]
        """
        parts = urlsplit(url)
        path = _normalized((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if path == "/robots.txt":
            return True
        best: Rule | None = None
        for rule in self.rules:
            if rule.matches(path) and (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow)
            ):
                best = rule
        return best is None or best.allow


def parse_robots(text: str, token: str) -> RobotsRules:
    """Return the rules of the groups whose ``User-agent`` is ``token`` (case-insensitive),
    or, when none is, those of the ``*`` groups (RFC 9309, 2.2.1); groups for one agent are
    combined.

    >>> text = "User-agent: *\\nDisallow: /\\n\\nUser-agent: NUALOD\\nUser-agent: b\\nDisallow: /x\\nCrawl-delay: 2"
    >>> parse_robots(text, "nualod")
    RobotsRules(rules=(Rule(allow=False, pattern='/x'),), crawl_delay=2.0)
    >>> parse_robots(text, "other").rules
    (Rule(allow=False, pattern='/'),)
    """
    groups: list[tuple[list[str], list[Rule], list[float]]] = []
    agents: list[str] | None = None  # the agents of the group being read
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        name, colon, value = line.partition(":")
        if not colon:
            continue
        name, value = name.strip().lower(), value.strip()
        if name == "user-agent":
            if agents is None or groups[-1][1] or groups[-1][2]:
                agents = []
                groups.append((agents, [], []))
            agents.append(value.lower())
        elif agents is not None and name in ("allow", "disallow"):
            if value:  # an empty Disallow disallows nothing
                groups[-1][1].append(Rule(name == "allow", _normalized(value)))
        elif agents is not None and name == "crawl-delay":
            try:
                groups[-1][2].append(float(value))
            except ValueError:
                continue
    token = token.lower()
    chosen = [g for g in groups if token in g[0]] or [g for g in groups if "*" in g[0]]
    delays = [delay for g in chosen for delay in g[2]]
    return RobotsRules(
        tuple(rule for g in chosen for rule in g[1]), max(delays) if delays else None
    )


def _normalized(path: str) -> str:
    """Return a path with its percent-encoding made uniform, so that a pattern and a URL
    written differently compare alike (RFC 9309, 2.2.2)."""
    return quote(unquote(path), safe="/?=&;:@!$'()*+,-._~%")


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    found = _PATTERNS.get(pattern)
    if found is None:
        anchored = pattern.endswith("$")
        body = pattern[:-1] if anchored else pattern
        regex = ".*".join(re.escape(piece) for piece in body.split("*"))
        found = _PATTERNS[pattern] = re.compile(regex + ("$" if anchored else ""))
    return found
