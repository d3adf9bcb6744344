"""Replay URLs from a WACZ through pywb's WSGI application; prints one JSON result per URL.

Run in its own process (``python tests/support/pywb_replay.py WACZ FOLDER URL...``): importing
pywb's front end monkey-patches the interpreter with gevent, which must not leak into the
test process.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from wsgiref.util import setup_testing_defaults


def main(wacz: str, folder: str, paths: list[str]) -> None:
    from pywb.apps.frontendapp import FrontEndApp
    from pywb.manager.manager import CollectionsManager

    os.chdir(folder)
    os.makedirs("collections", exist_ok=True)
    manager = CollectionsManager("civic", must_exist=False)
    manager.add_collection()
    manager.add_archives([wacz], unpack_wacz=True)
    app = FrontEndApp()
    for path in paths:
        environ: dict = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
        setup_testing_defaults(environ)
        environ["wsgi.input"] = io.BytesIO(b"")
        seen: dict = {}

        def start_response(status, headers, exc_info=None):  # noqa: ANN001, ANN202
            seen["status"], seen["headers"] = status, dict(headers)

        body = b"".join(app(environ, start_response))
        print(json.dumps({"path": path, "status": seen["status"],
                          "content_type": seen["headers"].get("Content-Type"),
                          "body": base64.b64encode(body).decode()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
