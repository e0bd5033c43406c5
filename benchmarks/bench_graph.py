"""How long minigan.viz.graph takes to draw a DCGAN discriminator's loss graph: D's loss [GAN-3] on a
batch of 64 MNIST-sized images (1×28×28) and as many generated ones, and WGAN-GP's penalty on the
same critic without batch norm (a double-backward graph). Times (the median of several repetitions,
after a warm-up): capturing the graph, the SVG before backward and after it (with the gradient
norms), the PNG.
Issue 17 asks for under 2 s; the exit status is 1 if capture + SVG + PNG takes longer.

    python benchmarks/bench_graph.py [--repeat 5] [--batch 64] [--out DIR]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

import minigan
from minigan.gan import gradient_penalty, interpolates, losses, models
from minigan.viz import graph

BUDGET_S = 2.0


def d_loss(batch):
    model = models.dcgan_discriminator((1, 28, 28))
    real, fake = minigan.randn(batch, 1, 28, 28), minigan.randn(batch, 1, 28, 28).tanh()
    return model, losses.discriminator_loss(model(real), model(fake))


def penalty(batch):
    critic = models.dcgan_discriminator((1, 28, 28), batch_norm=False)
    x_hat = interpolates(minigan.randn(batch, 1, 28, 28), minigan.randn(batch, 1, 28, 28).tanh())
    return critic, gradient_penalty(critic, x_hat)


def measure(make, batch, out_dir):
    """Seconds for each step, and the Graph drawn."""
    model, loss = make(batch)
    times = {}
    start = time.perf_counter()
    g = graph(loss, params=model)
    times["capture"] = time.perf_counter() - start
    start = time.perf_counter()
    g.to_svg()
    times["svg"] = time.perf_counter() - start
    loss.backward()
    start = time.perf_counter()
    g.save(os.path.join(out_dir, f"{make.__name__}.svg"))
    times["svg with norms"] = time.perf_counter() - start
    start = time.perf_counter()
    g.save(os.path.join(out_dir, f"{make.__name__}.png"))
    times["png"] = time.perf_counter() - start
    return times, g


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--out", default=None, help="keep the drawings here (default: a temporary folder)")
    args = parser.parse_args()
    out_dir = args.out or tempfile.mkdtemp(prefix="minigan-graph-")
    os.makedirs(out_dir, exist_ok=True)
    minigan.manual_seed(0)
    print(f"| graph (batch {args.batch}) | nodes | edges | crossings | capture s | SVG s | SVG after backward s "
          f"| PNG s | total s |\n|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    start = time.perf_counter()
    measure(d_loss, 2, out_dir)  # warm-up: the first PNG of a process also imports matplotlib's drawing code
    cold = time.perf_counter() - start
    for make in (d_loss, penalty):
        runs = [measure(make, args.batch, out_dir) for _ in range(args.repeat)]
        g = runs[-1][1]
        median = {k: statistics.median(t[k] for t, _ in runs) for k in runs[0][0]}
        total = median["capture"] + median["svg with norms"] + median["png"]
        worst = max(worst, total)
        print(f"| {make.__name__} | {len(g.nodes)} | {len(g.edges)} | {g.layout().crossings} | {median['capture']:.4f} "
              f"| {median['svg']:.3f} | {median['svg with norms']:.3f} | {median['png']:.3f} | {total:.3f} |")
    print(f"\nslowest: {worst:.2f} s (budget {BUDGET_S} s); the first drawing of the process (batch 2, "
          f"with matplotlib's imports) took {cold:.2f} s; drawings in {out_dir}")
    return 0 if worst < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
