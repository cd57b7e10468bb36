"""The running service (``briefbot run``): one process of possibly many replicas.

    run        ``serve``: signals, exit codes; builds the ``App``
    app        ``App``: builds and owns the store, the scheduler, the outbox worker, the bot
               and the web page; starts and stops them
    jobs       the scheduled jobs (feeds, archive, alerts, digests, prune), each a pipeline call
    worker     the outbox worker: drains the outbox, puts claimed rows back on stop
    leader     the leader election (PostgreSQL advisory lock) that runs the singleton jobs
    status     the state file and ``briefbot status``
    health     the dependencies' health (database, telegram, email): up, or down since when
    clock      the service's clock (real, or moved by tests)
    schedule   digest slots: when each subscriber's weekly digest is due (pure)

This package's ``__init__`` imports nothing: ``clock``, ``health`` and ``schedule`` are pure and
the core may use them without pulling in the rest of the service.
"""
