"""Running the hub: its PostgreSQL engine (schema brought to the newest revision) and uvicorn."""

from __future__ import annotations

import os

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError

from wijkwerk_tui.db import migrate
from wijkwerk_tui.domain.errors import DomainError

DATABASE_ENV = "WIJKWERK_HUB_DATABASE"  # not on the command line: `ps` would show the password
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class HubSetupError(DomainError):
    """The hub cannot start as asked. Message is Dutch."""


def database_url(given: str | None) -> str:
    url = given or os.environ.get(DATABASE_ENV, "")
    if not url.startswith(("postgresql://", "postgresql+psycopg://")):
        raise HubSetupError(f"Geef de PostgreSQL-database van de hub in {DATABASE_ENV} (postgresql://…).")
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def hub_engine(url: str) -> Engine:
    """The hub's database, migrated to the newest schema (the same history as every laptop's)."""
    engine = create_engine(database_url(url), pool_pre_ping=True, pool_size=5, max_overflow=10)
    try:
        migrate.upgrade(engine)
    except OperationalError:
        engine.dispose()
        raise HubSetupError(
            f"De database van de hub is niet bereikbaar. Controleer {DATABASE_ENV}, PostgreSQL en pg_hba.conf."
        ) from None
    return engine


def serve(url: str | None, host: str, port: int, certfile: str | None, keyfile: str | None, proxied: bool) -> None:
    if host not in LOOPBACK and not certfile and not proxied:
        raise HubSetupError(
            "Buiten deze computer alleen met TLS: geef --certfile en --keyfile, of --achter-proxy "
            "wanneer een reverse proxy (nginx, Caddy) het certificaat houdt."
        )
    for given in (certfile, keyfile):
        if given and not os.path.isfile(given):
            raise HubSetupError(f"Het bestand {given} bestaat niet (certificaat of sleutel).")
    import uvicorn

    from wijkwerk_tui.hub.api import make_app

    engine = hub_engine(database_url(url))
    uvicorn.run(
        make_app(engine),
        host=host,
        port=port,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
        log_level="warning",
        proxy_headers=proxied,
    )
