"""Write the site: into a temporary folder beside the output, then put it in place.

A build that fails or crashes while rendering leaves the previous site as it
was. Files whose bytes did not change keep their modification times, so a
deploy uploads only what changed. Two ways:

- a whole new site: every file goes into the staging folder (unchanged ones
  hard-linked from the previous site), and the folder is swapped for the old one
  in one rename. For a first build, and whenever most files may change.
- a patch of the previous site: only new and changed files go into the staging
  folder; once every page is rendered, each is moved over its old version (one
  atomic rename per file) and files the site no longer has are removed. For
  incremental builds, where a few files change among thousands. While it moves
  files, the site holds UPDATING; a build that finds it there (a crash in the
  middle) writes a whole new site. The files it replaced are removed by a thread,
  while the build goes on (Staging.commit).

A build killed hard (SIGKILL, the kernel out of memory) cannot remove its
folders beside the site; their names hold its process id and, on Linux, when it
started, and the next build into that site removes those whose process no longer
runs (sweep_leftovers): a process that has the pid since is another one. One
killed between the two renames of a swap leaves no site, and the previous one
beside it: the next build puts that back first.

Builds into one output folder take turns (site_lock), so that two never patch or
swap the same site at once.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MARKER = ".facttrack-site"  # written in every site; only such folders are replaced
UPDATING = ".facttrack-updating"  # in a site while a patch moves files into it
UNCHANGED = None  # as a file's content: the same as in the previous site (see cache.py)


WRITE_PIECE = 1 << 16  # bytes per write() call (see write_file)


class WriteError(Exception):
    """The output folder cannot be written; the message says why and what to do."""


Stat = tuple[int, int, int]  # a file as a build saw it: modification time (ns), size, inode


def stat_of(found: os.stat_result) -> Stat:
    """What a build keeps of a file to tell, later, that it is still the same file:
    every such check (the page cache's pages and its own file, the memo's sources)
    compares these three."""
    return (found.st_mtime_ns, found.st_size, found.st_ino)


def write_file(path: Path, content: bytes) -> None:
    """Write a file's bytes 64 KiB at a time. Given all of a large file in one write()
    (claims.json, 8 MB at 10,000 claims), Linux at times stalls the call for 30 to
    160 ms in place of 2 (in 6 of 10 rebuilds timed after a full build; it seems to
    allocate the file's page cache in large blocks, which memory fragmented by the
    build must first be compacted for); in pieces, it took 2 to 3 ms in all 10."""
    with open(path, "wb", buffering=0) as file:
        view = memoryview(content)
        while view:
            view = view[file.write(view[:WRITE_PIECE]) :]


@dataclass(frozen=True)
class WriteResult:
    """How many files a build wrote, and how many it left as they were."""

    written: int  # files with new content
    unchanged: int  # files identical to the previous build


def _safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise WriteError(f"refusing to write '{path}': outside the output folder")
    return relative


def check_output(out: Path) -> None:
    """Refuse to replace a folder facttrack did not write (it may hold someone's work)."""
    if out.exists() and not out.is_dir():
        raise WriteError(f"{out} exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise WriteError(
            f"{out} is not empty and was not written by facttrack; "
            "refusing to replace it. Choose another --out, or empty the folder first"
        )


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def same_files(files: Iterable[tuple[str, bytes]], out: Path) -> bool:
    """Every file is already in `out` with these bytes."""
    return all(_same_bytes(out.joinpath(*_safe_relative(path).parts), c) for path, c in files)


def write_changed(
    files: Iterable[tuple[str, bytes]], out: Path, folder: Path
) -> tuple[list[str], list[str]]:
    """Write into `folder` (at the same paths) each file whose bytes are not those of
    its file in `out`: (the paths written, the paths `out` has with these bytes)."""
    written: list[str] = []
    same: list[str] = []
    for path, content in files:
        relative = _safe_relative(path).parts
        if _same_bytes(out.joinpath(*relative), content):
            same.append(path)
            continue
        target = folder.joinpath(*relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, content)
        written.append(path)
    return written, same


def _link(existing: Path, new: Path) -> bool:
    try:
        os.link(existing, new)
    except OSError:  # a file system without hard links: write the bytes instead
        return False
    return True


def folder_beside(out: Path, kind: str) -> Path:
    """A new folder beside `out` for one kind of this process's work on it ("building",
    "downloads", "old", "replaced"); its name says which process made it, so that a
    later build can tell whether it was left behind (see sweep_leftovers). It gets the
    permissions any new folder gets (0777 less the umask), not mkdtemp's private 0700:
    it may become the site, or its search index, for a web server to read."""
    pid = os.getpid()
    found = _process(pid)  # when it started: with the pid, names this process alone
    prefix = f".{out.name}-{kind}-{pid}-" + ("" if found is None else f"{found[1]}-")
    while True:
        folder = out.parent / f"{prefix}{os.urandom(4).hex()}"
        try:
            folder.mkdir()
        except FileExistsError:  # another folder's name: try another
            continue
        return folder


def sweep_leftovers(out: Path) -> None:
    """Remove the folders that builds into `out` made beside it (folder_beside) and
    left there because they were killed (SIGKILL, out of memory, the power going):
    those whose process no longer runs. Only their output was in them, or, in a
    previous site a swap retired ("old"), the site itself when the build was killed
    before the new one took its place: that one is put back where the site was."""
    if os.name != "posix":  # os.kill(pid, 0) is a test only there
        return
    kinds = "building|downloads|old|replaced"
    made = re.compile(rf"\.{re.escape(out.name)}-({kinds})-(\d+)-(?:(\d+)-)?")
    try:
        entries = sorted(os.scandir(out.parent), key=lambda entry: entry.name)
    except OSError:  # no such folder yet, or not readable: Staging reports what matters
        return
    for entry in entries:
        found = made.match(entry.name)
        if not found or not entry.is_dir(follow_symlinks=False):
            continue
        if _running(int(found[2]), None if found[3] is None else int(found[3])):
            continue
        if found[1] == "old" and not os.path.lexists(out):
            os.rename(entry.path, out)  # the last site, retired by the swap
        else:
            shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int, started: int | None) -> bool:
    """The process that made a folder still runs. `started`: when it started, where
    that could be told (Linux). A process that has the pid now but started at another
    time reuses it (a container's pids start again from 1 at each run); one that has
    ended but was not waited for (a zombie) runs no more."""
    found = _process(pid)
    if found is not None:
        state, since = found
        return state not in (b"Z", b"X") and started in (None, since)
    # /proc cannot tell (not Linux, or another user's process hidden from this one)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # no signal sent: only whether the process is there
    except ProcessLookupError:
        return False
    except OSError:  # there, but another user's
        return True
    return True


def _process(pid: int) -> tuple[bytes, int] | None:
    """The process's state and when it started, in clock ticks since the machine did
    (Linux's /proc/<pid>/stat); None where that cannot be told, or no such process is
    there."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            # after the command's name, in parentheses (which may hold any byte)
            fields = file.read().rsplit(b")", 1)[1].split()
        return fields[0], int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


@contextmanager
def site_lock(lock: Path, waiting: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the lock of one output folder while the block runs (an exclusive `flock`
    on the file `lock`, made if missing): a second build into the same folder waits
    until this one is done, rather than patch or swap the site, and write its page
    cache, at the same time. `waiting` is called first when it has to wait, with the
    process id of the build it waits for (None: not known). The lock holds for the
    processes the build forks too, and goes with the last of them; a build killed
    holds it no more. Where the file cannot be made (a folder that cannot be written:
    the build reports that itself) or locked (not POSIX, or a file system without
    locks), the block runs without it."""
    try:
        import fcntl

        lock.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except (ImportError, OSError):  # not POSIX, or a folder that cannot be written
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(_holder(handle))
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: the block runs without it
            pass
        with contextlib.suppress(OSError):  # only to name this build to the next one
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(handle)  # the lock goes with the last process that has the file open


def _holder(handle: int) -> int | None:
    """The process id the lock's holder wrote into its file (site_lock)."""
    try:
        return int(os.pread(handle, 32, 0))
    except (OSError, ValueError):  # not written yet, or being written
        return None


def can_patch(out: Path) -> bool:
    """The site in `out` is a whole one facttrack wrote: a build may patch it."""
    return (out / MARKER).is_file() and not (out / UPDATING).exists()


class Staging:
    """The fresh folder beside `out` that a new site, or the files of a patch, are
    written into before they are put in place.

    put() may be called from several processes at once (the render workers): each
    file is written by one of them, and folders are made with exist_ok.
    """

    def __init__(self, out: Path, patch: bool = False) -> None:
        check_output(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.patch = patch and can_patch(out)
        self.folder = folder_beside(out, "building")
        self._folders = {self.folder}  # made already: one mkdir per folder, not per file
        self._removing: threading.Thread | None = None  # the files a patch replaced
        self.new_marker = self.put(MARKER, b"built by facttrack\n")

    def put(self, path: str, content: bytes | None) -> bool:
        """Write one file; True if its bytes are new, False if the previous site's
        file is kept as it is. Content UNCHANGED keeps the previous file."""
        if self.patch and content is UNCHANGED:
            return False  # it stays where it is (commit() is told every path the site has)
        relative = _safe_relative(path)
        target = self.folder.joinpath(*relative.parts)
        previous = self.out.joinpath(*relative.parts)
        if self.patch and (content is UNCHANGED or _same_bytes(previous, content)):
            return False  # it stays where it is
        self._make_folder(target.parent)
        if content is UNCHANGED:
            if _link(previous, target):
                return False
            content = previous.read_bytes()  # no hard links here: copy it
        if _same_bytes(previous, content) and _link(previous, target):
            return False
        write_file(target, content)
        return True

    def move_in(self, path: str, file: Path) -> None:
        """Put a file written elsewhere on this file system (see write_changed) into
        the staging folder, as the new bytes of `path`."""
        target = self.staged(path)
        self._make_folder(target.parent)
        os.replace(file, target)

    def _make_folder(self, folder: Path) -> None:
        if folder not in self._folders:  # one mkdir per folder, not per file
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)

    def staged(self, path: str) -> Path:
        """Where put() writes a file."""
        return self.folder.joinpath(*_safe_relative(path).parts)

    def existing(self, path: str) -> Path:
        """The previous site's file."""
        return self.out.joinpath(*_safe_relative(path).parts)

    def commit(self, paths: set[str], previous: Iterable[str]) -> None:
        """Put the new site in place. `paths`: every file it has (from its root);
        `previous`: every file the previous site had, whose extras a patch removes."""
        if self.patch:
            replaced = folder_beside(self.out, "replaced")
            try:
                _patch(self.folder, self.out, paths, previous, replaced)
            finally:
                # Removing a large file, or a folder, takes the kernel a while (5 ms for
                # the 8 MB of claims.json at 10,000 claims, 0.5 ms a folder), in which a
                # thread holds no interpreter lock: the build saves its page cache
                # meanwhile, then waits for it (settle).
                self._removing = threading.Thread(target=_remove, args=(replaced, self.folder))
                self._removing.start()
        else:
            swap_folder(self.folder, self.out)

    def settle(self) -> None:
        """Wait until the files a patch replaced are removed."""
        if self._removing is not None:
            self._removing.join()

    def discard(self) -> None:
        self.settle()
        shutil.rmtree(self.folder, ignore_errors=True)


def swap_folder(staging: Path, out: Path) -> None:
    """Put the staging folder in place of out; the old one is removed afterwards."""
    if not out.exists():
        staging.rename(out)
        return
    retired = folder_beside(out, "old")  # a name of its own, for the site to go to
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _patch(
    staging: Path, out: Path, paths: set[str], previous: Iterable[str], replaced: Path
) -> None:
    """Move the new and changed files from staging into out, each previous version
    hard-linked into `replaced` first; remove the files out no longer has, then the
    empty folders they leave. The caller removes `replaced` and the staging folder."""
    updating = out / UPDATING
    updating.write_bytes(b"a build is moving files into this site\n")
    moved = 0
    for walked, _, names in os.walk(staging):
        for name in names:
            source = Path(walked, name)
            target = out / source.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(target, replaced / str(moved))  # False: a new file, or no hard links
            os.replace(source, target)
            moved += 1
    emptied: set[Path] = set()
    for path in previous:
        if path not in paths and path != UPDATING:
            (out / path).unlink(missing_ok=True)
            emptied.add((out / path).parent)
    for emptied_folder in sorted(emptied, key=lambda f: len(f.parts), reverse=True):
        folder = emptied_folder
        while folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    updating.unlink()


def _remove(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
