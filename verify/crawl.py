"""The canary leak crawl: every surface, once per canary where it names one, then every link the answers give."""

import json
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from verify.surfaces import SURFACES

# Links worth following: the site's own public paths (the API's own links are absolute). Uploaded media are
# served by the web server or the bucket, not by the app: their names are checked as marks instead.
FOLLOWED_PREFIXES = ("/api/", "/renditions/")
MAX_FOLLOWED = 400


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def text(self):
        kind = self.headers.get("content-type", "")
        return self.body.decode("utf-8", "replace") if kind.startswith(("application/", "text/")) else ""


@dataclass
class Report:
    name: str
    cases: int = 0
    failures: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # what was measured, for bench/VERIFY.md

    def fail(self, message):
        self.failures.append(message)

    def summary(self):
        return f"{self.name}: {self.cases} cases, {len(self.failures)} failures"


def links_in(value):
    """Every string in a JSON document that looks like a URL or a path of the site."""
    if isinstance(value, dict):
        for item in value.values():
            yield from links_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item)
    elif isinstance(value, str) and (value.startswith(("http://", "https://", "/"))):
        # A srcset is "url 320w, url 640w".
        yield from (candidate.split(" ")[0] for candidate in value.split(", "))


def site_path(url):
    """`url` as a path with its query when it is one of the site's followed paths, else None."""
    parts = urlsplit(url)
    if not parts.path.startswith(FOLLOWED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def seeds(visible, canaries, surfaces):
    """(surface, path, echoed marks) for every surface: once per canary where it names one, else once."""
    for surface in surfaces:
        if surface.uses_canary():
            for canary in canaries:
                values = canary.values(visible)
                echoed = frozenset(f(str(values[name])) for name in surface.echoes for f in (str, '"{}"'.format))
                yield surface, surface.url(values), echoed
        else:
            yield surface, surface.url(visible), frozenset()


def leak_crawl(get, visible, canaries, surfaces=SURFACES, max_followed=MAX_FOLLOWED):
    """GET every seed and every link followed from them with `get(path) -> Answer`; a failure is a 5xx, an
    unexpected status or any canary's mark in a body or a header."""
    report = Report("leak crawl")
    marks = [(canary.state, mark) for canary in canaries for mark in canary.marks]
    queue = deque((surface.statuses, path, surface.name, echoed)
                  for surface, path, echoed in seeds(visible, canaries, surfaces))
    seen = {path for _, path, _, _ in queue}
    followed = 0
    while queue:
        statuses, path, why, echoed = queue.popleft()
        answer = get(path)
        report.cases += 1
        if answer.status not in statuses:
            report.fail(f"GET {path} ({why}): status {answer.status}, expected {sorted(statuses)}")
        text = answer.text()
        exposed = text + "\n" + "\n".join(f"{name}: {value}" for name, value in answer.headers.items())
        for state, mark in marks:
            if mark in exposed and mark not in echoed:
                report.fail(f"GET {path} ({why}): shows {mark!r} of the {state} canary")
        links = []
        if answer.headers.get("location"):
            links.append(answer.headers["location"])
        if answer.headers.get("content-type", "").startswith("application/json") and answer.status == 200:
            links.extend(links_in(json.loads(answer.body)))
        for link in links:
            target = site_path(link)
            if target is None or target in seen or followed >= max_followed:
                continue
            seen.add(target)
            followed += 1
            queue.append((frozenset({200, 301, 302}), target, f"linked from {path}", frozenset()))
    report.figures = {"canaries": len(canaries), "marks looked for in every answer": len(marks),
                      "links followed from the answers": followed}
    return report
