"""A real LSP client session against the lqls binary (pygls's LanguageClient over stdio)."""
import asyncio
import os
import pathlib

from lsprotocol import types as T
from pygls.lsp.client import LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
LQLS = os.environ.get("LQLS_BIN", str(ROOT / "target" / "release" / "lqls"))


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def column(line: str, index: int, encoding: str) -> int:
    """LSP column of Python string index `index` in `line` for the negotiated encoding."""
    prefix = line[:index]
    return len(prefix.encode("utf-8")) if encoding == "utf-8" else utf16_len(prefix)


class Session:
    def __init__(self):
        self.client = LanguageClient("lqls-tests", "1")
        self.published: dict[str, list[T.PublishDiagnosticsParams]] = {}
        self.logs: list[str] = []
        self._changed = asyncio.Condition()

        @self.client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def on_diagnostics(params: T.PublishDiagnosticsParams):
            async with self._changed:
                self.published.setdefault(params.uri, []).append(params)
                self._changed.notify_all()

        self.registrations: list[T.Registration] = []

        @self.client.feature(T.CLIENT_REGISTER_CAPABILITY)
        def on_register(params: T.RegistrationParams):
            self.registrations.extend(params.registrations)
            return None

        @self.client.feature(T.WINDOW_LOG_MESSAGE)
        def on_log(params: T.LogMessageParams):
            self.logs.append(params.message)

        self.messages: list[T.ShowMessageParams] = []

        @self.client.feature(T.WINDOW_SHOW_MESSAGE)
        def on_show(params: T.ShowMessageParams):
            self.messages.append(params)

        # `lqls/review` notifications (streamed reviews), in arrival order.
        self.reviews: list = []

        @self.client.feature("lqls/review")
        async def on_review(params):
            async with self._changed:
                self.reviews.append(params)
                self._changed.notify_all()

        # `lqls/status` notifications (knowledge base and model state), in arrival order.
        self.statuses: list = []

        @self.client.feature("lqls/status")
        async def on_status(params):
            async with self._changed:
                self.statuses.append(params)
                self._changed.notify_all()

        # $/progress notifications by token, in arrival order (values as sent: begin, report, end).
        self.progress: dict[str, list] = {}

        @self.client.feature(T.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def on_progress_create(params: T.WorkDoneProgressCreateParams):
            self.progress.setdefault(str(params.token), [])
            return None

        @self.client.feature(T.PROGRESS)
        async def on_progress(params: T.ProgressParams):
            async with self._changed:
                self.progress.setdefault(str(params.token), []).append(params.value)
                self._changed.notify_all()

    async def start(self, encodings=("utf-16",), pull=False, watch=False, root=None, progress=False,
                    env=None) -> T.InitializeResult:
        await self.client.start_io(LQLS, env={**os.environ, **(env or {})})
        text_document = T.TextDocumentClientCapabilities(
            diagnostic=T.DiagnosticClientCapabilities(dynamic_registration=False) if pull else None,
            publish_diagnostics=T.PublishDiagnosticsClientCapabilities(version_support=True),
            document_symbol=T.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
        )
        caps = T.ClientCapabilities(
            general=T.GeneralClientCapabilities(position_encodings=list(encodings)),
            text_document=text_document,
            workspace=T.WorkspaceClientCapabilities(
                did_change_watched_files=T.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
            ) if watch else None,
            window=T.WindowClientCapabilities(work_done_progress=True) if progress else None,
        )
        result = await self.client.initialize_async(
            T.InitializeParams(capabilities=caps, process_id=os.getpid(), root_uri=(root or FIXTURES).as_uri())
        )
        self.client.initialized(T.InitializedParams())
        return result

    async def stop(self) -> int | None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        proc = self.client._server
        try:
            await asyncio.wait_for(proc.wait(), 10)
        finally:
            await self.client.stop()
        return proc.returncode

    def open(self, uri: str, text: str, language: str = "xml", version: int = 1):
        self.client.text_document_did_open(
            T.DidOpenTextDocumentParams(T.TextDocumentItem(uri=uri, language_id=language, version=version, text=text))
        )

    def change(self, uri: str, version: int, start, end, text: str):
        rng = T.Range(T.Position(*start), T.Position(*end))
        self.client.text_document_did_change(
            T.DidChangeTextDocumentParams(
                T.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [T.TextDocumentContentChangePartial(range=rng, text=text)],
            )
        )

    def replace_all(self, uri: str, version: int, old: str, new: str):
        """Replaces the whole document `old` by `new`."""
        end = (len(old.splitlines()) + 1, 0)
        self.change(uri, version, (0, 0), end, new)

    async def publish_number(self, uri: str, n: int, timeout: float = 10.0) -> list[T.Diagnostic]:
        """Waits for the `n`th diagnostics published for `uri` (1-based) and returns them."""
        async def ready():
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.published.get(uri, [])) >= n)
        await asyncio.wait_for(ready(), timeout)
        return list(self.published[uri][n - 1].diagnostics)

    async def diagnostics_for(self, uri: str, version: int, timeout: float = 10.0) -> list[T.Diagnostic]:
        """Waits for the diagnostics published for exactly `version` of `uri`."""
        async def ready():
            async with self._changed:
                await self._changed.wait_for(
                    lambda: any(p.version == version for p in self.published.get(uri, []))
                )
        await asyncio.wait_for(ready(), timeout)
        return list(next(p for p in self.published[uri] if p.version == version).diagnostics)

    async def progress_end(self, token: str, timeout: float = 60.0):
        """Waits for the `end` of the `$/progress` with `token`; returns every value sent for it."""
        def ended():
            return any(getattr(v, "kind", None) == "end" or (isinstance(v, dict) and v.get("kind") == "end")
                       for v in self.progress.get(token, []))

        async def ready():
            async with self._changed:
                await self._changed.wait_for(ended)
        await asyncio.wait_for(ready(), timeout)
        return self.progress[token]

    async def status_where(self, predicate, after: int = 0, timeout: float = 60.0):
        """Waits for an `lqls/status` (the `after`th or later) satisfying `predicate`; returns it."""
        def found():
            return next((st for st in self.statuses[after:] if predicate(st)), None)

        async def ready():
            async with self._changed:
                await self._changed.wait_for(lambda: found() is not None)
        await asyncio.wait_for(ready(), timeout)
        return found()

    async def diagnostics_until(self, uri: str, predicate, timeout: float = 10.0) -> list[T.Diagnostic]:
        """Waits for a publication for `uri` whose diagnostics satisfy `predicate` (the project index
        is built in the background, so cross-file diagnostics arrive in a later publication)."""
        async def ready():
            async with self._changed:
                await self._changed.wait_for(
                    lambda: any(predicate(list(p.diagnostics)) for p in self.published.get(uri, []))
                )
        await asyncio.wait_for(ready(), timeout)
        return next(list(p.diagnostics) for p in reversed(self.published[uri]) if predicate(list(p.diagnostics)))


def position_of(text: str, needle: str, delta: int = 1) -> T.Position:
    """The position `delta` characters into the first `needle` of `text` (ASCII text)."""
    i = text.index(needle) + delta
    return T.Position(line=text[:i].count("\n"), character=i - (text.rfind("\n", 0, i) + 1))


async def hover(s: Session, uri: str, pos: T.Position) -> str:
    """The Markdown of a hover, which must exist."""
    h = await s.client.text_document_hover_async(
        T.HoverParams(text_document=T.TextDocumentIdentifier(uri=uri), position=pos)
    )
    assert h is not None
    return h.contents.value
