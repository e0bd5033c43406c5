"""Running the lab: in the foreground (`python -m minigan lab`, Ctrl-C stops it) or in a background
thread of a notebook's kernel (`show`).

    serve("127.0.0.1", 8765)                      # blocks until Ctrl-C, then shuts down cleanly
    minigan.lab.show(algorithm="wgan")            # in a notebook: the page inline, at that setting
    minigan.lab.show(tab="games", game="bilinear")
"""
import socket
import threading
import time
import urllib.parse
import webbrowser

import uvicorn

from minigan.lab.app import create_app


def bind(host, port):
    """A listening socket on (host, port); port 0 picks a free one. OSError if it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def url_of(sock):
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def server_for(app):
    # the websockets package's Sans-I/O protocol where this uvicorn has it (its older one is deprecated)
    ws = "websockets-sansio" if "websockets-sansio" in uvicorn.config.WS_PROTOCOLS else "websockets"
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=3, ws=ws)
    return uvicorn.Server(config)


def serve(host="127.0.0.1", port=8765, open_browser=False, announce=print):
    """Serve the lab until Ctrl-C (uvicorn turns SIGINT and SIGTERM into a graceful shutdown: the
    open pages' sockets close, every session is freed, and this returns)."""
    sock = bind(host, port)
    url = url_of(sock)
    server = server_for(create_app())
    announce(f"minigan lab: {url}   (Ctrl-C stops it)")
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    announce("minigan lab: stopped")


def _open_when_started(server, url, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    webbrowser.open(url)


class Background:
    """The lab served from a daemon thread of this process (a notebook's kernel): .url, .app
    (its sessions are .app.state.sessions), .stop()."""

    def __init__(self, host="127.0.0.1", port=0, idle_timeout=900.0):
        self.sock = bind(host, port)
        self.url = url_of(self.sock)
        self.app = create_app(idle_timeout)
        self.server = server_for(self.app)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and self.thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self.server.started:
            raise RuntimeError(f"the lab's server did not start on {self.url}")

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


_background = {}


def show(tab=None, width="100%", height=960, port=0, **settings):
    """Start the lab in the background (once per kernel) and show the page inline, in an IFrame.

    settings preselect the page: data ("ring", "grid"), algorithm ("gan", "wgan", "wgan-gp") and any
    setting of minigan.lab.settings (generator_loss="minimax", lr=1e-4, ...); tab="games" opens the
    games tab, with game="bilinear" or "mean" and eta=η. Returns the IPython IFrame (its .src is the URL)."""
    from IPython.display import IFrame

    if "server" not in _background or not _background["server"].thread.is_alive():
        _background["server"] = Background(port=port)
    query = {key: value for key, value in {"tab": tab, **settings}.items() if value is not None}
    url = _background["server"].url + (f"?{urllib.parse.urlencode(query)}" if query else "")
    return IFrame(url, width=width, height=height)
