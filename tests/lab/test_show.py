"""minigan.lab.show: the same server in a background thread of this process, the page in an IFrame."""
import urllib.request

import pytest

pytest.importorskip("IPython", reason="show() displays in IPython/Jupyter")


def test_show_serves_the_page_preselected():
    import minigan.lab
    from minigan.lab import server

    try:
        frame = minigan.lab.show(tab="games", game="bilinear", width=800, height=600)
        assert frame.src.startswith("http://127.0.0.1:") and frame.src.endswith("/?tab=games&game=bilinear")
        assert (frame.width, frame.height) == (800, 600)
        with urllib.request.urlopen(frame.src, timeout=30) as page:
            assert b"<title>minigan lab</title>" in page.read()
        again = minigan.lab.show(algorithm="wgan")
        assert again.src.split("?")[0] == frame.src.split("?")[0]          # one server per kernel
        assert again.src.endswith("?algorithm=wgan")
    finally:
        if "server" in server._background:
            server._background.pop("server").stop()
