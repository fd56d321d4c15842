"""`publish preview`: build with drafts and scheduled articles, serve, watch, rebuild, reload.

A `PreviewSession` owns the pieces: a temporary output folder, the HTTP server
(`server.py`), the watcher (`watch.py`), and the rebuild loop that runs in the
caller's thread (so Ctrl-C interrupts a build the way it does `publish build`).
Every rebuild is the ordinary incremental `build_site` into the same folder,
`now` taken from the clock passed in, PDFs left out (about a second each) and
made on request instead, like the `/_preview/` pages (`on_request.py`). The
session keeps a `cache.Memory` between its rebuilds, so a save does not
unpickle every article again. The watcher tells the content scan which article
folders changed, so the other folders are not even looked at; every
`FULL_SCAN_EVERY`th rebuild (and the first after the watch starts, any after
a failed build, any for a change outside the article folders or for a release
time) checks every folder, so a change the watcher missed is still picked up.
Between rebuilds, once the tabs had time to reload, the session collects the
garbage and freezes what is left (`gc.freeze`): a rebuild's collections then
skip the session's long-lived objects (parsed articles, the server).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import ipaddress
import queue
import shutil
import socket
import tempfile
import threading
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol
from urllib.parse import urlsplit

from ..cache import Cache, Memory
from ..config import SiteConfig, load_config
from ..errors import BuildRefused, ProblemsError, PublisherError, shown_path
from ..i18n import _
from ..site import state as build_state
from ..site.build import BuildOptions, BuildReport, build_site, prepare_spare
from ..site.options import Contributor
from .on_request import PagesOnRequest
from .pages import PreviewPages
from .server import PdfUnavailable, PreviewServer, PreviewState
from .session_folder import FOLDER_PREFIX, hold_session_lock, remove_abandoned_outputs
from .tab_pages import BuildFailure
from .watch import SiteWatcher, WatchPlan, article_folders

#: A rebuild that the watcher told which article folders changed still checks every folder this often.
FULL_SCAN_EVERY = 10

#: Quiet time after a rebuild before the garbage is collected (the tabs reload meanwhile).
COLLECT_AFTER_SECONDS = 0.5

#: `clock()`: the current instant (timezone-aware); each rebuild is built as of it.
Clock = Callable[[], datetime]


class Echo(Protocol):
    def __call__(self, message: str, err: bool = False) -> None: ...


class PreviewSession:
    """One running preview. `start()`, then `run()` until stopped, then `close()` (also on errors)."""

    def __init__(self, config: SiteConfig, *, host: str, port: int, clock: Clock, echo: Echo,
                 extra_files: Contributor | None = None, contributors: tuple[Contributor, ...] = (),
                 keepalive_seconds: float = 15.0, step_ms: int = 30):
        self.config = config
        """The last configuration that loaded (a broken publisher.toml keeps the previous one for PDFs)."""
        self.clock = clock
        self.echo = echo
        if isinstance(extra_files, PreviewPages):
            extra_files = PagesOnRequest(extra_files)  # rendered when asked for, not on every rebuild
        self.extra_files = extra_files
        self.contributors = contributors
        """What the build adds (the PDF contributor: off in the quick rebuilds, PDFs come on request)."""
        self.host = host
        self._step_ms = step_ms
        self.memory = _memory()
        """What the rebuilds keep between them (parsed articles, reading counts)."""
        remove_abandoned_outputs(Path(tempfile.gettempdir()))
        self._folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        self._session_lock = hold_session_lock(self._folder)
        self.out_dir = self._folder / "site"
        """The output folder, inside a temporary folder removed by `close()`."""
        self.state = PreviewState(self.out_dir, base_path=urlsplit(config.base_url).path or "/",
                                  source_language=config.source_language.code)
        self._pdf_render = threading.Lock()
        self.next_release: datetime | None = None
        """The next release instant after the last build: the pages change then (banners, statuses)."""
        try:
            self.server = PreviewServer((host, port), self.state, make_pdf=self.make_pdf,
                                        make_page=extra_files.page if isinstance(extra_files, PagesOnRequest)
                                        else None, keepalive_seconds=keepalive_seconds)
        except BaseException as exc:
            shutil.rmtree(self._folder, ignore_errors=True)
            if self._session_lock is not None:
                self._session_lock.close()
            if isinstance(exc, OSError):
                raise _listen_error(exc, host, port) from None
            raise
        self.port = self.server.port
        self.watcher: SiteWatcher | None = None
        self._plan: WatchPlan | None = None
        self._hinted_scans = 0
        """Rebuilds since the last one that checked every article folder."""
        self._full_scan_due = True
        self._frozen = False
        self._spare_due = False
        """The first build succeeded and its output has no spare yet (see `idle`)."""
        self._prune_due = False
        """A build wrote since the cache was last pruned (see `idle`)."""
        self._collect_due: float | None = None
        """When to collect the garbage and freeze the rest (`time.monotonic()`), None: done."""

    # --- life cycle --------------------------------------------------------------

    def start(self) -> BuildFailure | None:
        """The first build, then serving and watching. Returns the first build's failure, if any."""
        failure = self.rebuild()
        self._spare_due = failure is None
        self.server.start()
        self._watch(self.config)
        self._collect()
        return failure

    def run(self, stop: threading.Event | None = None) -> None:
        """Rebuild on every batch of changes (and when a release time passes) until `stop` is set."""
        stop = stop or threading.Event()
        while not stop.is_set():
            assert self.watcher is not None
            try:
                batch = set(self.watcher.changes.get(timeout=0.25))
            except queue.Empty:
                self.idle()
                if self.next_release is not None and self.clock() >= self.next_release:
                    when = self.next_release.astimezone(self.config.timezone)
                    self.echo(_("release time {when} passed: rebuilding").format(when=f"{when:%Y-%m-%d %H:%M %Z}"))
                    self.rebuild()
                continue
            while True:  # everything that piled up during the last build goes into this one
                try:
                    batch |= self.watcher.changes.get_nowait()
                except queue.Empty:
                    break
            self.echo(_("changed: {files}").format(files=_describe(batch, self.config.root)))
            self.rebuild(batch)

    def close(self) -> None:
        """Stop watching and serving, remove the temporary output. Safe to call twice."""
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        self.server.close()
        try:
            cache = Cache(self.config.cache_folder)
            build_state.forget(cache, self.out_dir)
        except OSError:
            pass
        shutil.rmtree(self._folder, ignore_errors=True)
        if self._session_lock is not None:
            self._session_lock.close()
            self._session_lock = None

    # --- building ----------------------------------------------------------------

    def rebuild(self, changed: Iterable[Path] | None = None) -> BuildFailure | None:
        """Build the preview as of now; tell the tabs; print the result. Never raises for bad input.
        `changed`: the paths the watcher reported since the last rebuild (None: unknown)."""
        started = time.perf_counter()
        failure: BuildFailure | None = None
        report: BuildReport | None = None
        try:
            config = load_config(self.config.config_path)
            if config != self.config:
                self.config = config
                self.memory = _memory()  # another cache folder, or other languages: start afresh
                self.state.base_path = urlsplit(config.base_url).path or "/"
                self.state.source_language = config.source_language.code
                if self.watcher is not None:
                    self._watch(config)
            options = BuildOptions(now=self.clock(), include_drafts=True, include_future=True,
                                   out_dir=self.out_dir, extra_files=self.extra_files, pdfs=False,
                                   contributors=self.contributors, memory=self.memory,
                                   changed_folders=self._changed_folders(changed), prune_cache=False,
                                   private_output=True)
            with self._no_full_collections():
                report = build_site(config, options)
        except BuildRefused as exc:
            failure = BuildFailure(tuple(problem.format(self.config.root) for problem in exc.problems),
                                   _("{count} error(s) in the articles stop the build").format(
                                       count=len(exc.problems)))
        except ProblemsError as exc:
            failure = BuildFailure(tuple(problem.format(self.config.root) for problem in exc.problems)
                                   or (str(exc),), str(exc))
        except PublisherError as exc:
            failure = BuildFailure((str(exc),), _("the build stopped with an error"))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            line = (_("{path}: {reason}; check that the file exists and is readable").format(path=exc.filename,
                                                                                            reason=reason)
                    if exc.filename else
                    _("{reason}; check that the file exists and is readable").format(reason=reason))
            failure = BuildFailure((line,),
                                   _("the build could not read or write a file"))
        except Exception as exc:  # a bug must not stop a preview that people are looking at
            lines = traceback.format_exception_only(type(exc), exc)
            failure = BuildFailure(tuple(line.rstrip() for line in lines),
                                   _("unexpected error in the build (a bug in publish: please report it with "
                                     "the lines the terminal shows)"))
            self.echo(traceback.format_exc().rstrip(), err=True)
        seconds = time.perf_counter() - started
        if failure is not None:
            self._full_scan_due = True  # what the failed build scanned may not have been remembered
            self.next_release = None  # the next successful build (after a fix) finds it again
            # Which entries the cache holds is listed again: another process's prune may have dropped one the
            # memory still counted (a body the build then could not load), and a listing is cheap.
            self.memory.keys.clear()
            for line in failure.lines:
                self.echo(line, err=True)
            self.echo(_("build failed ({summary}); the browser shows the problems; fix and save to "
                        "rebuild").format(summary=failure.summary), err=True)
        else:
            assert report is not None
            for problem in report.warnings:
                self.echo(problem.format(self.config.root), err=True)
            if report.nothing_changed:
                self.echo(_("nothing changed ({seconds:.2f}s)").format(seconds=seconds))
            else:
                summary = (_("built {pages} pages ({live} live, {preview} draft/scheduled): {written} written in "
                             "{seconds}s") if report.preview_pages else
                           _("built {pages} pages ({live} live): {written} written in {seconds}s"))
                self.echo(summary.format(pages=report.pages_total, live=report.live_pages,
                                         preview=report.preview_pages, written=report.pages_written,
                                         seconds=f"{seconds:.2f}"))
        self.state.publish(failure)  # the tabs reload now; what follows is off the path from a save to the reload
        self._prune_due = self._prune_due or (report is not None and not report.nothing_changed)
        if failure is None:
            self.next_release = self._next_release()
        self._collect_due = time.monotonic() + COLLECT_AFTER_SECONDS
        return failure

    def idle(self) -> None:
        """What waits for a quiet moment (the run loop calls it when no change came for a while): after the
        first build, the spare tree the next build starts from, so the first save is as quick as the later
        ones (it takes about a second at 1,000 articles); the cache's pruning, which the rebuilds leave out
        (`BuildOptions.prune_cache`); the garbage of the last build."""
        if self._spare_due:
            self._spare_due = False
            try:
                prepare_spare(self.config, self.out_dir, self.memory)
            except (PublisherError, OSError):
                pass  # only a speed-up: the next build makes its staging tree whole, as it would have
        if self._prune_due:
            self._prune_due = False
            try:
                Cache(self.config.cache_folder, self.memory).prune(self.out_dir)
            except OSError:
                pass  # the cache only grows until a later prune
        if self._collect_due is not None and time.monotonic() >= self._collect_due:
            self._collect()

    def _changed_folders(self, changed: Iterable[Path] | None) -> frozenset[str] | None:
        """The article folders the content scan looks at (None: every one), from the watcher's report."""
        folders = None if changed is None else article_folders(changed, self.config.content_dir)
        if folders is None or self._full_scan_due or self._hinted_scans + 1 >= FULL_SCAN_EVERY:
            self._full_scan_due, self._hinted_scans = False, 0
            return None
        self._hinted_scans += 1
        return folders

    @contextlib.contextmanager
    def _no_full_collections(self) -> Iterator[None]:
        """Once the session's objects are frozen, a rebuild's collections stop at the middle generation (the
        objects a rebuild keeps for a while would otherwise make one full collection per rebuild); what they
        leave is collected after the rebuild (`_collect`)."""
        if not self._frozen:
            yield
            return
        thresholds = gc.get_threshold()
        gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], 1000))
        try:
            yield
        finally:
            gc.set_threshold(*thresholds)

    def _collect(self) -> None:
        """Collect the garbage of the last build, then freeze what is left: the next rebuild's collections
        skip it. Done between rebuilds, off the path from a save to the reload."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._frozen, self._collect_due = True, None

    def _next_release(self) -> datetime | None:
        """The first release instant after now, from what the build just recorded (from the session's
        memory, where the build left it: not parsed again)."""
        cache = Cache(self.config.cache_folder, self.memory)
        previous = build_state.load(cache, self.out_dir)
        if previous is None:
            return None
        now = self.clock()
        later = [moment for moment in (datetime.fromisoformat(i) for i in previous.instants) if moment > now]
        return min(later) if later else None

    def _watch(self, config: SiteConfig) -> None:
        plan = WatchPlan.of(config, outputs=(self._folder,))
        if plan == self._plan and self.watcher is not None:
            return
        if self.watcher is not None:
            self.watcher.stop()
        self._plan = plan
        self.watcher = SiteWatcher(plan, step_ms=self._step_ms)
        self.watcher.start()
        self._full_scan_due = True  # a change between the last scan and now was not seen

    # --- PDFs on request ---------------------------------------------------------

    def make_pdf(self, lang: str, slug: str) -> Path | None:
        """The PDF of `/<lang>/<slug>/`, from the PDF cache or rendered now (one at a time); None: no such page."""
        from ..content import load_site
        from ..pdf.batch import build_pdfs, cache_folder
        from ..pdf.render import PdfError, make_job

        config = self.config
        if not config.pdf.enabled or lang not in config.language_codes:
            return None
        cache = Cache(config.cache_folder)
        try:
            site = load_site(config, cache).site
        finally:
            cache.close()
        article = site.article(slug)
        if article is None or article.document(lang) is None:
            return None
        try:
            job = make_job(config, site, article, lang, now=self.clock())
            with self._pdf_render:  # WeasyPrint renders one PDF at a time here; the cache serves repeats
                started = time.perf_counter()
                batch = build_pdfs(config, [job], cache_folder(config), workers=1)
            if batch.rendered:
                self.echo(_("made {lang}/{slug}/{slug}.pdf in {seconds:.1f}s").format(
                              lang=lang, slug=slug, seconds=time.perf_counter() - started))
            return batch.files[(slug, lang)]
        except PdfError as exc:
            self.echo(f"{lang}/{slug}/{slug}.pdf: {exc}", err=True)
            raise PdfUnavailable(str(exc)) from None

    # --- what to tell people -------------------------------------------------------

    def url(self, path: str = "/") -> str:
        host = self.host
        if host in ("0.0.0.0", "", "::"):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}{path}"

    def watched(self) -> str:
        """What is watched, for people: `articles/, templates/, assets/, data/, publisher.toml`."""
        if self._plan is None:
            return "nothing"
        root = self.config.root
        names = [shown_path(folder, root) + "/" for folder in self._plan.folders]
        names += [shown_path(file, root) for file in self._plan.files
                  if file.exists() and not any(file.is_relative_to(folder) for folder in self._plan.folders)]
        return ", ".join(names)

    @property
    def exposed(self) -> bool:
        """Whether other machines can reach the server (anything but a loopback address)."""
        return not _is_loopback(self.host)


def serve_preview(config: SiteConfig, *, host: str, port: int, clock: Clock, echo: Echo,
                  open_browser: bool = False, extra_files: Contributor | None = None,
                  contributors: tuple[Contributor, ...] = ()) -> None:
    """`publish preview`: serve until Ctrl-C (or SIGTERM); then stop everything, remove the output, say `stopped`."""
    session: PreviewSession | None = None
    with _stopped_by_signals():
        try:
            session = PreviewSession(config, host=host, port=port, clock=clock, echo=echo, extra_files=extra_files,
                                     contributors=contributors)
            if session.exposed:
                echo(_("warning: listening on {host}: anyone who can reach this machine on the network can "
                       "read the drafts and scheduled articles; use --host 127.0.0.1 to keep the preview on "
                       "this machine").format(host=host),
                     err=True)
            echo(_("building the preview of {root} (drafts and scheduled articles included) ...").format(
                     root=config.root))
            session.start()
            echo(_("preview on {url}").format(url=session.url('/')))
            if extra_files is not None:
                echo(_("  dashboard  {url}").format(url=session.url('/_preview/')))
            for lang in session.config.languages:
                echo(f"  {lang.code:<9}  {session.url(f'/{lang.code}/')}")
            echo(_("watching {watched}; Ctrl-C to stop").format(watched=session.watched()))
            if open_browser:
                import webbrowser
                target = session.url("/_preview/" if extra_files is not None else "/")
                threading.Thread(target=webbrowser.open, args=(target,), daemon=True).start()
            session.run()
        except KeyboardInterrupt:
            pass
        finally:
            if session is not None:
                session.close()
                echo(_("stopped"))


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Ctrl-C or SIGTERM stops the preview (as KeyboardInterrupt); the ones after it are ignored until the
    clean-up is done, so pressing Ctrl-C again never leaves the temporary output behind. Main thread only
    (elsewhere signals can't be set); a Ctrl-C the process was started to ignore stays ignored."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)
                if signal.getsignal(sig) is not signal.SIG_IGN}
    for sig in previous:
        signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _memory() -> Memory:
    """The rebuilds' memory: parsed articles, reading counts, each folder's planned images, and the tables each
    build reads whole (the content scan's folder keys, the body keys, the related links, the phrased titles:
    a few milliseconds each to unpickle), all read on every rebuild; not the rendered bodies (large, read only
    for the pages that changed)."""
    return Memory(kinds=("articles", "reading", "media", "scan", "digests", "related", "phrases"))


def _listen_error(exc: OSError, host: str, port: int) -> PublisherError:
    if exc.errno == errno.EADDRINUSE:
        return PublisherError(_("port {port} on {host} is already in use (another preview, or another "
                                "program); stop that, or choose another port with --port {next_port} (or set "
                                "[preview] port in publisher.toml)").format(
                                  port=port, host=host, next_port=port + 1 if port < 65535 else 8001))
    if exc.errno == errno.EACCES:
        return PublisherError(_("not allowed to listen on port {port}; ports below 1024 need administrator "
                                "rights: choose a port such as --port 8000").format(port=port))
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return PublisherError(_("cannot listen on {host}: it is not an address of this machine; use --host "
                                "127.0.0.1 (this machine only) or --host 0.0.0.0 (every network interface)").format(
                                  host=host))
    return PublisherError(_("cannot listen on {host}:{port} ({reason}); try another --host or --port").format(
                              host=host, port=port, reason=exc.strerror or exc))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _describe(paths: Iterable[Path], root: Path) -> str:
    names = sorted(shown_path(path, root) for path in paths)
    if len(names) > 3:
        return _("{items} and {count} more").format(items=", ".join(names[:3]), count=len(names) - 3)
    return ", ".join(names)


__all__ = ["PreviewSession", "serve_preview", "BuildFailure"]
