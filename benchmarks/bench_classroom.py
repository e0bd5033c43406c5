"""How long a whole class takes: `exercises grade` on generated submissions of every exercise.

Each of the N students (40 by default) hands in every exercise, drawn per exercise from the seed:
minigan's solution (the key), the untouched stub, or the solution with one of the known mistakes
planted (Adam without bias correction, the transposed matmul gradient, the D loss with the wrong
sign, ...), so the class report has mistakes to rank. Then

    python -m minigan exercises grade CLASS --out CLASS/grades.csv --jobs 2 --seed 0

runs (as a subprocess, timed), and the benchmark prints the wall time, the time per graded file,
and the class report.

    python benchmarks/bench_classroom.py                          # 40 students × 37 exercises, --jobs 2
    python benchmarks/bench_classroom.py --students 4 adam_step   # a quick look
"""
import argparse
import pathlib
import random
import subprocess
import sys
import tempfile
import time

from minigan.exercises import registry, workspace

# (exercise, the solution's text, the mistake): a subset of the mistakes the grader names
MISTAKES = [
    ("mul", "return unbroadcast(grad * b, a.shape), unbroadcast(grad * a, b.shape)", "return grad * b, grad * a"),
    ("matmul", "return grad @ b.T, a.T @ grad", "return grad @ b, a.T @ grad"),
    ("adam_step", "m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)", "m_hat, v_hat = m, v"),
    ("discriminator_loss", "return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()",
     "return -F.softplus(-real_logits).mean() - F.softplus(fake_logits).mean()"),
    ("fgsm", "return (x + eps * grad.sign()).clip(0.0, 1.0)", "return (x + eps * grad).clip(0.0, 1.0)"),
    ("critic_step", "for w in critic.parameters():", "for w in generator.parameters():"),
    ("rmsprop_step", "np.sqrt(v) + eps", "np.sqrt(v + eps)"),
    ("update_k", "return min(max(k_t + lambda_k * (gamma * loss_real - loss_fake), 0.0), 1.0)",
     "return k_t + lambda_k * (gamma * loss_real - loss_fake)"),
]


def make_class(folder, students, names, seed, p_stub=0.15, p_mistake=0.5):
    """students folders of every exercise in `names`: the stub with probability p_stub, else, where
    a known mistake exists, the mistake with probability p_mistake, else the key."""
    rng = random.Random(seed)
    planted = {}
    for name, old, new in MISTAKES:
        planted.setdefault(name, []).append((old, new))
    for i in range(students):
        student = folder / f"student{i:03d}"
        student.mkdir(parents=True)
        for name in names:
            if rng.random() < p_stub:
                text = workspace.stub(name)
            elif name in planted and rng.random() < p_mistake:
                old, new = rng.choice(planted[name])
                text = workspace.solution(name).replace(old, new)
            else:
                text = workspace.solution(name)
            (student / f"{name}.py").write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="exercises (default: all)")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    names = args.names or [e.name for e in registry.all_exercises()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp) / "class"
        make_class(folder, args.students, names, args.seed)
        out = pathlib.Path(tmp) / "grades.csv"
        command = [sys.executable, "-m", "minigan", "exercises", "grade", str(folder), *args.names, "--out", str(out),
                   "--jobs", str(args.jobs), "--seed", str(args.seed)]
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        files = args.students * len(names)
        print(f"{args.students} students × {len(names)} exercises = {files} files, --jobs {args.jobs}: "
              f"{seconds:.0f} s ({seconds / 60:.1f} min, {seconds / files:.2f} s per file)\n")
        print(out.with_suffix(".md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
