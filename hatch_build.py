"""Hatch build hook: build every lab extension of ``packages/*`` and ship it.

Registered in pyproject.toml under ``[tool.hatch.build.hooks.custom]``.

Wheel (and sdist) builds:

1. run the npm build at the repository root (``npm ci``/``npm install`` first when
   ``node_modules`` is missing, then ``npm run build:prod``), unless
   ``CLOUDSCAPES_SKIP_NPM=1`` is set, or the tree is an unpacked sdist that
   already carries the built extensions;
2. find every ``packages/*/package.json`` whose ``jupyterlab.extension`` (or
   ``mimeExtension``) is true;
3. fail the build when the ``jupyterlab.outputDir`` of any of them lacks
   ``package.json`` or ``static/remoteEntry.*.js`` (hatchling would otherwise
   silently drop a missing shared-data source and ship a wheel without it);
4. map each output dir to ``share/jupyter/labextensions/<npm name>`` in the wheel.

Editable installs with ``CLOUDSCAPES_SKIP_NPM=1`` (what ``make`` does: it builds and
links the extensions itself afterwards) do nothing here. Other editable installs
(``pip install -e .``) run the dev build (``npm run build``)
only when an output is missing or older than its sources, ship no copy of the
extensions, and instead symlink each output dir into
``{sys.prefix}/share/jupyter/labextensions/<npm name>``, so ``npm run build``
(or ``watch``) is picked up by JupyterLab on reload. The same linking is
available by hand, e.g. for another prefix::

    python hatch_build.py develop [--prefix PREFIX]   # symlink the outputs
    python hatch_build.py check                       # verify the outputs
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # running as a script without hatchling

    class BuildHookInterface:  # type: ignore[no-redef]
        """Stand-in so the command-line helpers work without hatchling."""


ROOT = Path(__file__).resolve().parent
SKIP_ENV = "CLOUDSCAPES_SKIP_NPM"
LABEXTENSIONS = Path("share", "jupyter", "labextensions")
# Inputs of the frontend build, relative to each packages/<name>/ folder.
PACKAGE_INPUTS = ("src", "style", "schema", "package.json", "tsconfig.json")
ROOT_INPUTS = ("schema", "package.json", "package-lock.json", "tsconfig.json")


class BuildError(RuntimeError):
    """The frontend build failed or left an extension unbuilt."""


# (A NamedTuple, not a dataclass: hatchling loads this file without putting it in
# sys.modules, which dataclasses need.)
class LabExtension(NamedTuple):
    """One lab extension package of the monorepo."""

    name: str  # npm name, e.g. @cloudscapes/usage
    package_dir: Path
    output_dir: Path

    def problems(self) -> list[str]:
        """What is missing from the built output (empty when complete)."""
        out = self.output_dir
        if not out.is_dir():
            return [f"{out} does not exist"]
        found = []
        manifest = out / "package.json"
        if not manifest.is_file():
            found.append(f"{manifest} is missing")
        else:
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except ValueError as err:
                found.append(f"{manifest} is not valid JSON ({err})")
            else:
                if data.get("name") != self.name:
                    found.append(f"{manifest} names {data.get('name')!r}, not {self.name!r}")
                if "_build" not in data.get("jupyterlab", {}):
                    found.append(f"{manifest} has no jupyterlab._build (not a built extension)")
        if not list((out / "static").glob("remoteEntry.*.js")):
            found.append(f"{out / 'static'} has no remoteEntry.*.js")
        return found

    def built_at(self) -> float:
        return (self.output_dir / "package.json").stat().st_mtime


def lab_extensions(root: Path = ROOT) -> list[LabExtension]:
    """Every packages/*/package.json that declares a lab extension."""
    found = []
    for manifest in sorted((root / "packages").glob("*/package.json")):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        lab = data.get("jupyterlab") or {}
        if not (lab.get("extension") or lab.get("mimeExtension")):
            continue
        name = data.get("name")
        output = lab.get("outputDir")
        if not name or not output:
            msg = f"{manifest}: a lab extension needs a name and jupyterlab.outputDir"
            raise BuildError(msg)
        output_dir = (manifest.parent / output).resolve()
        found.append(LabExtension(name, manifest.parent, output_dir))
    return found


def write_install_json(extensions: list[LabExtension]) -> None:
    """Tell JupyterLab which Python package provides each extension."""
    for ext in extensions:
        info = {
            "packageManager": "python",
            "packageName": "cloudscapes",
            "uninstallInstructions": "Use your Python package manager (pip, conda, ...)"
            " to uninstall the package cloudscapes",
        }
        target = ext.output_dir / "install.json"
        text = json.dumps(info, indent=2) + "\n"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


def check_outputs(extensions: list[LabExtension]) -> None:
    """Raise BuildError naming every extension whose output is incomplete."""
    lines = []
    for ext in extensions:
        lines.extend(f"  {ext.name}: {p}" for p in ext.problems())
    if lines:
        msg = (
            "cloudscapes: prebuilt lab extension(s) missing or incomplete:\n"
            + "\n".join(lines)
            + "\nBuild them with `npm ci && npm run build:prod` at the repository root"
            f" (needs Node.js >= 20.19 and jupyter-builder), or unset {SKIP_ENV}."
        )
        raise BuildError(msg)


def _newest_input(root: Path, extensions_root: list[Path]) -> float:
    newest = 0.0
    paths = [root / p for p in ROOT_INPUTS]
    for package_dir in extensions_root:
        paths.extend(package_dir / p for p in PACKAGE_INPUTS)
    for path in paths:
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = [d for d in dirnames if d not in {"__tests__", "node_modules"}]
                for f in filenames:
                    newest = max(newest, Path(dirpath, f).stat().st_mtime)
    return newest


def outputs_fresh(root: Path = ROOT) -> bool:
    """True when every extension is built and newer than every frontend source."""
    extensions = lab_extensions(root)
    if any(ext.problems() for ext in extensions):
        return False
    # Every workspace package feeds the bundles (packages/core is bundled in).
    packages = [p.parent for p in (root / "packages").glob("*/package.json")]
    oldest_output = min((ext.built_at() for ext in extensions), default=0.0)
    return _newest_input(root, packages) <= oldest_output


def _npm_env() -> dict[str, str]:
    env = os.environ.copy()
    # jupyter-builder (a build requirement) lives next to this interpreter.
    extra = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    path = env.get("PATH", os.defpath).split(os.pathsep)
    env["PATH"] = os.pathsep.join(path + [p for p in extra if p not in path])
    env.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    return env


def run_npm_build(script: str, root: Path = ROOT, log=print) -> None:
    """Install node_modules when missing, then `npm run <script>` at the root."""
    npm = shutil.which("npm")
    if npm is None:
        msg = (
            "cloudscapes: npm was not found on PATH; the lab extensions cannot be built. "
            f"Install Node.js >= 20.19, or set {SKIP_ENV}=1 when they are already built."
        )
        raise BuildError(msg)
    env = _npm_env()
    commands = []
    if not (root / "node_modules").is_dir():
        install = "ci" if (root / "package-lock.json").is_file() else "install"
        commands.append([npm, install])
    commands.append([npm, "run", script])
    for command in commands:
        log(f"cloudscapes: running `npm {' '.join(command[1:])}` in {root}")
        try:
            subprocess.run(command, cwd=root, env=env, check=True)  # noqa: S603
        except subprocess.CalledProcessError as err:
            msg = f"cloudscapes: `npm {' '.join(command[1:])}` failed (exit {err.returncode})"
            raise BuildError(msg) from err


def _is_throwaway_prefix(prefix: Path) -> bool:
    """A temporary build environment (uv, build --isolation), not the target one."""
    tmp = Path(tempfile.gettempdir()).resolve()
    resolved = prefix.resolve()
    return resolved == tmp or tmp in resolved.parents


def develop(prefix: Path, extensions: list[LabExtension], log=print) -> list[Path]:
    """Symlink each output dir into PREFIX/share/jupyter/labextensions/<name>.

    A directory left there by a regular (non-editable) install is not touched:
    pip removes it when it uninstalls that version; run `develop` again after.
    """
    linked = []
    for ext in extensions:
        dest = prefix / LABEXTENSIONS / ext.name
        if dest.is_symlink():
            if dest.resolve() == ext.output_dir:
                linked.append(dest)
                continue
            dest.unlink()
        elif dest.exists():
            log(
                f"cloudscapes: {dest} is a copy from a regular install; not replacing it. "
                "After `pip install -e .` finishes, run `python hatch_build.py develop`."
            )
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.symlink_to(ext.output_dir, target_is_directory=True)
        log(f"cloudscapes: linked {dest} -> {ext.output_dir}")
        linked.append(dest)
    return linked


class CloudscapesBuildHook(BuildHookInterface):
    """Build, check and ship the prebuilt lab extensions."""

    PLUGIN_NAME = "custom"

    def _log(self, message: str) -> None:
        self.app.display_info(message)

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in {"wheel", "sdist"}:
            return
        root = Path(self.root).resolve()
        editable = self.target_name == "wheel" and version == "editable"
        skip = os.environ.get(SKIP_ENV, "").strip().lower() in {"1", "true", "yes"}
        from_sdist = (root / "PKG-INFO").is_file()
        if editable and skip:
            # `make` installs the Python package before Node is set up, builds the
            # extensions afterwards and links them with `python hatch_build.py develop`.
            self._log(
                f"cloudscapes: {SKIP_ENV} is set; build the lab extensions later and link "
                "them with `python hatch_build.py develop`"
            )
            return
        try:
            extensions = lab_extensions(root)
            if skip:
                self._log(f"cloudscapes: {SKIP_ENV} is set, not running npm")
            elif editable:
                if outputs_fresh(root):
                    self._log("cloudscapes: lab extensions are up to date, not running npm")
                else:
                    run_npm_build("build", root, log=self._log)
            elif from_sdist and not any(ext.problems() for ext in extensions):
                self._log("cloudscapes: building from an sdist with prebuilt lab extensions")
            else:
                run_npm_build("build:prod", root, log=self._log)
            check_outputs(extensions)
            write_install_json(extensions)
        except BuildError as err:
            self.app.display_error(str(err))
            raise

        if self.target_name == "sdist":
            forced = build_data.setdefault("force_include", {})
            for ext in extensions:
                forced[str(ext.output_dir)] = ext.output_dir.relative_to(root).as_posix()
            return
        if editable:
            prefix = Path(os.environ.get("CLOUDSCAPES_LABEXTENSIONS_PREFIX", sys.prefix))
            if _is_throwaway_prefix(prefix):
                self._log(
                    f"cloudscapes: {prefix} looks like a temporary build environment; "
                    "link the lab extensions with `python hatch_build.py develop` "
                    "from the target environment"
                )
            else:
                develop(prefix, extensions, log=self._log)
            return
        shared = build_data.setdefault("shared_data", {})
        for ext in extensions:
            shared[str(ext.output_dir)] = str(LABEXTENSIONS / ext.name).replace(os.sep, "/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    dev = sub.add_parser("develop", help="symlink built lab extensions into a prefix")
    dev.add_argument("--prefix", default=sys.prefix, help="default: %(default)s")
    sub.add_parser("check", help="fail when a lab extension output is incomplete")
    args = parser.parse_args(argv)
    try:
        extensions = lab_extensions()
        check_outputs(extensions)
        if args.command == "develop":
            develop(Path(args.prefix), extensions)
        else:
            for ext in extensions:
                print(f"{ext.name}: {ext.output_dir} OK")
    except BuildError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
