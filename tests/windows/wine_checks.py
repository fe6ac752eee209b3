"""What the checks under Wine share: a check that prints its line and keeps its failure, and the
Windows path Wine gives a Linux one (its Z: drive is the Linux root)."""

failures = []


def check(condition, what):
    """Prints "ok" or "FAILED" and `what`; a failure is kept in `failures`. Returns `condition`."""
    print(("ok      " if condition else "FAILED  ") + what, flush=True)
    if not condition:
        failures.append(what)
    return condition


def windows_path(path):
    return "Z:" + path.replace("/", "\\")
