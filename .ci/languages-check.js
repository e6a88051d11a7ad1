#!/usr/bin/env node
// The site of a book in several languages, as a reader switches between
// them, in Debian's headless Chromium, from the built files:
//   node .ci/languages-check.js MODULES SITE_DIR PAGE...
// MODULES is the folder whose node_modules has puppeteer-core and axe-core;
// each PAGE is a page of the site relative to SITE_DIR (dist/html). For
// each page it checks, and exits 1 on the first fault:
//   - axe-core finds nothing, at 1280 and 390 px wide;
//   - the language switcher names every language, marks the page's own,
//     and each of its links opens a page in that language (its <html lang>)
//     whose own switcher leads back to the page.
"use strict";
const fs = require("fs");
const path = require("path");

const [modulesDir, siteDir, ...pages] = process.argv.slice(2);
const modules = path.resolve(modulesDir, "node_modules");
const site = path.resolve(siteDir);
const chromium = process.env.CHROME_PATH || "/usr/bin/chromium";
const puppeteer = require(path.join(modules, "puppeteer-core"));
const axeSource = fs.readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");

function fail(message) {
  console.error(`languages-check: ${message}`);
  process.exit(1);
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const page = await browser.newPage();
  const switcher = () =>
    page.$$eval("nav.languages a", (as) =>
      as.map((a) => ({ lang: a.getAttribute("hreflang"), href: a.href, current: a.hasAttribute("aria-current") })));
  let links = 0;
  for (const rel of pages) {
    const url = "file://" + path.join(site, rel);
    for (const width of [1280, 390]) {
      await page.setViewport({ width, height: 900 });
      await page.goto(url, { waitUntil: "load" });
      await page.addScriptTag({ content: axeSource });
      const found = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      });
      if (found.length) { fail(`axe-core on ${rel} at ${width} px:\n  ${found.join("\n  ")}`); }
    }
    const own = await page.$eval("html", (h) => h.lang);
    const langs = await switcher();
    if (langs.length < 2) { fail(`${rel}: no language switcher`); }
    const current = langs.filter((l) => l.current).map((l) => l.lang);
    if (current.length !== 1 || current[0] !== own) { fail(`${rel}: the switcher marks ${current} as the page's, not ${own}`); }
    for (const l of langs) {
      await page.goto(l.href, { waitUntil: "load" });
      const there = await page.$eval("html", (h) => h.lang);
      if (there !== l.lang) { fail(`${rel}: the ${l.lang} link opens a page in ${there} (${l.href})`); }
      const back = (await switcher()).find((b) => b.lang === own);
      if (!back || back.href !== url) { fail(`${rel}: the ${l.lang} page does not lead back to it (${back && back.href})`); }
      links++;
    }
  }
  await browser.close();
  console.log(`languages: axe-core finds nothing on ${pages.length} pages at 1280 and 390 px; ${links} switcher links lead to their language and back`);
})().catch((e) => fail(e.stack || String(e)));
