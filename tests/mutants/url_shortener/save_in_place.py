"""save rewrites the target in place: after a crash, or to a reader mid-save, it is half a file."""

REPLACE = [
    ('            fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.",\n'
     '                                        suffix=".tmp")\n'
     '            try:\n'
     '                with os.fdopen(fd, "w", encoding="utf-8") as file:\n'
     '                    json.dump(state, file, indent=1)\n'
     '                    file.flush()\n'
     '                    os.fsync(file.fileno())\n'
     '                os.replace(temp, target)\n'
     '            except BaseException:\n'
     '                with contextlib.suppress(OSError):\n'
     '                    os.unlink(temp)\n'
     '                raise\n',
     '            with open(target, "w", encoding="utf-8") as file:\n'
     '                json.dump(state, file, indent=1)\n'),
]
