// Debian's Firefox ESR over WebDriver BiDi, driven by puppeteer-core, for tests/engines.py.
// Reads one JSON command a line on stdin ({id, op, args}), answers one JSON line on stdout
// ({id, value} or {id, error}). What the page reports (console errors, uncaught errors,
// Content-Security-Policy violations) is kept per page and handed over by "problems".
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const [executablePath] = process.argv.slice(2);
const browser = await puppeteer.launch({ browser: "firefox", executablePath, headless: true, protocolTimeout: 30_000 });
let context = null;
let page = null;
let problems = [];

const ops = {
  async open({ url, width, height, init }) {
    if (context) await context.close();
    context = await browser.createBrowserContext();
    page = await context.newPage();
    problems = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`error: ${error.message}`));
    await page.setViewport({ width, height });
    await page.evaluateOnNewDocument(init);
    await page.goto(url, { waitUntil: "load" });
  },
  evaluate: ({ expression }) => page.evaluate(expression),
  click: ({ selector }) => page.click(selector),
  type: async ({ selector, text }) => {
    await page.focus(selector);
    await page.keyboard.type(text);
  },
  screenshot: ({ path, fullPage }) => page.screenshot({ path, fullPage }),
  elementScreenshot: async ({ selector, path }) => (await page.$(selector)).screenshot({ path }),
  problems: () => problems,
  version: () => browser.version(),
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { id, op, args } = JSON.parse(line);
  let answer;
  try {
    answer = { id, value: (await ops[op](args)) ?? null };
  } catch (error) {
    answer = { id, error: String(error && error.stack ? error.stack : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await browser.close();
