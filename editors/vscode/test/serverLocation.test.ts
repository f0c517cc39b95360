import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeMissingServer, expandPath, locateServer, type LocatorEnv } from "../src/serverLocation";

function env(files: string[], overrides: Partial<LocatorEnv> = {}): LocatorEnv {
  const set = new Set(files);
  return {
    platform: "linux",
    home: "/home/ana",
    pathVariable: "/usr/local/bin:/usr/bin",
    extensionPath: "/ext/lqls-0.1.0",
    workspaceFolder: "/work/app",
    isExecutableFile: (file) => set.has(file),
    ...overrides,
  };
}

describe("locateServer", () => {
  it("uses the setting first, expanding ~ and ${workspaceFolder}", () => {
    const e = env(["/home/ana/bin/lqls", "/work/app/tools/lqls", "/ext/lqls-0.1.0/server/lqls", "/usr/bin/lqls"]);
    assert.deepEqual(locateServer("~/bin/lqls", e), { found: true, path: "/home/ana/bin/lqls", source: "setting" });
    assert.deepEqual(locateServer("${workspaceFolder}/tools/lqls", e), {
      found: true,
      path: "/work/app/tools/lqls",
      source: "setting",
    });
  });

  it("resolves a relative setting against the workspace folder", () => {
    const e = env(["/work/app/target/release/lqls"]);
    assert.deepEqual(locateServer("target/release/lqls", e), {
      found: true,
      path: "/work/app/target/release/lqls",
      source: "setting",
    });
  });

  it("reports a setting naming a missing file instead of falling back", () => {
    const e = env(["/usr/bin/lqls"]);
    const location = locateServer("/nope/lqls", e);
    assert.deepEqual(location, { found: false, reason: "setting-missing", tried: ["/nope/lqls"] });
    assert.match(describeMissingServer(location, "/nope/lqls"), /lqls\.server\.path/);
  });

  it("looks a bare configured name up on PATH", () => {
    const e = env(["/usr/bin/lqls-nightly"]);
    assert.deepEqual(locateServer("lqls-nightly", e), { found: true, path: "/usr/bin/lqls-nightly", source: "setting" });
  });

  it("prefers the binary shipped in the extension over PATH", () => {
    const e = env(["/ext/lqls-0.1.0/server/lqls", "/usr/bin/lqls"]);
    assert.deepEqual(locateServer(undefined, e), { found: true, path: "/ext/lqls-0.1.0/server/lqls", source: "bundled" });
  });

  it("falls back to the first lqls on PATH, in PATH order; blank settings count as unset", () => {
    const e = env(["/usr/bin/lqls", "/usr/local/bin/lqls"]);
    assert.deepEqual(locateServer("  ", e), { found: true, path: "/usr/local/bin/lqls", source: "path" });
  });

  it("lists everywhere it looked when nothing is found", () => {
    const location = locateServer(undefined, env([]));
    assert.deepEqual(location, {
      found: false,
      reason: "not-found",
      tried: ["/ext/lqls-0.1.0/server/lqls", "/usr/local/bin/lqls", "/usr/bin/lqls"],
    });
    assert.match(describeMissingServer(location), /not found/);
  });

  it("on Windows, finds server/lqls.exe and lqls.exe on PATH through PATHEXT", () => {
    const win = (files: string[]): LocatorEnv =>
      env(files, {
        platform: "win32",
        home: "C:\\Users\\ana",
        pathVariable: "C:\\tools;C:\\bin",
        pathExt: ".COM;.EXE",
        extensionPath: "C:\\ext\\lqls",
        workspaceFolder: "C:\\work",
      });
    assert.deepEqual(locateServer(undefined, win(["C:\\ext\\lqls\\server\\lqls.exe"])), {
      found: true,
      path: "C:\\ext\\lqls\\server\\lqls.exe",
      source: "bundled",
    });
    assert.deepEqual(locateServer(undefined, win(["C:\\bin\\lqls.exe"])), {
      found: true,
      path: "C:\\bin\\lqls.exe",
      source: "path",
    });
  });
});

describe("expandPath", () => {
  it("expands ~, ${userHome} and ${workspaceFolder} and normalises", () => {
    const e = { home: "/home/ana", workspaceFolder: "/work/app", platform: "linux" as const };
    assert.equal(expandPath("~", e), "/home/ana");
    assert.equal(expandPath("${userHome}/x/../lqls", e), "/home/ana/lqls");
    assert.equal(expandPath("${workspaceFolder}/bin/lqls", e), "/work/app/bin/lqls");
    assert.equal(expandPath("/a~b", e), "/a~b");
  });

  it("leaves ${workspaceFolder} alone without a workspace", () => {
    assert.equal(expandPath("${workspaceFolder}/lqls", { home: "/h", workspaceFolder: undefined, platform: "linux" }), "${workspaceFolder}/lqls");
  });
});
