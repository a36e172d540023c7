"""Serve the built book (and its JupyterLite site) on 127.0.0.1, as a static web host would.

JupyterLite needs correct types for ``.mjs`` and ``.wasm`` files, which Python's defaults
lack on some versions; otherwise any static host works.

Usage::

    python -m alcourse.publish.serve            # serves _build/html, prints the URL

>>> with serving(Path(__file__).parent) as url:
...     url.startswith("http://127.0.0.1:")
True
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".ipynb": "application/json", ".whl": "application/zip",
         ".woff2": "font/woff2", ".svg": "image/svg+xml"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def log_message(self, format: str, *args: object) -> None:
        pass  # a test server need not log every request


@contextlib.contextmanager
def serving(root: Path, port: int = 0) -> Iterator[str]:
    """Serve ``root`` in a background thread; yield its base URL (no trailing slash)."""
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path("_build") / "html",
                        help="the built site (default: _build/html in the current folder)")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    with serving(args.root, args.port) as url:
        print(f"Serving {args.root} at {url}/ (Ctrl+C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
