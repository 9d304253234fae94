"""Global Compact drafting desk: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from drafting import config as configuration
from drafting.extensions import csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides what the environment says (tests use it)."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=os.environ.get("DRAFTING_INSTANCE_PATH") or str(PROJECT_DIR / "instance"),
    )
    environ = dict(os.environ)
    if config:
        environ.update({k: str(v) for k, v in config.items() if k in ("DRAFTING_ENV", "DRAFTING_TODAY")})
    app.config.update(configuration.load(app.instance_path, environ))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = configuration.engine_options(config["SQLALCHEMY_DATABASE_URI"])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PACKAGE_DIR / "translations")

    _init_extensions(app)
    # lazy: this package's __init__ runs before any of its modules, so the app's parts are imported
    # when an app is built, not whenever `drafting.clock` is (the same for the imports below).
    from drafting import connections, transactions

    connections.init_app(app)
    transactions.init_app(app)  # before any other hook that may read the database
    app.url_map.converters["int"] = RecordIdConverter
    _register_blueprints(app)

    # lazy: the app's parts, imported when an app is built (see above).
    from drafting import cli, errors, i18n, security, views_context

    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    views_context.init_app(app)
    cli.init_app(app)
    return app


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in routes: an id the database can hold; a larger number is a 404, not an overflow."""

    def __init__(self, url_map, *args, **kwargs):
        from drafting.forms import MAX_ID  # lazy: the app's parts, imported when an app is built

        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    # lazy: the app's parts, imported when an app is built; the models must be known before migrations run.
    from drafting import models

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), render_as_batch=True,
                     include_name=models.fulltext.include_name)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from drafting import worker  # lazy: the app's parts, imported when an app is built

    worker.init_app(app)


def _register_blueprints(app: Flask) -> None:
    # lazy: the app's parts, imported when an app is built.
    from drafting.accounts.views import bp as accounts
    from drafting.documents.views import bp as documents
    from drafting.home.views import bp as home
    from drafting.joint_proposals.views import bp as joint_proposals
    from drafting.milestones.views import bp as milestones
    from drafting.negotiated_text.views import bp as negotiated_text
    from drafting.notifications.views import bp as notifications
    from drafting.positions.views import bp as positions
    from drafting.reference.views import bp as reference
    from drafting.review.views import bp as review
    from drafting.tracker.views import bp as tracker

    for blueprint in (home, accounts, reference, milestones, positions, review, tracker, documents,
                      notifications, negotiated_text, joint_proposals):
        app.register_blueprint(blueprint)
    from drafting.api import views as api  # lazy: the app's parts, imported when an app is built

    api.init_app(app)
    # lazy: areas that listen to another's signals (drafting/positions/signals.py) subscribe on import.
    from drafting.notifications import amendment_statuses, joint_proposals, outbox  # noqa: F401
