"""One POST to an OpenAI-compatible endpoint, with bounded timeouts, retries and clear errors."""

from __future__ import annotations

import os
import time

import requests

from opinionbench.errors import OpinionBenchError

_RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}


def post_json(url: str, payload: dict, *, timeout: float, max_retries: int, who: str) -> dict:
    """POST ``payload`` to ``url`` and return the JSON answer.

    A connection error, a timeout (``timeout`` seconds to connect and to read) or a retryable
    HTTP status is retried ``max_retries`` times (0.5 s, 1 s, 2 s, ... apart); then, and on any
    other HTTP error or a body that is not JSON, an :class:`OpinionBenchError` naming ``who``
    and the URL. ``OPENAI_API_KEY``, when set, is sent as a bearer token.
    """
    headers = {"Content-Type": "application/json"}
    if os.environ.get("OPENAI_API_KEY"):
        headers["Authorization"] = f"Bearer {os.environ['OPENAI_API_KEY']}"
    for attempt in range(max_retries + 1):
        if attempt:
            time.sleep(0.5 * 2 ** (attempt - 1))
        try:
            response = requests.post(url, json=payload, headers=headers, timeout=(timeout, timeout))
        except requests.Timeout:
            failure = f"did not answer within {timeout:g} s"
            continue
        except requests.ConnectionError as err:
            failure = f"cannot be reached ({_reason(err)}); is the server running?"
            continue
        if response.ok:
            return _json(response, who)
        failure = f"answered HTTP {response.status_code}: {response.text.strip()[:300]}"
        if response.status_code not in _RETRYABLE_STATUS:
            break
    raise OpinionBenchError(f"{who}: {url} {failure} (attempts: {attempt + 1}).")


def _json(response: requests.Response, who: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        raise OpinionBenchError(
            f"{who}: {response.url} answered with something that is not JSON: {response.text.strip()[:200]!r}"
        ) from None
    if not isinstance(body, dict):
        raise OpinionBenchError(f"{who}: {response.url} answered {type(body).__name__}, not a JSON object.")
    return body


def _reason(err: requests.ConnectionError) -> str:
    """The innermost cause of a connection error, e.g. 'Connection refused'."""
    cause = err
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__
    return str(cause).split("] ")[-1] or type(cause).__name__
