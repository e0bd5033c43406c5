"""`python -m minigan demo`: a worked example of reverse-mode autodiff, checked by hand."""
import numpy as np


def add_parser(subparsers):
    p = subparsers.add_parser("demo", help="a worked autograd example (the default command)")
    p.set_defaults(func=run)


def run(args):
    import minigan

    print("minigan — reverse-mode autodiff, worked example\n")
    print("  w = [0.5, -1.0], x = [2.0, 3.0], b = 0.25")
    print("  a = w·x + b,  D = σ(a),  loss = -log D = softplus(-a)   (the GAN discriminator on a real sample)\n")
    w = minigan.tensor([0.5, -1.0], requires_grad=True)
    x = minigan.tensor([2.0, 3.0])
    b = minigan.tensor(0.25, requires_grad=True)
    a = (w * x).sum() + b
    loss = minigan.functional.softplus(-a)
    loss.backward()
    sigma = 1 / (1 + np.exp(-a.item()))
    print(f"  forward:  a = {a.item():.4f},  D = σ(a) = {sigma:.4f},  loss = {loss.item():.4f}")
    print(f"  backward: ∂loss/∂w = {w.grad.numpy()}   (by hand: -(1 - σ(a))·x = {-(1 - sigma) * np.array([2.0, 3.0])})")
    print(f"            ∂loss/∂b = {b.grad.item():.4f}        (by hand: -(1 - σ(a)) = {-(1 - sigma):.4f})")
    ok = minigan.gradcheck(lambda w, b: minigan.functional.softplus(-((w * x.double()).sum() + b)),
                           (w.detach().double().requires_grad_(), b.detach().double().requires_grad_()))
    print(f"\n  gradcheck against central differences in float64: {'passed' if ok else 'FAILED'}")
    print("\nNext: `python -m minigan --help` lists the commands (train, sample, evaluate, game, attack, ...).")
