// Browser check of a generated site, in headless Chromium driven over the
// DevTools protocol (no WebDriver, no other npm package than axe-core):
//   - axe-core (WCAG 2.0/2.1/2.2 A and AA, best practices) on every page at
//     1366 px and at 390 px wide;
//   - at 320 px, no horizontal scrolling of the page (WCAG 1.4.10 reflow):
//     content wider than the viewport must scroll inside its own region;
//   - no request leaves the site (every page loads only file: and data: URLs).
// Any violation is printed and the exit status is 1.
//
// Usage: node --experimental-websocket scripts/check-browser.mjs SITE_DIR AXE_JS
//        [--chromium PATH] [--screenshots DIR] [--only SUBSTRING]
// Run by scripts/check-browser.sh, which installs axe-core and builds the site.

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
function option(name) {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}
const chromiumPath = option("--chromium") || "/usr/bin/chromium";
const shots = option("--screenshots");
const only = option("--only");
const [siteArg, axePath] = args;
if (!siteArg || !axePath) {
  console.error("usage: check-browser.mjs SITE_DIR AXE_JS [--chromium PATH] [--screenshots DIR] [--only TEXT]");
  process.exit(2);
}
const site = path.resolve(siteArg);
const axeSource = fs.readFileSync(axePath, "utf8");
const WIDTHS = [1366, 390];
const REFLOW = 320;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

function pages(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...pages(p));
    else if (e.name.endsWith(".html")) out.push(p);
  }
  return out.sort();
}

// --- A minimal DevTools protocol client -----------------------------------
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "sovmap-chromium-"));
const browser = spawn(
  chromiumPath,
  [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--allow-file-access-from-files",
    "--remote-debugging-port=0",
    `--user-data-dir=${profile}`,
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "pipe"] },
);
let browserLog = "";
browser.stderr.on("data", (d) => (browserLog += d));

function cleanup() {
  try {
    browser.kill("SIGKILL");
  } catch {}
  try {
    fs.rmSync(profile, { recursive: true, force: true });
  } catch {}
}

async function endpoint() {
  const file = path.join(profile, "DevToolsActivePort");
  for (let i = 0; i < 300; i++) {
    if (fs.existsSync(file)) {
      const [port, p] = fs.readFileSync(file, "utf8").trim().split("\n");
      if (port && p) return `ws://127.0.0.1:${port}${p}`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`chromium did not start:\n${browserLog}`);
}

let ws;
let nextId = 1;
const waiting = new Map();
const listeners = [];
function send(method, params = {}, sessionId) {
  const id = nextId++;
  ws.send(JSON.stringify({ id, method, params, sessionId }));
  return new Promise((resolve, reject) => {
    // axe on a page of a thousand table rows takes a while on a busy machine.
    const timer = setTimeout(() => reject(new Error(`${method}: timed out`)), 300000);
    waiting.set(id, { resolve, reject, timer, method });
  });
}
function once(method, sessionId) {
  return new Promise((resolve) => listeners.push({ method, sessionId, resolve }));
}

async function connect() {
  ws = new WebSocket(await endpoint());
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.id && waiting.has(m.id)) {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      clearTimeout(w.timer);
      if (m.error) w.reject(new Error(`${w.method}: ${m.error.message}`));
      else w.resolve(m.result);
      return;
    }
    if (m.method === "Network.requestWillBeSent") {
      const url = m.params.request.url;
      if (!/^(file|data|about):/.test(url)) external.push(url);
    }
    for (let i = 0; i < listeners.length; i++) {
      const l = listeners[i];
      if (l.method === m.method && l.sessionId === m.sessionId) {
        listeners.splice(i, 1);
        l.resolve(m.params);
        i--;
      }
    }
  };
}
let external = [];

async function open(session, url, width) {
  await send(
    "Emulation.setDeviceMetricsOverride",
    { width, height: width < 600 ? 844 : 900, deviceScaleFactor: 1, mobile: width < 600 },
    session,
  );
  const loaded = once("Page.loadEventFired", session);
  await send("Page.navigate", { url }, session);
  await loaded;
}

async function evaluate(session, expression) {
  const r = await send(
    "Runtime.evaluate",
    { expression, awaitPromise: true, returnByValue: true },
    session,
  );
  if (r.exceptionDetails) {
    throw new Error(r.exceptionDetails.exception?.description || r.exceptionDetails.text);
  }
  return r.result.value;
}

const AXE_RUN = `(async () => {
  const r = await axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(TAGS)} } });
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n").slice(1, 2).join("")),
    count: v.nodes.length,
  }));
})()`;

// The elements sticking out of the viewport, outside any scrolling region.
const OVERFLOW = `(() => {
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= w) return [];
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right <= w + 0.5 || r.width === 0) continue;
    let p = el.parentElement, clipped = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if (/(auto|scroll|hidden|clip)/.test(s.overflowX)) { clipped = true; break; }
      p = p.parentElement;
    }
    if (clipped) continue;
    const id = el.id ? "#" + el.id : "";
    const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    out.push(el.tagName.toLowerCase() + id + cls + " (right edge " + Math.round(r.right) + " px)");
    if (out.length >= 5) break;
  }
  return out.length ? out : ["the page is " + document.documentElement.scrollWidth + " px wide"];
})()`;

let failures = 0;
let current = "";
function fail(page, what, lines) {
  failures++;
  console.log(`FAIL ${page} — ${what}`);
  for (const l of lines) console.log(`    ${l}`);
}

async function main() {
  await connect();
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId: s } = await send("Target.attachToTarget", { targetId, flatten: true });
  await send("Page.enable", {}, s);
  await send("Network.enable", {}, s);
  let list = pages(site);
  if (only) list = list.filter((p) => p.includes(only));
  console.log(`check-browser: ${list.length} pages, axe at ${WIDTHS.join(" and ")} px, reflow at ${REFLOW} px`);
  if (shots) fs.mkdirSync(shots, { recursive: true });
  for (const file of list) {
    const rel = path.relative(site, file);
    current = rel;
    const url = "file://" + file;
    for (const width of WIDTHS) {
      external = [];
      await open(s, url, width);
      await evaluate(s, axeSource + "\n;0");
      const violations = await evaluate(s, AXE_RUN);
      for (const v of violations) {
        fail(rel, `${width} px: ${v.id} (${v.impact}, ${v.count} element(s)): ${v.help}`, v.nodes);
      }
      if (external.length) {
        fail(rel, `${width} px: requests leaving the site`, [...new Set(external)]);
      }
      if (shots) {
        const { data } = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: false }, s);
        fs.writeFileSync(path.join(shots, rel.replace(/[\\/]/g, "_") + `-${width}.png`), Buffer.from(data, "base64"));
      }
    }
    await open(s, url, REFLOW);
    const over = await evaluate(s, OVERFLOW);
    if (over.length) fail(rel, `${REFLOW} px: the page scrolls horizontally`, over);
    if (shots) {
      const { data } = await send("Page.captureScreenshot", { format: "png" }, s);
      fs.writeFileSync(path.join(shots, rel.replace(/[\\/]/g, "_") + `-${REFLOW}.png`), Buffer.from(data, "base64"));
    }
  }
  console.log(failures ? `check-browser: ${failures} failure(s)` : "check-browser: no violation");
  return failures ? 1 : 0;
}

main()
  .then((code) => {
    cleanup();
    process.exit(code);
  })
  .catch((e) => {
    console.error(`check-browser: ${current}: ${e.message}`);
    cleanup();
    process.exit(2);
  });
