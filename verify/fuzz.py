"""The hostile-parameter fuzz: every declared parameter and every path segment of every surface, with values
made to break formatting, parsing and limits; each answer is a 2xx or a 4xx in the one JSON error shape."""

import json
import re

from verify.crawl import Report
from verify.surfaces import SURFACES

# Query-string fragments, already percent-encoded as a client would (or would not) send them.
HOSTILE_VALUES = [
    "%25", "%25s", "%25(x)s", "%25d%25d%25d", "{}", "%7B0%7D", "%7Bx.__class__%7D", "%00", "a%00b", "%FF",
    "%C0%AE", "%", "%%", "%ZZ", "x" * 2000, "-1", "0", "99999999999999999999", "1e309", "NaN", "[]", "null",
    "'", "%22", "%3Cscript%3E", "..%2F..%2Fetc%2Fpasswd", "%20", "", "%E2%80%AE", "%F0%9F%92%A5", "\\",
]
# Path segments where a surface's path names an object.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
ERROR_KEYS = {"status", "code", "detail"}


def cases(surfaces=SURFACES):
    """(surface name, path) pairs: each declared parameter with each hostile value (alone and repeated), and
    each object path with each hostile value in the object's place."""
    for surface in surfaces:
        base = PLACEHOLDER.sub("x", surface.path).partition("?")[0]
        for param in surface.params:
            for value in HOSTILE_VALUES:
                yield surface.name, f"{base}?{param}={value}"
            yield surface.name, f"{base}?{param}=a&{param}=b"
        if PLACEHOLDER.search(surface.path):
            path = surface.path.partition("?")[0]
            for value in HOSTILE_VALUES:
                if value and "%2F" not in value:
                    yield surface.name, PLACEHOLDER.sub(lambda _, v=value: v, path, count=1)


def check(path, answer):
    """Why this answer fails the fuzz, or None. Under /api/ every error is the one JSON shape."""
    if answer.status >= 500:
        return f"status {answer.status}"
    kind = answer.headers.get("content-type", "")
    if answer.status >= 400 and path.startswith("/api/"):
        if not kind.startswith("application/json"):
            return f"status {answer.status} as {kind or 'no content type'}, not JSON"
        body = json.loads(answer.body)
        if not ERROR_KEYS <= set(body) or body["status"] != answer.status:
            return f"status {answer.status} without the error shape: {answer.body[:200]!r}"
    return None


def parameter_fuzz(get, surfaces=SURFACES):
    """GET every case with `get(path) -> Answer`; report what failed."""
    report = Report("parameter fuzz")
    for name, path in cases(surfaces):
        report.cases += 1
        problem = check(path, get(path))
        if problem:
            report.fail(f"GET {path[:120]} ({name}): {problem}")
    report.figures = {"hostile values": len(HOSTILE_VALUES), "surfaces": len(surfaces)}
    return report
