"""How many frames per second the lab shows during Play, from the page's own frame counter.

    python benchmarks/bench_lab.py                 # the three algorithms on the ring, 10 s of Play each
    python benchmarks/bench_lab.py --seconds 5 --algorithms gan

For each algorithm, at its recipe's 2-D defaults and Play's speed 1 (one iteration per frame), the
benchmark starts the lab on a free loopback port, opens the page in headless Chromium (Debian's, via
Playwright), presses Play and reads window.lab.frames before and after. It prints the frame rate next
to what one frame costs the server alone (the iteration, then the frame's views, timed in-process),
the page's drawing time per frame, and the machine's load average (other work on the two cores
slows every figure). WGAN first runs the 25 iterations of its warm-up (100 critic updates each).
Target (issue 18): at least 10 frames per second on the 2-D MLPs.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from lab.browser import chromium, why_not  # noqa: E402

from minigan.lab.server import Background  # noqa: E402
from minigan.lab.session import Session  # noqa: E402

WARM_UP = {"wgan": 25}


def server_cost(algorithm, n=10):
    """Milliseconds per Play frame at speed 1, in-process: one iteration, then the frame."""
    session = Session({"data": "ring", "algorithm": algorithm})
    if algorithm in WARM_UP:
        session.update("step", WARM_UP[algorithm])
    session.update("step")
    start = time.perf_counter()
    for _ in range(n):
        session.update("step")
    return (time.perf_counter() - start) / n * 1000


def page_fps(context, url, algorithm, seconds):
    page = context.new_page()
    page.goto(f"{url}?data=ring&algorithm={algorithm}")
    page.wait_for_function("window.lab && window.lab.sessionId && window.lab.frames >= 1", timeout=120_000)
    if algorithm in WARM_UP:
        page.evaluate("n => fetch(`api/sessions/${window.lab.sessionId}/step`, {method: 'POST', "
                      "headers: {'Content-Type': 'application/json'}, body: JSON.stringify({action: 'step', "
                      "repeat: n})}).then(r => r.status)", WARM_UP[algorithm])
    page.click("#play")
    page.wait_for_function("window.lab.playing")
    start_frames, start = page.evaluate("window.lab.frames"), time.perf_counter()
    time.sleep(seconds)
    frames, elapsed = page.evaluate("window.lab.frames") - start_frames, time.perf_counter() - start
    draw_ms = page.evaluate("window.lab.drawMs")
    page.click("#play")
    page.close()
    return frames / elapsed, draw_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--algorithms", default="gan,wgan-gp,wgan")
    args = parser.parse_args()
    reason = why_not()
    if reason:
        raise SystemExit(f"bench_lab needs a browser: {reason}")
    server = Background()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'algorithm':10s} {'page fps':>9s} {'server ms/frame':>16s} {'draw ms/frame':>14s}")
    try:
        with chromium() as (_, context):
            for algorithm in args.algorithms.split(","):
                fps, draw_ms = page_fps(context, server.url, algorithm, args.seconds)
                cost = server_cost(algorithm)
                print(f"{algorithm:10s} {fps:9.1f} {cost:16.1f} {draw_ms:14.1f}", flush=True)
    finally:
        server.stop()
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
