"""The object the group callback builds and every command receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from storage.db import Archive


@dataclass
class AppContext:
    db: str | None
    verbose: int = 0
    quiet: bool = False
    _archive: Archive | None = field(default=None, repr=False)

    @property
    def archive(self) -> Archive:
        """The archive, opened (and migrated) on first use by a command that needs it."""
        if self._archive is None:
            from storage.db import open_archive

            self._archive = open_archive(self.db)
        return self._archive

    def info(self, message: str) -> None:
        """A progress or summary line on stderr, unless ``--quiet``."""
        if not self.quiet:
            click.echo(message, err=True)

    def close(self) -> None:
        if self._archive is not None:
            self._archive.dispose()


pass_app = click.make_pass_decorator(AppContext)
