#!/usr/bin/env python3
"""LSP benchmarks over stdio, from a real client (pygls), against the release binary:

1. edit latency: a one-character edit in the middle of a ~500 KB changelog, from sending `didChange` to
   receiving `publishDiagnostics` for that version (p50, p99 over N edits, each awaited), with no rules,
   the default rules and every rule (an `lqls.toml` beside a copy of the file), in the same run, from a
   bare JSON-RPC client (see `RawClient`);
2. project: index time and a one-line edit in an included file of an indexed project;
3. peak memory: the server's VmHWM with the 20 largest corpus changelogs open;
4. hover: warm hover on changesets (findings plus the knowledge base's cascade), first time for each
   changeset (the retrieval runs: query embedding, search) and again (the answer cache).

usage: bench_lsp.py [--edits N] [--corpus DIR] [--only edit,project,memory,hover]
(LQLS_BIN overrides the binary)"""
import argparse
import asyncio
import json
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "lsp"))
from session import LQLS, Session  # noqa: E402

EXT = (".xml", ".yaml", ".yml", ".json", ".sql")


def changelogs(corpus: pathlib.Path):
    for p in corpus.rglob("*"):
        if p.suffix in EXT and p.is_file():
            head = p.read_text(encoding="utf-8", errors="replace")[:8192]
            if "databaseChangeLog" in head or "liquibase formatted sql" in head.lower():
                yield p


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def with_rules(path: pathlib.Path, state, tmp: pathlib.Path) -> pathlib.Path:
    """A copy of `path` in its own folder with an lqls.toml switching every rule family to `state`
    ("on", "off"), or with no lqls.toml (state None: the defaults)."""
    d = tmp / (state or "default")
    d.mkdir()
    if state:
        (d / "lqls.toml").write_text(
            f'[rules]\npolicy = "{state}"\nsafety = "{state}"\nconvention = "{state}"\n')
    copy = d / path.name
    shutil.copy(path, copy)
    return copy


class RawClient:
    """A bare JSON-RPC client over stdio (Content-Length framing, `json.loads`, nothing else), so that
    the latency measured is the server's and the transport's, not a client library's object mapping:
    pygls builds a typed object per diagnostic, which for thousands of diagnostics costs more than
    the server's whole analysis. Requests from the server (registerCapability, ...) get a null result."""

    def __init__(self):
        self.proc = None
        self.next_id = 0

    async def start(self, root_uri=None):
        self.proc = await asyncio.create_subprocess_exec(
            LQLS, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, limit=1 << 26)
        await self.request("initialize", {"processId": os.getpid(), "rootUri": root_uri, "capabilities": {
            "textDocument": {"publishDiagnostics": {"versionSupport": True}},
            "window": {"workDoneProgress": True}}})
        self.notify("initialized", {})

    async def progress_end(self, token):
        """Waits for the end of a `$/progress` (the project index being built)."""
        while True:
            msg = await self._read()
            p = msg.get("params") or {}
            if msg.get("method") == "$/progress" and p.get("token") == token \
                    and (p.get("value") or {}).get("kind") == "end":
                return p["value"].get("message")

    def _send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def _read(self):
        length = None
        self.header_at = None
        while True:
            line = await self.proc.stdout.readline()
            # When the header arrives the server has analysed, converted and serialised the message.
            self.header_at = self.header_at or time.perf_counter()
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        msg = json.loads(await self.proc.stdout.readexactly(length))
        if "method" in msg and "id" in msg:
            self._send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
        return msg

    async def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            msg = await self._read()
            if msg.get("id") == rid and "method" not in msg:
                return msg.get("result")

    async def diagnostics_for(self, uri, version):
        while True:
            msg = await self._read()
            p = msg.get("params") or {}
            if msg.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri \
                    and p.get("version") == version:
                return p["diagnostics"]

    async def stop(self):
        await self.request("shutdown", None)
        self.notify("exit", None)
        await self.proc.wait()


async def edit_latency(path: pathlib.Path, edits: int):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    mid = len(lines) // 2
    line_no = next(i for i in range(mid, len(lines)) if 'name="' in lines[i])
    col = lines[line_no].index('name="') + len('name="')  # ASCII line: utf-16 == characters
    c = RawClient()
    await c.start()
    uri = path.as_uri()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "xml", "version": 1,
                                                        "text": text}})
    count = len(await c.diagnostics_for(uri, 1))
    samples, server = [], []
    for v in range(2, edits + 2):
        pos = {"line": line_no, "character": col}
        end = pos if v % 2 == 0 else {"line": line_no, "character": col + 1}
        change = {"range": {"start": pos, "end": end}, "text": "x" if v % 2 == 0 else ""}
        t0 = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v},
                                            "contentChanges": [change]})
        await c.diagnostics_for(uri, v)
        samples.append((time.perf_counter() - t0) * 1000)
        server.append((c.header_at - t0) * 1000)
    await c.stop()
    return samples, server, count


async def project_edit_latency(folder: pathlib.Path, part: pathlib.Path, edits: int):
    """A one-line edit in a file that a root changelog includes, in a project the server indexed:
    the time until the edited file's diagnostics are published (parse, include graph, schema replay
    of the root, rules with the project's facts)."""
    text = part.read_text(encoding="utf-8")
    lines = text.splitlines()
    line_no = next(i for i, l in enumerate(lines) if 'name="' in l and "column" in l)
    col = lines[line_no].index('name="') + len('name="')
    c = RawClient()
    t0 = time.perf_counter()
    await c.start(folder.as_uri())
    indexed = await c.progress_end("lqls/index")
    cold = (time.perf_counter() - t0) * 1000
    uri = part.as_uri()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}})
    await c.diagnostics_for(uri, 1)
    samples = []
    for v in range(2, edits + 2):
        pos = {"line": line_no, "character": col}
        end = pos if v % 2 == 0 else {"line": line_no, "character": col + 1}
        change = {"range": {"start": pos, "end": end}, "text": "x" if v % 2 == 0 else ""}
        t1 = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v}, "contentChanges": [change]})
        await c.diagnostics_for(uri, v)
        samples.append((time.perf_counter() - t1) * 1000)
    await c.stop()
    return cold, indexed, samples


def memory_mib(pid):
    """The process's peak and current resident memory (VmHWM, VmRSS) in MiB."""
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    fields = dict(l.split(":", 1) for l in status.splitlines() if ":" in l)
    return tuple(int(fields[k].split()[0]) // 1024 for k in ("VmHWM", "VmRSS"))


async def hover_latency(path: pathlib.Path, n: int):
    """Hover on the start tag of up to `n` changesets of `path` once the knowledge base is ready:
    round trips for the first hover on each (retrieval runs) and for a second one (cached answer)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    every = [(i, l.index("<changeSet ") + 2) for i, l in enumerate(lines) if "<changeSet " in l]
    spots, warmup = every[:n], every[n:n + 1] or every[-1:]
    c = RawClient()
    with tempfile.TemporaryDirectory() as ws:
        await c.start(pathlib.Path(ws).as_uri())
        ready = await c.progress_end("lqls/kb")
        uri = path.as_uri()
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "xml", "version": 1,
                                                            "text": text}})
        await c.diagnostics_for(uri, 1)
        # One hover outside the measured ones: the first search pages in the model's weights.
        for line, col in warmup:
            await c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": line, "character": col}})
        rounds = []
        for _ in range(2):
            samples = []
            for line, col in spots:
                t0 = time.perf_counter()
                h = await c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                           "position": {"line": line, "character": col}})
                samples.append((time.perf_counter() - t0) * 1000)
                assert h is not None, f"no hover at line {line + 1}"
            rounds.append(samples)
        hwm, _ = memory_mib(c.proc.pid)
        await c.stop()
    return ready, rounds, hwm


async def peak_memory(files):
    s = Session()
    await s.start()
    for p in files:
        s.open(p.as_uri(), p.read_text(encoding="utf-8", errors="replace"))
    for p in files:
        await s.diagnostics_for(p.as_uri(), 1, timeout=60)
    hwm, rss = memory_mib(s.client._server.pid)
    await s.stop()
    return hwm, rss


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edits", type=int, default=400)
    ap.add_argument("--corpus", default=str(pathlib.Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    ap.add_argument("--only", default="edit,project,memory,hover")
    args = ap.parse_args()
    only = set(args.only.split(","))
    corpus = pathlib.Path(args.corpus)
    files = sorted(changelogs(corpus), key=lambda p: p.stat().st_size, reverse=True)
    target = min(files, key=lambda p: abs(p.stat().st_size - 500_000))
    print(f"binary: {LQLS}")
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for label, state in () if "edit" not in only else (("no rules", "off"), ("default rules", None), ("all rules", "on")):
            samples, server, count = await edit_latency(
                with_rules(target, state, pathlib.Path(tmp)), args.edits)
            p50, s50 = statistics.median(samples), statistics.median(server)
            base = base or (p50, s50)
            print(f"edit latency on {target.name} ({target.stat().st_size // 1024} KB), {label} "
                  f"({count} diagnostics), {len(samples)} edits: p50 {p50:.2f} ms, "
                  f"p99 {percentile(samples, 99):.2f} ms ({p50 / base[0]:.2f}x no rules); "
                  f"until the server's message starts: p50 {s50:.2f} ms, "
                  f"p99 {percentile(server, 99):.2f} ms ({s50 / base[1]:.2f}x no rules)")
    fineract = corpus / "fineract/fineract-provider/src/main/resources"
    part = fineract / "db/changelog/tenant/parts/0010_lien_allowed_on_savings_account_products.xml"
    if part.is_file() and "project" in only:
        n = max(args.edits // 4, 20)
        cold, indexed, samples = await project_edit_latency(fineract, part, n)
        print(f"project: initialize to index ready on Fineract's resources folder: {cold:.0f} ms ({indexed}); "
              f"one-line edit in an included file ({part.name}) to its diagnostics, {n} edits: "
              f"p50 {statistics.median(samples):.2f} ms, p99 {percentile(samples, 99):.2f} ms")
        cold, indexed, _ = await project_edit_latency(corpus, part, 2)
        print(f"project: initialize to index ready on the whole corpus: {cold:.0f} ms ({indexed})")
    if "memory" in only:
        top = files[:20]
        hwm, rss = await peak_memory(top)
        total = sum(p.stat().st_size for p in top) / 1e6
        print(f"peak memory with the 20 largest changelogs open ({total:.1f} MB of text): "
              f"VmHWM {hwm} MiB, VmRSS {rss} MiB")
    if "hover" in only:
        # A changelog with 70 varied changesets (tables, keys, data, sql, views, procedures).
        path = corpus / "liquibase/liquibase-integration-tests/src/test/resources/changelogs/pgsql/complete/root.changelog.xml"
        if not path.is_file():
            path = next(p for p in files if p.suffix == ".xml" and p.read_text().count("<changeSet") >= 10)
        ready, (first, again), hwm = await hover_latency(path, 60)
        print(f"hover on {len(first)} changesets of {path.name} after the knowledge base is ready ({ready}): "
              f"first p50 {statistics.median(first):.1f} ms, p99 {percentile(first, 99):.1f} ms; "
              f"again (cached) p50 {statistics.median(again):.2f} ms, p99 {percentile(again, 99):.2f} ms; "
              f"server VmHWM {hwm} MiB")


if __name__ == "__main__":
    asyncio.run(main())
