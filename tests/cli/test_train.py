"""The train / sample / evaluate commands: a short real run through the command line, and every bad
input exits with code 2 and one clear line."""
import numpy as np
import pytest

from minigan.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_train_sample_evaluate_on_the_ring(tmp_path, capsys):
    out = str(tmp_path / "run")
    code, text, _ = run(capsys, "train", "gan", "--data", "ring", "--steps", "30", "--batch-size", "64",
                        "--out", out, "--quiet", "--sample-every", "30")
    assert code == 0 and "modes captured" in text
    code, text, _ = run(capsys, "sample", out, "--n", "50", "--out", str(tmp_path / "s.npy"))
    assert code == 0 and np.load(tmp_path / "s.npy").shape == (50, 2)
    code, text, _ = run(capsys, "evaluate", out, "--n", "500")
    assert code == 0 and "of 8" in text
    code, text, _ = run(capsys, "train", "gan", "--out", out, "--resume", "--steps", "40", "--quiet")
    assert code == 0 and "40 steps" in text


def test_digits_images_are_sampled_in_the_unit_interval(tmp_path, capsys):
    out = str(tmp_path / "digits")
    assert run(capsys, "train", "gan", "--steps", "3", "--out", out, "--quiet")[0] == 0
    run(capsys, "sample", out, "--n", "5", "--out", str(tmp_path / "x.npy"))
    images = np.load(tmp_path / "x.npy")
    assert images.shape == (5, 1, 8, 8) and images.min() >= 0 and images.max() <= 1


@pytest.mark.parametrize("argv,message", [
    (["train", "gan", "--data", "cifar"], "unknown dataset 'cifar'"),
    (["train", "gan", "--data", "mnist"], "needs a path"),
    (["train", "gan", "--data", "mnist=/no/such/folder"], "/no/such/folder"),
    (["train", "gan", "--steps", "0"], "steps must be an integer >= 1, got 0"),
    (["train", "gan", "--lr", "nan"], "lr (a learning rate) must be positive, got nan"),
    (["train", "gan", "--k", "0"], "k"),
    (["train", "gan", "--threads", "0"], "--threads must be at least 1"),
    (["train", "gan", "--resume"], "--out DIR"),
    (["sample", "/no/such/run"], "no checkpoint"),
    (["evaluate", "/no/such/run"], "no checkpoint"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_unknown_flag_exits_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["train", "gan", "--no-such-flag"])
    assert e.value.code == 2


def test_the_allocator_setting_leaves_a_users_malloc_variables_alone(monkeypatch):
    from minigan.cli.common import keep_freed_memory

    monkeypatch.setenv("MALLOC_TOP_PAD_", "0")
    assert keep_freed_memory() is False                 # the user's setting wins
    monkeypatch.delenv("MALLOC_TOP_PAD_")
    import platform

    if platform.libc_ver()[0] == "glibc":
        assert keep_freed_memory() is True              # glibc takes mallopt(M_TOP_PAD)


def test_threads_auto_measures_on_a_copy_and_leaves_the_run_as_with_one_thread(tmp_path, capsys, monkeypatch):
    """--threads auto times trial steps on a copy of the algorithm, off the run's random stream: with
    the measurement forced to choose 1, the run's numbers are those of --threads 1, to the last bit."""
    from minigan.ops import threads

    chosen = []

    def fastest(step, candidates=None, rounds=3):
        step(), step()                                   # the trial steps really run
        chosen.append(1)
        return 1

    monkeypatch.setattr(threads, "fastest_num_threads", fastest)
    auto, one = str(tmp_path / "auto"), str(tmp_path / "one")
    code, text, _ = run(capsys, "train", "gan", "--steps", "20", "--out", auto, "--quiet", "--threads", "auto")
    assert code == 0 and chosen == [1] and "--threads auto: 1" in text
    assert run(capsys, "train", "gan", "--steps", "20", "--out", one, "--quiet", "--threads", "1")[0] == 0
    assert (tmp_path / "auto" / "metrics.csv").read_text() == (tmp_path / "one" / "metrics.csv").read_text()
    with pytest.raises(SystemExit) as e:
        main(["train", "gan", "--threads", "many"])
    assert e.value.code == 2 and "a number of threads or auto, got 'many'" in capsys.readouterr().err
