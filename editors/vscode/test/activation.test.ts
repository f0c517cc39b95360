// Loads the bundled extension (out/extension.js, as shipped in the vsix) against a fake `vscode` and activates
// it: the commands, the status bar and the rule-document scheme are registered, the server starts for a changelog
// and not for other files, and a missing server is explained with the two buttons.
import assert from "node:assert/strict";
import Module from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import { COMMANDS } from "../src/commandIds";
import { fakeDocument, makeFakeVscode, type FakeVscode } from "./fakeVscode";

interface Extension {
  activate(context: { subscriptions: unknown[]; extensionPath: string }): void;
  deactivate(): Promise<void> | undefined;
}

const bundle = join(__dirname, "..", "..", "out", "extension.js");

function load(fake: FakeVscode): Extension {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = (request: string, ...rest: unknown[]) => (request === "vscode" ? fake.module : original(request, ...rest));
  try {
    delete require.cache[bundle];
    // A plain require: the bundle must be loaded through Module._load, which the hook above intercepts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(bundle) as Extension;
  } finally {
    loader._load = original;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

function activate(fake: FakeVscode): Extension {
  const extension = load(fake);
  extension.activate({ subscriptions: [], extensionPath: "/nonexistent/extension" });
  return extension;
}

describe("the bundled extension", () => {
  it("registers its commands, the status bar item and the lqls-rule scheme", async () => {
    const fake = makeFakeVscode();
    activate(fake);
    await tick();
    assert.deepEqual([...fake.commands.keys()].sort(), Object.values(COMMANDS).sort());
    assert.deepEqual(fake.contentProviders, ["lqls-rule"]);
    assert.equal(fake.statusItems.length, 1);
    assert.equal(fake.errors.length, 0, "nothing starts without a changelog");
  });

  it("does not start the server for an XML file that is not a changelog", async () => {
    const fake = makeFakeVscode();
    fake.settings["lqls.server.path"] = "/nonexistent/lqls";
    activate(fake);
    fake.fire("open", fakeDocument("/w/pom.xml", "xml", "<project/>"));
    await tick();
    assert.equal(fake.errors.length, 0);
  });

  it("starts for a changelog and explains a missing server with the two buttons", async () => {
    const fake = makeFakeVscode();
    fake.settings["lqls.server.path"] = "/nonexistent/lqls";
    activate(fake);
    fake.fire("open", fakeDocument("/w/db.xml", "xml", "<databaseChangeLog>"));
    fake.fire("open", fakeDocument("/w/other.xml", "xml", "<databaseChangeLog>"));
    await tick();
    assert.equal(fake.errors.length, 1, "one message, not one per file");
    assert.match(fake.errors[0].message, /lqls\.server\.path/);
    assert.deepEqual(fake.errors[0].items, ["Install instructions", "Set path"]);
    assert.match(fake.statusItems[0].text, /not found/);
  });

  it("starts for an open document matching lqls.files.include, whatever its content", async () => {
    const fake = makeFakeVscode();
    fake.settings["lqls.server.path"] = "/nonexistent/lqls";
    fake.settings["lqls.files.include"] = ["**/db/changelog/**"];
    fake.openDocuments.push(fakeDocument("/w/src/db/changelog/new.yaml", "yaml", ""));
    activate(fake);
    await tick();
    assert.equal(fake.errors.length, 1);
  });
});
