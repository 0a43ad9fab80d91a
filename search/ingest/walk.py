"""Listing a corpus: the article files under its root, and what was left out."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from search.ingest.documents import SUPPORTED_SUFFIXES, Skipped
from search.ingest.names import id_fault


def list_files(root: Path) -> tuple[dict[str, tuple[int, int]], list[Skipped]]:
    """{relpath: (size, mtime_ns)} of the article files under root, and the
    entries that could not be listed. Hidden names are ignored, and names
    that cannot be ids (id_fault) skipped; symlinks are followed to what
    lies inside the corpus only, a directory is walked once and a link back
    into its own ancestors is reported as a loop."""
    root = Path(root)
    real_root = os.path.realpath(root)
    files: dict[str, tuple[int, int]] = {}
    skipped: list[Skipped] = []
    root_st = root.stat()
    root_key = (root_st.st_dev, root_st.st_ino)
    seen = {root_key: "."}  # directory identity -> the path it was walked as
    # (directory, its relative path, identities of it and its ancestors)
    stack = [(root, "", (root_key,))]
    while stack:
        directory, rel_dir, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as e:
            skipped.append(Skipped(rel_dir or ".", os_reason(e)))
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if fault := id_fault(rel):
                skipped.append(Skipped(rel, fault))
                continue
            try:
                st = entry.stat()  # follows symlinks
            except OSError as e:
                skipped.append(Skipped(rel, os_reason(e, os.path.islink(entry.path))))
                continue
            # Only a link can lead out: what is not one lies in a directory walked.
            if entry.is_symlink() and not inside(os.path.realpath(entry.path), real_root):
                skipped.append(Skipped(rel, "outside the corpus"))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    skipped.append(Skipped(rel, "symlink loop"))
                elif key in seen:
                    skipped.append(Skipped(rel, f"same directory as {seen[key]}"))
                else:
                    seen[key] = rel
                    subdirs.append((Path(entry.path), rel, ancestors + (key,)))
                continue
            suffix = Path(entry.name).suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                skipped.append(Skipped(rel, f"not an article format ({suffix or 'no extension'})"))
            elif not stat.S_ISREG(st.st_mode):
                skipped.append(Skipped(rel, "not a regular file"))
            else:
                files[rel] = (st.st_size, st.st_mtime_ns)
        stack.extend(reversed(subdirs))  # walked in name order
    return files, skipped


def inside(path: str, directory: str) -> bool:
    """Whether a real path (os.path.realpath) lies in a real directory."""
    return os.path.commonpath((path, directory)) == directory


def os_reason(e: OSError, is_link: bool = False) -> str:
    if e.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(e, FileNotFoundError):
        return "broken symlink" if is_link else "vanished"
    if isinstance(e, PermissionError):
        return "unreadable: permission denied"
    return f"unreadable: {(e.strerror or str(e)).lower()}"
