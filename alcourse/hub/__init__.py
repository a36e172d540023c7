"""A cohort on JupyterHub: people, Unix accounts, the private exchange, the hub's configuration.

One module per job: :mod:`~alcourse.hub.roster` (CSV of people),
:mod:`~alcourse.hub.accounts` (Unix users), :mod:`~alcourse.hub.exchange`
(nbgrader's exchange, made private), :mod:`~alcourse.hub.config` (rendered
configuration), :mod:`~alcourse.hub.folder` (the hub folder) and
:mod:`~alcourse.hub.start` (running it).
"""
