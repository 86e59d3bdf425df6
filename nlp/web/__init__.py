"""A local web app for auditors: ``biyelelt serve``.

Вэб програм / Web app: upload reports or pick a folder, watch the progress bar, read the
ranked reports and each report's rows, set a row's status and comment (saved as a label with
provenance in the label store), download the workbook and the HTML page, retrain and compare
with the current model. Mongolian, with an English switch. See ``docs/web.md``.

Needs the ``web`` extra (Flask): ``pip install 'biyelelt[web]'``.

Examples
--------
>>> from nlp.web import WebConfig, create_app
>>> app = create_app(WebConfig(data_dir="/tmp/biyelelt-web"))  # doctest: +SKIP
>>> app.test_client().get("/").status_code  # doctest: +SKIP
200
"""

from __future__ import annotations

import sys

from ..errors import BiyeleltError, bilingual
from .config import WebConfig, check_bind, default_data_dir, is_loopback

__all__ = ["WebConfig", "check_bind", "is_loopback", "default_data_dir", "create_app", "serve", "require_flask"]


def require_flask() -> None:
    """Raise a bilingual error with the install hint when Flask is not installed."""
    try:
        import flask  # noqa: F401
    except ImportError as exc:
        raise BiyeleltError("вэб програмд Flask хэрэгтэй: pip install 'biyelelt[web]'",
                            "the web app needs Flask: pip install 'biyelelt[web]'") from exc


def create_app(config: WebConfig | None = None):
    """Build the Flask app (see :func:`nlp.web.app.create_app`)."""
    require_flask()
    from .app import create_app as _create_app

    return _create_app(config)


def serve(config: WebConfig, *, ready=None) -> None:
    """Run the app until Ctrl-C (a threaded WSGI server from Werkzeug).

    Parameters
    ----------
    config : WebConfig
    ready : callable, optional
        Called with the server once it listens (tests use it to learn the port).

    Raises
    ------
    BiyeleltError
        A non-loopback ``host`` without a token, a short token, Flask missing, or the port taken.
    """
    check_bind(config.host, config.token)
    require_flask()
    from werkzeug.serving import make_server

    app = create_app(config)
    try:
        server = make_server(config.host, config.port, app, threaded=True)
    except OSError as exc:
        raise BiyeleltError(f"{config.host}:{config.port} хаягийг нээж чадсангүй (өөр програм ашиглаж байж магадгүй)",
                            f"cannot listen on {config.host}:{config.port} ({exc.strerror or exc})") from exc
    host = f"[{config.host}]" if ":" in config.host else config.host
    url = f"http://{host}:{server.server_port}/"
    print(bilingual("biyelelt вэб програм ажиллаж байна", "biyelelt web app running") + f": {url}", file=sys.stderr)
    if config.token:
        print(bilingual("нэвтрэх холбоос (түлхүүртэй)", "sign-in link (with the token)") + f": {url}?token=<TOKEN>",
              file=sys.stderr)
    print(bilingual("зогсоох: Ctrl-C", "stop: Ctrl-C"), file=sys.stderr)
    if ready is not None:
        ready(server)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.extensions["biyelelt"].jobs.shutdown(wait=False)
