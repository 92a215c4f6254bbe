"""``hotline update``: sign an update bundle (coordinator), show one, install one (hotline).

Registered by :func:`hotline.cli.build_parser` through :func:`register`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hotline.exchange import bundles
from hotline.i18n import _, ngettext
from hotline.services.session import Session

Command = Callable[[Any, str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def register(commands: Any, command: Command) -> None:
    """Add ``hotline update publish|show|install`` to the top-level ``commands``."""
    from hotline.cli import _Parser

    update = commands.add_parser(
        "update", help=_("update bundles: screening scripts and directory entries")
    )
    actions = update.add_subparsers(dest="update_command", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    publish = command(
        actions, "publish", cmd_update_publish,
        _("sign an update bundle for the hotlines (coordinators)"),
    )  # fmt: skip
    publish.add_argument("--out", required=True, metavar="FILE", help=_("the bundle file to write"))
    publish.add_argument(
        "--script", dest="scripts", action="append", default=[], metavar="ID",
        help=_("put the newest version of this screening script in the bundle (repeatable)"),
    )  # fmt: skip
    publish.add_argument(
        "--organisation", dest="organisations", action="append", default=[], metavar="ID",
        help=_("put this directory entry in the bundle (repeatable)"),
    )  # fmt: skip
    publish.add_argument(
        "--directory", action="store_true",
        help=_("put every directory entry in the bundle, inactive ones included"),
    )  # fmt: skip
    show = command(
        actions, "show", cmd_update_show,
        _("check an update bundle's signature and content and show what it holds"),
    )  # fmt: skip
    show.add_argument("file", metavar="FILE")
    install = command(
        actions, "install", cmd_update_install,
        _("install an update bundle signed by this installation's coordinator"),
    )  # fmt: skip
    install.add_argument("file", metavar="FILE")


def _run(args: argparse.Namespace, work: Callable[[Session], int]) -> int:
    from hotline.cli import _with_session

    return _with_session(args, work)


def cmd_update_publish(args: argparse.Namespace) -> int:
    from hotline.cli import _not_there

    def work(session: Session) -> int:
        target = _not_there(Path(args.out))
        bundles.publish(
            session,
            target,
            tuple(args.scripts),
            tuple(args.organisations),
            all_directory=args.directory,
        )
        info = bundles.inspect(session, target)
        print(
            _("Signed update bundle number %(number)d: %(path)s")
            % {"number": info.number, "path": target}
        )
        _print_contents(info)
        return 0

    return _run(args, work)


def cmd_update_show(args: argparse.Namespace) -> int:
    def work(session: Session) -> int:
        info = bundles.inspect(session, Path(args.file))
        m = info.manifest
        print(_("Update bundle number %(number)d") % {"number": m.number})
        print(_("Signed by: %(publisher)s") % {"publisher": info.publisher})
        print(_("Key fingerprint: %(fingerprint)s") % {"fingerprint": info.fingerprint})
        print(_("Signed on: %(when)s") % {"when": m.created_at})
        print(_state_text(info))
        _print_contents(info)
        return 0

    return _run(args, work)


def cmd_update_install(args: argparse.Namespace) -> int:
    def work(session: Session) -> int:
        result = bundles.install(session, Path(args.file))
        if result.status is bundles.Status.ALREADY:
            print(
                _(
                    "Update bundle number %(number)d from %(publisher)s is already installed; "
                    "nothing was changed."
                )
                % {"number": result.number, "publisher": result.publisher.label}
            )
            return 0
        o = result.outcome
        print(
            _("Installed update bundle number %(number)d from %(publisher)s.")
            % {"number": result.number, "publisher": result.publisher.label}
        )
        print(
            _("Screening script versions added: %(added)d; already here: %(same)d.")
            % {"added": o["scripts_added"], "same": o["scripts_unchanged"]}
        )
        print(
            _("Directory entries added: %(added)d; changed: %(changed)d; unchanged: %(same)d.")
            % {
                "added": o["organisations_added"],
                "changed": o["organisations_updated"],
                "same": o["organisations_unchanged"],
            }
        )
        return 0

    return _run(args, work)


def _state_text(info: bundles.BundleInfo) -> str:
    if info.state is bundles.State.OWN:
        return _("This bundle was signed by this installation.")
    if info.state is bundles.State.INSTALLED:
        return _("This bundle is already installed here.")
    if info.state is bundles.State.OLDER:
        return _(
            "This bundle is older than the one installed here (number %(last)d); it cannot be "
            "installed."
        ) % {"last": info.last_installed or 0}
    return _("This bundle is not installed here yet.")


def _print_contents(info: bundles.BundleInfo) -> None:
    scripts = info.content.scripts
    organisations = info.content.organisations
    print(
        ngettext("%(n)d screening script:", "%(n)d screening scripts:", len(scripts))
        % {"n": len(scripts)}
    )
    for script in scripts:
        print(f"  {script.id} v{script.version} — {script.title.get_text()}")
    print(
        ngettext("%(n)d directory entry:", "%(n)d directory entries:", len(organisations))
        % {"n": len(organisations)}
    )
    for org in organisations:
        place = ", ".join(p for p in (org.city, org.country or "") if p)
        print(f"  {org.name}" + (f" — {place}" if place else ""))
