"""The limits a student's code runs under, so that it cannot take the grader down.

Each exercise of each student is graded in its own process (`minigan.exercises.runner`), which,
before it loads the student's file, calls `enter(limits)`:

    time        the grader kills the process (and every process it started) after `limits.seconds`
    memory      RLIMIT_AS = `limits.memory` bytes: an allocation beyond it raises MemoryError
    processes   RLIMIT_NPROC: os.fork / subprocess beyond `limits.processes` raise BlockingIOError
    files       RLIMIT_FSIZE: no file written larger than `limits.file_size` bytes; no core dumps

RLIMIT_NPROC is not enforced for root (CAP_SYS_RESOURCE). A process that starts as root therefore
drops to a user id of its own, `user_id(pid)` (one per grading process, so that parallel students
never share a count of processes), keeping only CAP_DAC_READ_SEARCH (to read the Python installation
and minigan wherever they are installed; it cannot write there). After the process ends, the grader
kills whatever is left of it: its session (`start_new_session`) and, when it changed user, every
process of that user id (`kill_leftovers`). A notebook's in-process `check` gets the time limit
through SIGALRM (`alarm`).
"""
import contextlib
import ctypes
import dataclasses
import errno
import os
import resource
import signal
import threading

GiB = 2 ** 30
_UID_BASE = 1_000_000_000        # user ids of grading processes: _UID_BASE + the process id
_CAP_DAC_READ_SEARCH = 2
_PR_SET_KEEPCAPS, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE = 8, 47, 2


@dataclasses.dataclass(frozen=True)
class Limits:
    seconds: float = 20.0                  # wall-clock time of one exercise
    memory: int = 2 * GiB                  # address space, bytes
    processes: int = 32                    # processes and threads the grading process may start
    file_size: int = 64 * 2 ** 20          # the largest file it may write, bytes
    source_size: int = 2 ** 20             # the largest student file the grader loads, bytes

    def as_argv(self):
        return [f"{self.seconds:g}", str(self.memory), str(self.processes), str(self.file_size), str(self.source_size)]

    @classmethod
    def from_argv(cls, argv):
        seconds, memory, processes, file_size, source_size = argv
        return cls(float(seconds), int(memory), int(processes), int(file_size), int(source_size))

    # the verdicts' words for each limit
    def time_text(self):
        return f"ran longer than {self.seconds:g} s"

    def memory_text(self):
        return f"used more than {size_text(self.memory)} of memory"

    def processes_text(self):
        return f"started more than {self.processes} processes"


def size_text(n):
    """2147483648 -> '2 GiB', 1048576 -> '1 MiB'."""
    for unit, size in (("GiB", GiB), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


DEFAULT = Limits()
active = None      # the Limits this process runs under (set by enter)


class TimeLimitExceeded(BaseException):
    """Raised in the notebook's process by `alarm` (a BaseException: `except Exception` cannot eat it)."""


def user_id(pid):
    """The user id a grading process started by root drops to: its own, so that RLIMIT_NPROC counts
    its processes only."""
    return _UID_BASE + pid


def _own_processes():
    """How many tasks (processes and threads) this user runs now: RLIMIT_NPROC counts them all."""
    uid, count = os.getuid(), 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


def _drop_to(uid):
    """setuid(uid), keeping CAP_DAC_READ_SEARCH (effective, and ambient for the programs it runs)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_KEEPCAPS)")
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    keep = 1 << _CAP_DAC_READ_SEARCH
    data = (Data * 2)(Data(keep, keep, keep), Data(0, 0, 0))
    if libc.capset(ctypes.byref(Header(0x20080522, 0)), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, _CAP_DAC_READ_SEARCH, 0, 0)


def enter(limits, scratch=None):
    """Put this process under `limits` (call it before any student code runs). As root, drop to
    user_id(os.getpid()) first (scratch: a folder given to that user, the working directory)."""
    global active
    for which, value in ((resource.RLIMIT_AS, limits.memory), (resource.RLIMIT_FSIZE, limits.file_size),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))
    if os.geteuid() == 0:
        uid = user_id(os.getpid())
        try:
            if scratch is not None:
                os.chown(scratch, uid, uid)
            _drop_to(uid)
        except OSError:
            if os.getuid() != 0:      # half-way: neither root nor able to read what it needs
                raise
            # root without the right to change user (a restricted container): the time and memory
            # limits hold, the one on processes does not; the grader still kills the session after
        processes = limits.processes + threading.active_count()
    else:
        processes = limits.processes + _own_processes()
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    active = limits


def is_process_limit(error):
    """Whether `error` is what os.fork / subprocess raise at RLIMIT_NPROC."""
    return isinstance(error, OSError) and error.errno == errno.EAGAIN and active is not None


def kill_leftovers(process):
    """Kill every process that the grading process `process` (a Popen) left: its session, and, when
    it ran as its own user, every process of that user (a child may have left the session)."""
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    if os.geteuid() != 0:
        return
    uid = user_id(process.pid)
    for _ in range(100):          # a fork loop may still start a few while they are killed
        pids = [int(e.name) for e in os.scandir("/proc") if e.name.isdigit() and _uid_of(e) == uid and _alive(e)]
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _alive(entry):
    """Not a zombie (a killed process that its new parent has not reaped yet)."""
    try:
        with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _uid_of(entry):
    try:
        return entry.stat().st_uid
    except OSError:
        return None


@contextlib.contextmanager
def alarm(seconds):
    """Raise TimeLimitExceeded in this (main) thread after `seconds`; elsewhere, or for None, no limit."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
