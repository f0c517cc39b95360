// Copies an lqls server binary into the extension (server/lqls, or server/lqls.exe for a Windows binary) so the
// next `vsce package` ships it; the extension prefers it over `lqls` on PATH.
// Usage: node scripts/copy-server.mjs PATH_TO_LQLS
import { chmodSync, copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const source = process.argv[2];
if (!source) {
  console.error("usage: node scripts/copy-server.mjs PATH_TO_LQLS");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "server", source.toLowerCase().endsWith(".exe") ? "lqls.exe" : "lqls");
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
chmodSync(target, 0o755);
console.log(`copied ${source} -> ${target}`);
