"""Exit statuses of the ``policycheck`` CLI, for cron jobs and CI schedules.

| code | meaning |
|---|---|
| 0 | success; for ``scrape``: no document changed |
| 1 | unexpected internal error (a bug: please report it with the traceback) |
| 2 | bad input or usage: the message names the file, line or URL and the problem |
| 10 | ``scrape`` / ``import-archive``: at least one new policy version was recorded |
| 11 | ``scrape``: at least one source failed (network, HTTP error, robots.txt, broken page); nothing stored was lost |
| 12 | ``run`` / ``gaps``: gaps of a class named by ``--fail-on`` exist |
| 13 | ``scrape`` / ``import-archive`` / ``rejudge``: a new policy version changed the class of a stored gap row |
| 14 | ``verify``: an item of the report no longer matches the store or the files it cites |
| 124 | ``sql``: the statement ran longer than ``--timeout`` and was stopped (GNU coreutils ``timeout``'s status) |
| 130 | interrupted (Ctrl-C, SIGINT): the running query or load was stopped and rolled back |
| 143 | terminated (SIGTERM: ``kill``, ``timeout``, a scheduler stopping the job): stopped and rolled back as 130 |
"""

OK = 0
INTERNAL = 1
BAD_INPUT = 2
CHANGED = 10
FETCH_FAILED = 11
GAPS_FOUND = 12
VERDICTS_CHANGED = 13
VERIFY_FAILED = 14
TIMED_OUT = 124  # the status GNU coreutils' timeout(1) exits with when it stopped the command
INTERRUPTED = 130  # 128 + SIGINT, the shells' convention
TERMINATED = 143  # 128 + SIGTERM
