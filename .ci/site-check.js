#!/usr/bin/env node
// The website as a reader meets it, in Debian's headless Chromium, through
// `anthology serve`:
//   node .ci/site-check.js MODULES URL [--two] [--lighthouse] [--shots DIR] [--name NAME]
//     [--skip-axe-rule ID]...
// --desk also checks the editor's desk page (/__anthology/desk).
// MODULES is the folder whose node_modules has puppeteer-core, axe-core and
// lighthouse (.ci/run installs them); URL is the served site's root.
// It checks, and exits 1 on the first fault:
//   - axe-core finds nothing on every kind of page (and on an essay in each
//     of the three themes);
//   - no page asks anything of another address than the site's own;
//   - the home page's downloads fetch a real PDF and EPUB, an essay's and a
//     contributor's offprint links a real PDF;
//   - share links (when the site has an address) carry the post and the
//     address, percent-encoded;
//   - a contributor's page lists every essay they wrote (--two: one with at
//     least two must exist);
//   - search as you type finds an essay by its author's name typed without
//     accents, with no page load;
//   - the theme and the text size change the page and are remembered; with
//     JavaScript off they still change it, and the phone's contents menu opens
//     and closes;
//   - the arrow keys turn to the next and previous essay;
//   - --lighthouse: Lighthouse scores at least 95 in all four categories on
//     the home page, an essay, a contributor's page and the search page.
// Screenshots at 1280 and 390 px wide go to --shots (default
// /tmp/anthology-screenshots).
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const args = process.argv.slice(2);
const modules = path.resolve(args[0], "node_modules");
const base = new URL(args[1].endsWith("/") ? args[1] : args[1] + "/");
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const shots = option("--shots", "/tmp/anthology-screenshots");
const name = option("--name", "site");
// --skip-axe-rule ID (repeatable): to look past a known finding in a book
// being explored; .ci/run never gives it.
const skipRules = args.flatMap((a, i) => (a === "--skip-axe-rule" ? [args[i + 1]] : []));
const chromium = process.env.CHROME_PATH || "/usr/bin/chromium";
const puppeteer = require(path.join(modules, "puppeteer-core"));
const axeSource = fs.readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");
fs.mkdirSync(shots, { recursive: true });

function fail(message) {
  console.error(`site-check (${name}): ${message}`);
  process.exit(1);
}
function check(ok, message) {
  if (!ok) { fail(message); }
}
const plain = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");

async function bytes(url) {
  const r = await fetch(url);
  check(r.ok, `${url} answers ${r.status}`);
  return Buffer.from(await r.arrayBuffer());
}
async function isPdf(url) {
  const b = await bytes(url);
  check(b.subarray(0, 5).toString("latin1") === "%PDF-", `${url} is not a PDF`);
  return b.length;
}
async function isEpub(url) {
  const b = await bytes(url);
  check(b.subarray(30, 58).toString("latin1") === "mimetypeapplication/epub+zip", `${url} is not an EPUB`);
  return b.length;
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const elsewhere = [];
  async function open(url, { width = 1280, height = 900, js = true } = {}) {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(js);
    await page.setViewport({ width, height });
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (!["data:", "blob:"].includes(u.protocol) && u.origin !== base.origin) { elsewhere.push(r.url()); }
    });
    page.on("pageerror", (e) => fail(`${url}: ${e.message}`));
    const response = await page.goto(url, { waitUntil: "load" });
    check(response && response.ok(), `${url} answers ${response && response.status()}`);
    return page;
  }
  const at = (p) => new URL(p, base).href;

  // The pages: an essay with an author, a part, front matter, the index,
  // a contributor (with two essays when there is one), search, all.html.
  const home = await open(at("index.html"));
  const index = await home.evaluate(() => window.ANTHOLOGY_SEARCH || null);
  const entries = await (async () => {
    if (index) { return index; }
    const text = (await bytes(at("assets/search-index.js"))).toString("utf8");
    return JSON.parse(text.slice(text.indexOf("=") + 1).trim().replace(/;$/, ""));
  })();
  // An essay whose author's name has an accent, when there is one.
  const essay = entries.find((e) => e.a && plain(e.a) !== e.a) || entries.find((e) => e.a) ||
    fail("no essay with an author in the search index");
  const people = await open(at("contributors/index.html"));
  const persons = await people.evaluate(() =>
    [...document.querySelectorAll("ul.people > li")].map((li) => ({
      href: li.querySelector("h3 a").href,
      essays: [...li.querySelectorAll("p.essays a")].map((a) => a.href),
    })));
  check(persons.length > 0, "the contributor index lists nobody");
  const two = persons.find((p) => p.essays.length >= 2);
  if (flag("--two")) { check(two, "no contributor with two essays, though the book has one"); }
  const person = two || persons[0];
  const links = await home.evaluate(() => [...document.querySelectorAll("a")].map((a) => a.href));
  const kinds = {
    home: base.href,
    essay: at(essay.u),
    contributor: person.href,
    contributors: at("contributors/index.html"),
    search: at(`search/index.html?q=${encodeURIComponent(essay.a.split(/[ ,]/)[0])}`),
    all: at("all.html"),
  };
  const part = links.find((l) => l.includes("/part/"));
  if (part) { kinds.part = part; }
  const front = links.find((l) => l.includes("/front/"));
  if (front) { kinds.front = front; }

  // axe-core on every kind of page, and screenshots at both widths.
  async function axe(page, label) {
    await page.addScriptTag({ content: axeSource });
    const found = await page.evaluate(async (skip) => {
      const rules = Object.fromEntries(skip.map((id) => [id, { enabled: false }]));
      const r = await window.axe.run(document, { resultTypes: ["violations"], rules });
      return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
    }, skipRules);
    check(found.length === 0, `axe-core on ${label}:\n  ${found.join("\n  ")}`);
  }
  for (const [kind, url] of Object.entries(kinds)) {
    for (const [width, height, size] of [[1280, 900, "desktop"], [390, 844, "phone"]]) {
      const page = await open(url, { width, height });
      await axe(page, `${kind} at ${width} px`);
      await page.screenshot({ path: path.join(shots, `${name}-${kind}-${size}.png`) });
      await page.close();
    }
  }
  console.log(`axe-core: no violation on ${Object.keys(kinds).length} kinds of page (${Object.keys(kinds).join(", ")}), at 1280 and 390 px`);

  // --desk: the editor's desk that `serve` shows: axe-core at both widths,
  // a late contributor, and the proofs and messages it links to served.
  if (flag("--desk")) {
    const url = at("__anthology/desk");
    for (const [width, height, size] of [[1280, 900, "desktop"], [390, 844, "phone"]]) {
      const page = await open(url, { width, height });
      await axe(page, `the desk at ${width} px`);
      await page.screenshot({ path: path.join(shots, `${name}-desk-${size}.png`), fullPage: true });
      if (size === "desktop") {
        const rows = await page.evaluate(() => [...document.querySelectorAll("tbody tr")].map((tr) => ({
          state: tr.children[3].textContent, links: [...tr.querySelectorAll("a")].map((a) => a.href) })));
        check(rows.length > 0, "the desk lists nobody");
        check(rows.some((r) => r.state === "late"), "the desk shows no late contributor");
        const links = rows.flatMap((r) => r.links);
        const pdf = links.find((l) => l.endsWith(".pdf"));
        check(pdf, "the desk links to no proof");
        await isPdf(pdf);
        const eml = links.find((l) => l.endsWith(".eml"));
        check(eml && (await bytes(eml)).toString("utf8").startsWith("From: "), "the desk's messages are not messages");
        console.log(`the desk: ${rows.length} contributors, ${links.length} proofs and messages linked, axe-core: no violation at 1280 and 390 px`);
      }
      await page.close();
    }
  }

  // Downloads: every link of the home page's list fetches what it says.
  const downloads = await home.evaluate(() =>
    [...document.querySelectorAll("section.downloads a[type]")].map((a) => ({ href: a.href, type: a.type })));
  const kindsFetched = [];
  for (const d of downloads) {
    if (d.type === "application/pdf") { kindsFetched.push(`PDF ${await isPdf(d.href)} bytes`); }
    if (d.type === "application/epub+zip") { kindsFetched.push(`EPUB ${await isEpub(d.href)} bytes`); }
  }
  check(downloads.some((d) => d.type === "application/pdf"), "the home page offers no PDF");
  check(downloads.some((d) => d.type === "application/epub+zip"), "the home page offers no EPUB");
  console.log(`downloads: ${kindsFetched.join(", ")}`);

  // The essay's offprint, from its page and from its author's.
  const page = await open(kinds.essay);
  const offprint = await page.evaluate(() => { const a = document.querySelector("p.offprint a"); return a && a.href; });
  check(offprint, `${kinds.essay} offers no offprint`);
  console.log(`offprint: ${path.basename(new URL(offprint).pathname)}, ${await isPdf(offprint)} bytes`);

  // Share links: the post and the address, percent-encoded.
  const share = await page.evaluate(() => ({
    canonical: (document.querySelector('link[rel="canonical"]') || {}).href || null,
    post: (document.querySelector("#share-post") || {}).value || null,
    links: [...document.querySelectorAll("section.share a")].map((a) => a.getAttribute("href")),
  }));
  if (share.canonical) {
    check(share.links.length >= 4, "an essay of a site with an address has no share links");
    check(share.post && share.post.includes(share.canonical), "the post to copy lacks the essay's address");
    for (const href of share.links) {
      check(/^[\x21-\x7e]+$/.test(href), `share link not percent-encoded: ${href}`);
      const u = new URL(href);
      const values = [...u.searchParams.values()].join(" ");
      check(values.includes(share.canonical), `share link without the essay's address: ${href}`);
      if (!href.includes("linkedin")) { check(values.includes(share.post), `share link without the post: ${href}`); }
    }
    console.log(`share: ${share.links.length} links carry the post and ${share.canonical}, percent-encoded`);
  } else {
    check(share.links.length === 0, "share links on a site with no address");
    console.log("share: no address in book.toml, so no share links (as meant)");
  }

  // The contributor's page lists each of their essays, with its offprint.
  const mine = await open(person.href);
  const listed = await mine.evaluate(() => ({
    essays: [...document.querySelectorAll("ul.written > li > a:first-child")].map((a) => a.href),
    offprints: [...document.querySelectorAll("ul.written .offprint a")].map((a) => a.href),
  }));
  for (const e of person.essays) { check(listed.essays.includes(e), `${person.href} does not list ${e}`); }
  for (const o of listed.offprints) { await isPdf(o); }
  console.log(`contributor: ${person.href} lists ${listed.essays.length} essays, ${listed.offprints.length} offprints fetched`);

  // Search as you type: the author's family name without accents, one key at a time.
  const words = essay.a.split(/[\s,]+/).filter(Boolean);
  const family = plain(words.find((w) => plain(w) !== w) || words[words.length - 1]).toLowerCase();
  const search = await open(at("search/index.html"));
  await search.evaluate(() => { window.stillHere = true; });
  await search.type("#q", family, { delay: 20 });
  await search.waitForFunction(
    (u) => [...document.querySelectorAll("#results a")].some((a) => a.getAttribute("href").endsWith(u)),
    { timeout: 5000 }, essay.u).catch(() => fail(`typing "${family}" did not find ${essay.t}`));
  check(await search.evaluate(() => window.stillHere === true), "search as you type loaded a page");
  const authorShown = await search.evaluate(() => (document.querySelector("#results li") || {}).textContent || "");
  check(authorShown.includes("—"), "search results lack their authors");
  await search.screenshot({ path: path.join(shots, `${name}-search-typed-desktop.png`) });
  console.log(`search as you type: "${family}" finds "${essay.t}" (${essay.a})`);

  // Theme and text size: applied, and remembered on the next page.
  const background = (p) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const fontSize = (p) => p.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const reader = await open(kinds.essay);
  const light = await background(reader);
  const normal = await fontSize(reader);
  await reader.click("details.settings > summary");
  await reader.click('label[for="theme-dark"]');
  await reader.click('label[for="size-130"]');
  const dark = await background(reader);
  check(dark !== light, "choosing the dark theme changed nothing");
  check(Math.abs(await fontSize(reader) - normal * 1.3) < 0.5, "choosing 130 % did not make the text larger");
  await reader.screenshot({ path: path.join(shots, `${name}-essay-dark-desktop.png`) });
  const next = await open(kinds.home);
  check(await background(next) === dark, "the dark theme was not remembered on the next page");
  check(Math.abs(await fontSize(next) - normal * 1.3) < 0.5, "the text size was not remembered");
  check(await next.evaluate(() => document.getElementById("theme-dark").checked), "the remembered theme's radio is not checked");
  await next.click("details.settings > summary");
  await next.click('label[for="theme-sepia"]');
  check(await background(next) === "rgb(244, 236, 216)", "the sepia theme is not sepia");
  for (const theme of ["dark", "sepia"]) {
    await next.evaluate((t) => localStorage.setItem("anthology-theme", t), theme);
    const p = await open(kinds.essay);
    await axe(p, `an essay in the ${theme} theme`);
    await p.close();
  }
  await next.evaluate(() => { localStorage.removeItem("anthology-theme"); localStorage.removeItem("anthology-size"); });
  console.log(`themes: light ${light}, dark ${dark}, sepia; 130 % text; both remembered from page to page; axe-core clean in each`);

  // Without JavaScript: the radios still apply, the phone's menu opens and closes.
  const nojs = await open(kinds.essay, { width: 390, height: 844, js: false });
  check(!(await nojs.evaluate(() => !!window.ANTHOLOGY_SEARCH)), "JavaScript ran");
  const hidden = () => nojs.evaluate(() => getComputedStyle(document.getElementById("sidebar")).display === "none");
  check(await hidden(), "the contents menu shows on a phone before it is opened");
  await nojs.click(".menu-link");
  check(!(await hidden()), "the phone's contents link does not open the menu without JavaScript");
  check(await nojs.evaluate(() => !!document.querySelector('#sidebar [aria-current="page"]')), "the menu does not mark the current essay");
  await nojs.screenshot({ path: path.join(shots, `${name}-essay-menu-phone.png`) });
  await nojs.click(".menu-close");
  check(await hidden(), "the menu's close link does not close it");
  const before = await background(nojs);
  await nojs.click("details.settings > summary");
  await nojs.click('label[for="theme-dark"]');
  check(await background(nojs) !== before, "the dark theme needs JavaScript");
  console.log("without JavaScript: the phone's contents menu opens (current essay marked) and closes; the dark theme applies");

  // The arrow keys.
  const keys = await open(kinds.essay);
  const pager = await keys.evaluate(() => ({
    next: (document.querySelector('.pager a[rel="next"]') || {}).href,
    prev: (document.querySelector('.pager a[rel="prev"]') || {}).href,
  }));
  const rtl = await keys.evaluate(() => document.documentElement.dir === "rtl");
  if (pager.next) {
    await Promise.all([keys.waitForNavigation(), keys.keyboard.press(rtl ? "ArrowLeft" : "ArrowRight")]);
    check(keys.url() === pager.next, `the arrow key led to ${keys.url()}, not ${pager.next}`);
    await Promise.all([keys.waitForNavigation(), keys.keyboard.press(rtl ? "ArrowRight" : "ArrowLeft")]);
    check(keys.url() === kinds.essay, "the other arrow key did not lead back");
    console.log("arrow keys: next and back");
  }

  check(elsewhere.length === 0, `pages asked for other addresses: ${[...new Set(elsewhere)].join(", ")}`);
  console.log("requests: none left the site");
  await browser.close();

  if (flag("--lighthouse")) {
    const cli = path.join(modules, "lighthouse", "cli", "index.js");
    const out = fs.mkdtempSync("/tmp/lighthouse-");
    const pages = { home: kinds.home, essay: kinds.essay, contributor: kinds.contributor, search: kinds.search };
    const low = [];
    for (const [kind, url] of Object.entries(pages)) {
      const file = path.join(out, `${kind}.json`);
      execFileSync(process.execPath, [cli, url, "--quiet", "--output=json", `--output-path=${file}`,
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"], { env: { ...process.env, CHROME_PATH: chromium }, stdio: "inherit" });
      const report = JSON.parse(fs.readFileSync(file, "utf8"));
      const scores = Object.values(report.categories).map((c) => `${c.title} ${Math.round(c.score * 100)}`);
      console.log(`lighthouse ${kind}: ${scores.join(", ")}`);
      for (const c of Object.values(report.categories)) {
        if (c.score < 0.95) {
          const failing = c.auditRefs.filter((r) => r.weight > 0 && report.audits[r.id].score !== null && report.audits[r.id].score < 1)
            .map((r) => `${r.id} (${report.audits[r.id].score})`);
          low.push(`${kind}: ${c.title} ${Math.round(c.score * 100)}: ${failing.join(", ")}`);
        }
      }
    }
    check(low.length === 0, `Lighthouse below 95:\n  ${low.join("\n  ")}`);
  }
  console.log(`site-check (${name}): every check passed; screenshots in ${shots}`);
})().catch((e) => fail(e.stack || String(e)));
