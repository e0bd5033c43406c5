"""The GAN lab: the lecture's GANs trained live in the browser, one update at a time, by minigan's own
layers, losses and optimizers (the code a student reads beside the slides).

    python -m minigan lab                       # serves the page on http://127.0.0.1:8765/
    minigan.lab.show(algorithm="wgan")          # in a notebook: the same page, inline

The parts: settings.py (what a session trains), algorithms.py (the recipe's algorithm and one update
of it), frames.py (what is drawn, computed by minigan), lines.py (the algorithm's lines and formula
IDs), session.py (one session per tab), games_tab.py (the games tab), app.py (the web app),
export.py (the offline replay), server.py (serving it), static/ (the page: HTML, CSS, JS).
"""


def show(tab=None, width="100%", height=960, port=0, **settings):
    """The lab inline in a notebook (see minigan.lab.server.show)."""
    from minigan.lab.server import show as show_inline

    return show_inline(tab=tab, width=width, height=height, port=port, **settings)
