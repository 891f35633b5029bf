"""Adapters for the social networks employees share to.

Importing the package installs the log filters that keep tokens out of logs.
"""

from . import logsafe

logsafe.install()
