// End-to-end test of the lqls VS Code extension: a real VS Code (code-server) in headless Chromium, driven through
// Playwright (playwright-core with the system's Chromium). Each step acts in the UI as a person would (keyboard,
// command palette, Problems panel, hover, quick fix, webviews) and checks what the UI shows.
//
// Environment:
//   LQLS_BIN            the lqls binary (required)
//   LQLS_VSIX           the extension package (required)
//   CODE_SERVER         the code-server launcher (required)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   LQLS_E2E_OUT        folder for screenshots and logs (default <repo>/target/vscode-e2e)
//   LQLS_E2E_CORPUS     the corpus folder (default <repo>/../shared/corpus)
//   LQLS_E2E_REVIEW=1   also run an AI review (needs the review model; local candle backend unless
//                       LQLS_E2E_LLM_BACKEND says otherwise; LQLS_E2E_LLM_MODEL sets lqls.llm.model)
//   LQLS_E2E_REVIEW_CACHE=1  let the review come from lqls's review cache (by default the changeset's comment is
//                       made unique, so that the model runs)
//   LQLS_E2E_KEEP=1     keep the temporary folder (user data, workspace, logs; kept anyway after a failure)
//   LQLS_E2E_SCREENSHOTS=1  a screenshot after each passing step too, in LQLS_E2E_OUT
//
// Prints one line per step and a closing "N passed, N failed, N skipped"; exits 1 on the first failure, after a
// screenshot and the tails of the logs are written to LQLS_E2E_OUT.
import { spawn, execFile } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const execFileP = promisify(execFile);

const env = process.env;
const config = {
  bin: required("LQLS_BIN"),
  vsix: required("LQLS_VSIX"),
  codeServer: required("CODE_SERVER"),
  chromium: env.CHROMIUM || "/usr/bin/chromium",
  out: path.resolve(env.LQLS_E2E_OUT || path.join(repoRoot, "target/vscode-e2e")),
  corpus: path.resolve(env.LQLS_E2E_CORPUS || path.join(repoRoot, "../shared/corpus")),
  review: env.LQLS_E2E_REVIEW === "1",
  keep: env.LQLS_E2E_KEEP === "1",
  screenshots: env.LQLS_E2E_SCREENSHOTS === "1",
};

// A real changelog from the corpus that lqls reports on (a dropColumn without rollback).
const CORPUS_CHANGELOG =
  "fineract/fineract-provider/src/main/resources/db/changelog/tenant-store/parts/0006_drop_retry_parameter_columns.xml";

function required(name) {
  const value = env[name];
  if (!value) {
    console.error(`e2e: set ${name}`);
    process.exit(2);
  }
  return path.resolve(value);
}

const log = (...args) => console.log(...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// Steps

const results = { passed: 0, failed: 0, skipped: 0 };
let page; // set once the browser is open: failures take a screenshot of it
let tmp; // the temporary folder

async function step(name, fn) {
  const started = Date.now();
  log(`\n== ${name}`);
  try {
    await fn();
  } catch (error) {
    results.failed++;
    log(`FAIL ${name} (${elapsed(started)}): ${error instanceof Error ? error.message : error}`);
    await saveFailure(name);
    throw new StepFailed(name);
  }
  results.passed++;
  log(`ok   ${name} (${elapsed(started)})`);
  if (config.screenshots && page) {
    fs.mkdirSync(config.out, { recursive: true });
    await page.screenshot({ path: path.join(config.out, `${String(results.passed).padStart(2, "0")}-${slug(name)}.png`) });
  }
}

function skip(name, why) {
  results.skipped++;
  log(`\n== ${name}\nskip ${name}: ${why}`);
}

class StepFailed extends Error {}

function elapsed(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

async function saveFailure(name) {
  fs.mkdirSync(config.out, { recursive: true });
  if (page) {
    const shot = path.join(config.out, `failure-${slug(name)}.png`);
    try {
      await page.screenshot({ path: shot });
      log(`     screenshot: ${shot}`);
    } catch (error) {
      log(`     (no screenshot: ${error.message})`);
    }
  }
  for (const [label, file] of [
    ["code-server log", tmp && path.join(tmp, "code-server.log")],
    ["lqls server log", tmp && findServerLog()],
  ]) {
    if (file && fs.existsSync(file)) {
      const copy = path.join(config.out, `failure-${slug(name)}-${slug(label)}.log`);
      fs.copyFileSync(file, copy);
      const tail = fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n     ");
      log(`     ${label} (${copy}), last lines:\n     ${tail}`);
    }
  }
}

/** The extension's output channel as code-server writes it under the user-data folder, if any. */
function findServerLog() {
  const logs = path.join(tmp, "user-data/logs");
  if (!fs.existsSync(logs)) {
    return undefined;
  }
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/lqls/i.test(entry.name) && entry.name.endsWith(".log")) {
        found.push(full);
      }
    }
  };
  walk(logs);
  return found.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
}

// ---------------------------------------------------------------------------------------------------------------
// code-server

async function freePort() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

function userSettings() {
  const settings = {
    "lqls.server.path": config.bin,
    "lqls.llm.backend": config.review ? env.LQLS_E2E_LLM_BACKEND || "candle" : "off",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "git.enabled": false,
    "files.autoSave": "off",
    "editor.hover.delay": 300,
    // XML files get no other extension here; keep the editor free of anything but lqls.
    "editor.quickSuggestions": { other: false, comments: false, strings: false },
  };
  if (env.LQLS_E2E_LLM_MODEL) {
    settings["lqls.llm.model"] = env.LQLS_E2E_LLM_MODEL;
  }
  return settings;
}

async function installExtension(dirs) {
  const { stdout, stderr } = await execFileP(
    config.codeServer,
    ["--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions, "--install-extension", config.vsix],
    { env: { ...env, XDG_CONFIG_HOME: dirs.config }, timeout: 120_000 },
  );
  const said = (stdout + stderr).trim();
  if (!/successfully installed/i.test(said)) {
    throw new Error(`code-server --install-extension said:\n${said}`);
  }
  const installed = fs.readdirSync(dirs.extensions).filter((name) => name.startsWith("lqls.lqls-"));
  if (installed.length !== 1) {
    throw new Error(`expected one lqls.lqls-* folder in ${dirs.extensions}, found: ${installed.join(", ") || "none"}`);
  }
  log(`     installed ${installed[0]}`);
}

async function startCodeServer(dirs, port) {
  const logFile = fs.openSync(path.join(tmp, "code-server.log"), "w");
  const child = spawn(
    config.codeServer,
    [
      "--auth", "none",
      "--bind-addr", `127.0.0.1:${port}`,
      "--user-data-dir", dirs.userData,
      "--extensions-dir", dirs.extensions,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      dirs.workspace,
    ],
    // Its own process group, so that stopping it also stops the extension host and the lqls server.
    { env: { ...env, XDG_CONFIG_HOME: dirs.config }, stdio: ["ignore", logFile, logFile], detached: true },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) {
        return child;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error("code-server did not answer on /healthz within 60 s");
}

async function stopCodeServer(child) {
  if (!child || child.exitCode !== null) {
    return;
  }
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const exited = once(child, "exit");
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, 10_000, "timeout")));
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    log("     code-server did not stop within 10 s of SIGTERM: SIGKILL");
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The VS Code UI

const quickInput = () => page.locator(".quick-input-widget");
const quickInputBox = () => page.locator(".quick-input-widget .quick-input-box input");
const statusBar = () => page.locator("#workbench\\.parts\\.statusbar");

/** Polls `condition` until it is true; throws naming `what` after `timeout` ms. */
async function waitUntil(condition, timeout, what) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    }
    await sleep(250);
  }
}

/** Runs a command through the palette (F1), by its title as shown there ("lqls: Show Rule Documentation"). */
async function runCommand(title) {
  await page.keyboard.press("F1");
  await quickInputBox().waitFor();
  await quickInputBox().fill(`>${title}`);
  const row = quickInput().locator(".monaco-list-row", { hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab to be active. */
async function quickOpen(name) {
  await page.keyboard.press("Control+P");
  await quickInputBox().waitFor();
  await quickInputBox().fill(name);
  const row = quickInput().locator(".monaco-list-row", { hasText: name }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.locator(".tabs-container .tab.active", { hasText: name }).waitFor({ timeout: 15_000 });
  await activeEditor().locator(".view-lines").waitFor();
}

const activeEditor = () => page.locator(".editor-group-container.active .monaco-editor").first();

/** The visible text of the active editor (its view lines; enough for files that fit on the screen). */
async function editorText() {
  return (await activeEditor().locator(".view-lines").innerText()).replace(/\u00a0/g, " ");
}

/** Moves the cursor with "Go to Line/Column" (Ctrl+G). */
async function goTo(line, column) {
  await activeEditor().locator(".view-lines").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+G");
  await quickInputBox().waitFor();
  // Ctrl+G opens Quick Access with the ":" (go to line) prefix; filling replaces it, so it is typed again.
  await quickInputBox().fill(`:${line}:${column}`);
  await page.keyboard.press("Enter");
  await quickInput().waitFor({ state: "hidden" });
  await page
    .locator(".statusbar-item", { hasText: `Ln ${line}, Col ${column}` })
    .first()
    .waitFor({ timeout: 5_000 });
}

/** Moves the focus of an open action widget (Ctrl+.) down to the action whose title matches, and applies it. */
async function chooseAction(widget, title) {
  const count = await widget.locator(".monaco-list-row").count();
  for (let i = 0; i <= count; i++) {
    const focused = widget.locator(".monaco-list-row.focused");
    const label = (await focused.count()) > 0 ? (await focused.first().getAttribute("aria-label")) ?? "" : "";
    if (title.test(label)) {
      await page.keyboard.press("Enter");
      return;
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`could not focus an action matching ${title}`);
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text, needle) {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const column = lines[i].indexOf(needle);
    if (column >= 0) {
      return { line: i + 1, column: column + 1 };
    }
  }
  throw new Error(`"${needle}" is not in the fixture`);
}

/**
 * Polls every frame (webviews are nested iframes) until `probe` returns a truthy value in one of them that
 * `keepPolling` does not turn down.
 */
async function inSomeFrame(probe, arg, { timeout, what, keepPolling = () => false }) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      let value;
      try {
        value = await frame.evaluate(probe, arg);
      } catch {
        // a frame that navigated or went away
      }
      if (value && !keepPolling(value)) {
        return value;
      }
    }
    await sleep(500);
  }
  throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The test

async function main() {
  const suiteStart = Date.now();
  for (const [name, file] of [["LQLS_BIN", config.bin], ["LQLS_VSIX", config.vsix], ["CODE_SERVER", config.codeServer], ["CHROMIUM", config.chromium]]) {
    if (!fs.existsSync(file)) {
      console.error(`e2e: ${name} ${file} does not exist`);
      process.exit(2);
    }
  }
  fs.mkdirSync(config.out, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lqls-vscode-e2e-"));
  const dirs = {
    userData: path.join(tmp, "user-data"),
    extensions: path.join(tmp, "extensions"),
    config: path.join(tmp, "config"),
    workspace: path.join(tmp, "workspace"),
  };
  for (const dir of Object.values(dirs)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  log(`lqls ${config.bin}\nvsix ${config.vsix}\ncode-server ${config.codeServer}\nchromium ${config.chromium}\ntemp ${tmp}`);

  let codeServer;
  let browser;
  // code-server runs in a process group of its own: an interrupted run stops it (and the lqls server) too.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      log(`\n${signal}: stopping code-server`);
      try {
        if (codeServer?.exitCode === null) {
          process.kill(-codeServer.pid, "SIGKILL");
        }
      } catch {
        // already gone
      }
      process.exit(130);
    });
  }
  try {
    await runSteps(dirs, (child) => (codeServer = child), (b) => (browser = b));
  } catch (error) {
    if (!(error instanceof StepFailed)) {
      results.failed++;
      log(`FAIL ${error.stack || error}`);
    }
  } finally {
    const stopping = Date.now();
    await browser?.close().catch(() => {});
    await stopCodeServer(codeServer);
    log(`\nstopped the browser and code-server in ${elapsed(stopping)}`);
    if (config.keep || results.failed > 0) {
      log(`\nkept ${tmp}`);
    } else {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  log(`\nvscode-e2e: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped in ${elapsed(suiteStart)}`);
  log(`${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  process.exitCode = results.failed > 0 ? 1 : 0;
}

async function runSteps(dirs, setCodeServer, setBrowser) {
  let problemsText = fs.readFileSync(path.join(here, "fixtures/problems.xml"), "utf8");
  if (config.review && env.LQLS_E2E_REVIEW_CACHE !== "1") {
    // A changeset text of its own, so that the review cache (keyed by it) cannot answer: the model runs.
    problemsText = problemsText.replace("is no longer used.", `is no longer used (e2e run ${Date.now()}).`);
  }
  const problemsFile = path.join(dirs.workspace, "problems.xml");
  const corpusFile = path.join(config.corpus, CORPUS_CHANGELOG);
  const corpusName = path.basename(CORPUS_CHANGELOG);
  let port;

  await step("prepare the workspace, settings and extension", async () => {
    fs.writeFileSync(problemsFile, problemsText);
    if (fs.existsSync(corpusFile)) {
      fs.copyFileSync(corpusFile, path.join(dirs.workspace, corpusName));
    }
    writeJson(path.join(dirs.userData, "User/settings.json"), userSettings());
    await installExtension(dirs);
    port = await freePort();
  });

  await step("start code-server", async () => {
    setCodeServer(await startCodeServer(dirs, port));
    log(`     http://127.0.0.1:${port}/`);
  });

  await step("open the workspace in Chromium", async () => {
    const browser = await chromium.launch({ executablePath: config.chromium, args: ["--no-sandbox"] });
    setBrowser(browser);
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "problems.xml" }).waitFor({ timeout: 60_000 });
  });

  await step("open problems.xml with Quick Open", async () => {
    await quickOpen("problems.xml");
    const text = await editorText();
    if (!text.includes('<changeSet id="drop-legacy-total"')) {
      throw new Error(`the editor does not show the fixture; it shows:\n${text.slice(0, 400)}`);
    }
  });

  await step("the extension activates: the status bar shows lqls running", async () => {
    const item = statusBar().locator(".statusbar-item").filter({ hasText: /^\s*lqls\b/ }).first();
    await item.waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 60_000;
    let text = "";
    while (Date.now() < deadline) {
      text = (await item.innerText()).replace(/\s+/g, " ").trim();
      // "starting" turns into the running state; "stopped" can be a moment between two states, so wait it out too.
      if (!/starting|stopped|not found/.test(text)) {
        break;
      }
      await sleep(250);
    }
    log(`     status bar: "${text}"`);
    if (/starting|stopped|not found/.test(text)) {
      throw new Error(`the lqls status bar item says "${text}"`);
    }
  });

  await step("lqls diagnostics in the Problems panel (MS290, LB101 on problems.xml)", async () => {
    await page.keyboard.press("Control+Shift+M");
    const panel = page.locator(".markers-panel");
    await panel.waitFor();
    for (const code of ["MS290", "LB101"]) {
      await panel.locator(".monaco-list-row", { hasText: code }).first().waitFor({ timeout: 60_000 });
    }
    const rows = await panel.locator(".monaco-list-row").allInnerTexts();
    log(`     ${rows.length} rows, e.g. ${rows.slice(0, 4).map((r) => JSON.stringify(r.replace(/\s+/g, " ").slice(0, 110))).join("\n       ")}`);
    if (!rows.some((row) => /lqls/.test(row))) {
      throw new Error("no Problems row names the source lqls");
    }
  });

  await step("hover on a changeSet start tag", async () => {
    await quickOpen("problems.xml");
    const at = positionOf(problemsText, '<changeSet id="drop-legacy-total"');
    await goTo(at.line, at.column + 3);
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+I");
    const hover = page.locator(".monaco-hover:visible").first();
    await hover.waitFor({ timeout: 20_000 });
    // The hover fills in as the providers answer.
    const deadline = Date.now() + 20_000;
    let text = "";
    while (Date.now() < deadline) {
      text = (await hover.innerText()).replace(/\s+/g, " ");
      if (/drop-legacy-total|MS290|no rollback/.test(text)) {
        break;
      }
      await sleep(250);
    }
    log(`     hover: ${JSON.stringify(text.slice(0, 300))}`);
    if (!/drop-legacy-total|MS290|no rollback/.test(text)) {
      throw new Error(`the hover shows neither the changeset nor its finding: ${text.slice(0, 300)}`);
    }
    await page.keyboard.press("Escape");
  });

  await step("quick fix: the generated rollback (MS291 on create-invoice)", async () => {
    const at = positionOf(problemsText, '<changeSet id="create-invoice"');
    await goTo(at.line, at.column + 3);
    await page.keyboard.press("Control+.");
    const widget = page.locator(".action-widget");
    await widget.waitFor({ timeout: 20_000 });
    const titles = await widget.locator(".monaco-list-row").allInnerTexts();
    log(`     actions: ${titles.map((t) => JSON.stringify(t.trim())).join(", ")}`);
    if (!titles.some((t) => /generated rollback/i.test(t))) {
      throw new Error("no generated-rollback quick fix offered");
    }
    // The widget lays a pointer block over the page: choose with the keyboard, as a person would.
    await chooseAction(widget, /generated rollback/i);
    await widget.waitFor({ state: "hidden" });
    await activeEditor().locator(".view-line", { hasText: '<dropTable tableName="invoice"/>' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press("Control+S");
    const deadline = Date.now() + 10_000;
    let saved = "";
    while (Date.now() < deadline) {
      saved = fs.readFileSync(problemsFile, "utf8");
      if (saved !== problemsText) {
        break;
      }
      await sleep(200);
    }
    const expected = /<\/createTable>\s*<rollback>\s*<dropTable tableName="invoice"\/>\s*<\/rollback>\s*<\/changeSet>/;
    if (!expected.test(saved)) {
      throw new Error(`problems.xml on disk after the fix and a save:\n${saved}`);
    }
  });

  await step("lqls: Show Rule Documentation (pick LB190)", async () => {
    // On the first line no finding is under the cursor, so the command asks which rule.
    await goTo(1, 1);
    await runCommand("lqls: Show Rule Documentation");
    // The server's rule list (a long, virtualized list): wait for it, then filter it.
    await quickInput().locator(".monaco-list-row", { hasText: "LB101" }).first().waitFor({ timeout: 20_000 });
    await quickInputBox().fill("LB190");
    await quickInput().locator(".monaco-list-row", { hasText: "LB190" }).first().click();
    const heading = await inSomeFrame(
      () => [...document.querySelectorAll("h1")].map((h) => h.textContent).find((t) => /LB190/.test(t)),
      undefined,
      { timeout: 30_000, what: "the documentation of LB190 (an <h1> naming it in a webview)" },
    );
    log(`     documentation heading: ${JSON.stringify(heading)}`);
  });

  if (corpusName && fs.existsSync(path.join(dirs.workspace, corpusName))) {
    await step(`a corpus changelog: ${corpusName} reports MS290`, async () => {
      await quickOpen(corpusName);
      await page.keyboard.press("Control+Shift+M");
      const panel = page.locator(".markers-panel");
      const name = corpusName;
      await panel.locator(".monaco-list-row", { hasText: name }).first().waitFor({ timeout: 60_000 });
      await panel.locator(".monaco-list-row", { hasText: "LB109" }).first().waitFor({ timeout: 60_000 });
      // The file's node in the Problems tree (aria-level 1), then its findings below it (deeper levels).
      const rows = await panel.locator(".monaco-list-row").evaluateAll((elements) =>
        elements.map((e) => ({ level: Number(e.getAttribute("aria-level")), text: e.textContent ?? "" })),
      );
      const start = rows.findIndex((r) => r.level === 1 && r.text.includes(name));
      const end = rows.findIndex((r, i) => i > start && r.level === 1);
      const findings = rows.slice(start + 1, end < 0 ? undefined : end).map((r) => r.text);
      log(`     ${findings.length} rows under ${name}`);
      if (!findings.some((t) => /MS290/.test(t) && /dropColumn/.test(t))) {
        throw new Error(`no MS290 row under the corpus changelog; rows:\n${rows.map((r) => `${r.level} ${r.text}`).join("\n")}`);
      }
    });
  } else {
    skip("a corpus changelog reports MS290", `${corpusFile} is missing (LQLS_E2E_CORPUS)`);
  }

  await step("lqls: Reindex Knowledge Base, then the status bar says KB ready", async () => {
    const item = statusBar().locator(".statusbar-item").filter({ hasText: /^\s*lqls\b/ }).first();
    const kbReady = async () => /KB ready/.test(await item.innerText());
    await waitUntil(kbReady, 300_000, "the status bar to say KB ready (the knowledge base indexed)");
    await runCommand("lqls: Reindex Knowledge Base");
    // The server accepted lqls.reindex (an unknown command or a failure is an error toast instead).
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "rebuilding the knowledge base" });
    await toast.waitFor({ timeout: 20_000 });
    await waitUntil(kbReady, 300_000, "KB ready after the reindex");
    log(`     status bar: "${(await item.innerText()).replace(/\s+/g, " ").trim()}"`);
  });

  await step("lqls: Review This Changeset (AI) outside a changeset says so", async () => {
    await quickOpen("problems.xml");
    await goTo(1, 1);
    await runCommand("lqls: Review This Changeset (AI)");
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "not inside a changeset" });
    await toast.waitFor({ timeout: 20_000 });
    log(`     notification: ${JSON.stringify((await toast.innerText()).replace(/\s+/g, " ").slice(0, 160))}`);
  });

  if (config.review) {
    await step("lqls: Review This Changeset (AI) completes in the review panel", async () => {
      await quickOpen("problems.xml");
      const current = await editorText();
      const at = positionOf(current, '<dropColumn tableName="invoice"');
      await goTo(at.line, at.column + 3);
      await runCommand("lqls: Review This Changeset (AI)");
      await page.locator(".tabs-container .tab", { hasText: "lqls review" }).waitFor({ timeout: 30_000 });
      const seen = { running: false };
      const review = await inSomeFrame(
        () => {
          const section = document.querySelector('section.lqls-review[data-changeset="drop-legacy-total"]');
          if (section === null) {
            return undefined;
          }
          const error = section.querySelector(".lqls-review-error")?.textContent?.trim();
          const text = section.querySelector(".lqls-review-text")?.textContent?.trim() ?? "";
          if (error) {
            return { error };
          }
          return section.getAttribute("data-done") === "true" ? { text } : { running: true };
        },
        undefined,
        {
          timeout: 150_000,
          what: 'section.lqls-review[data-changeset="drop-legacy-total"][data-done="true"]',
          // A section still running is reported to `seen`, and polling goes on.
          keepPolling: (value) => value.running === true && (seen.running = true),
        },
      );
      if (review.error) {
        throw new Error(`the review panel shows an error: ${review.error}`);
      }
      if (review.text === "") {
        throw new Error("the finished review has no text");
      }
      log(`     ${seen.running ? "streamed, then " : ""}done: ${review.text.length} chars: ${JSON.stringify(review.text.slice(0, 200))}`);
    });
  } else {
    skip("lqls: Review This Changeset (AI)", "set LQLS_E2E_REVIEW=1 (needs the review model)");
  }

  await step("no lqls error notifications", async () => {
    await runCommand("Notifications: Show Notifications");
    const center = page.locator(".notifications-center");
    await center.waitFor();
    const rows = await center.locator(".monaco-list-row").evaluateAll((elements) =>
      elements.map((e) => ({ error: e.querySelector(".codicon-error") !== null, text: (e.textContent ?? "").trim() })),
    );
    for (const row of rows) {
      log(`     ${row.error ? "error" : "note "}: ${row.text.slice(0, 160)}`);
    }
    const errors = rows.filter((r) => r.error && /lqls/i.test(r.text));
    if (errors.length > 0) {
      throw new Error(`lqls error notifications:\n${errors.map((r) => r.text).join("\n")}`);
    }
    await page.keyboard.press("Escape");
  });
}

await main();
