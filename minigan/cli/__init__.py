"""`python -m minigan COMMAND ...`: one module per command in this package, each with
``add_parser(subparsers)`` (which registers the command and sets ``func``) and the function it runs.

Every command has ``--help``; a wrong flag, an unknown dataset or a missing file exits with code 2
and one clear line (``fail``).
"""
import argparse
import importlib
import os
import sys

# the modules of this package that register commands (a module may register several)
COMMAND_MODULES = ["demo", "train", "sample", "encode", "evaluate", "interpolate", "game", "attack", "exercises", "lab"]


class CommandError(Exception):
    """A user error (bad flag value, missing file): printed as one line, exit code 2."""


def fail(message):
    raise CommandError(message)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m minigan",
        description="minigan: the GAN lecture, from autograd up. Run a command with --help for its options.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"minigan.cli.{name}").add_parser(subparsers)
    return parser


def main(argv=None):
    try:
        code = _run(argv)
        sys.stdout.flush()      # here, where a closed pipe can still be caught
        return code
    except BrokenPipeError:
        return _reader_left()


def _run(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args = parser.parse_args(["demo"])
    try:
        return args.func(args) or 0
    except CommandError as e:
        print(f"minigan {args.command or 'demo'}: error: {e}", file=sys.stderr)
        return 2


def _reader_left():
    """The command's output went into a pipe whose reader stopped (`... | head`): end quietly, as
    Unix tools do (exit code 141 = 128 + SIGPIPE), with stdout pointed at /dev/null so that Python's
    own flush at exit cannot raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141
