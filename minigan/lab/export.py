"""Export: one self-contained HTML file that replays a lab session offline.

The file holds the recorded frames (minigan.lab.session.Session.record, or `record` below) as JSON,
the page's own drawing code (static/views.js) and the player (static/replay.js), and its style,
all inline: no network, no server.

    html_text = html(session.scene(), session.recorded)
    write("ring-wgan-gp.html", {"data": "ring", "algorithm": "wgan-gp"}, steps=2000)   # no browser
"""
import json
import os

from minigan.lab.session import Session

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
MAX_FRAMES = 400


def _static(name):
    with open(os.path.join(STATIC, name), encoding="utf-8") as f:
        return f.read()


def _inline_json(value):
    """JSON that can sit inside <script>: no "</" (which would close the element) and no NaN."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


def title(scene):
    settings = scene["settings"]
    return f"{settings['algorithm']} on {settings['data']}"


def html(scene, frames):
    """The replay page of `frames` (a non-empty list of frame dicts) drawn over `scene`."""
    if not frames:
        raise ValueError("there is nothing to export: the session has no frames yet")
    data = {"scene": scene, "frames": [{k: v for k, v in frame.items() if k != "scene"} for frame in frames]}
    page = _static("replay.html")
    for key, value in (("__STYLE__", _static("lab.css")),
                       ("__SCRIPTS__", _static("views.js") + "\n" + _static("replay.js")),
                       ("__TITLE__", title(scene).replace("<", "&lt;")),
                       ("__DATA__", _inline_json(data))):
        page = page.replace(key, value)
    return page


def record(config, steps, every=None, progress=None):
    """Train a session with `config` for `steps` iterations without a browser, keeping a frame every
    `every` iterations (default: steps / 100, so about 100 frames) and the first. Stops early if the
    run diverges. Returns (scene, frames). progress(iteration) is called after each kept frame."""
    if not (isinstance(steps, int) and steps >= 1):
        raise ValueError(f"steps must be a whole number >= 1, got {steps!r}")
    every = max(1, steps // 100) if every is None else every
    if not (isinstance(every, int) and 1 <= every <= 1000) or steps // every > MAX_FRAMES:
        raise ValueError(f"every must be a whole number from 1 to 1000, with at most {MAX_FRAMES} frames, "
                         f"got every={every!r} for {steps} steps")
    session = Session(config)
    frames = [session.first_frame()]
    while session.iterations < steps and not session.diverged:
        frames.append(session.update("step", min(every, steps - session.iterations)))
        if progress is not None:
            progress(session.iterations)
    return session.scene(), frames


def write(path, config, steps, every=None, progress=None):
    """record(...) and write its replay page to `path` (atomically); returns the number of frames."""
    scene, frames = record(config, steps, every, progress)
    text = html(scene, frames)
    temporary = f"{path}.part"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)
    return len(frames)
