// asa2render's product box for Eleventy 3, written by `asa2render init eleventy`.
//
//   eleventy.config.js (ESM):  import asa2render from "./asa2render.eleventy.cjs";
//                              export default function (eleventyConfig) { eleventyConfig.addPlugin(asa2render); }
//   .eleventy.js (CommonJS):   module.exports = (eleventyConfig) => eleventyConfig.addPlugin(require("./asa2render.eleventy.cjs"));
//
//   {% asa2 "B0DEMO0001" %}   {% asa2 "B0DEMO0001", "us", "compact" %}   {% asa2Collection "summer" %}
//   {% asa2Disclosure %}      (Nunjucks also takes keywords: {% asa2 asin="B0DEMO0001", country="us" %})
//
// Reads <input>/_data/asa2.json, written by `asa2render export-data . -o _data/asa2.json` (plain JSON,
// which Eleventy 3 reads without any data extension). The markup is the built-in template's (or
// yours), with its "as of" stamp, rel="sponsored nofollow noopener" and Amazon's disclaimer. A product
// missing from the data file becomes a plain tagged link — run export-data again. Put the shortcode on
// a line of its own: it is a block. Options: { dataFile, stylesheet } (stylesheet: false skips copying).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const EMPTY = {
  products: {},
  collections: {},
  fallback_html: {},
  disclosure: "As an Amazon Associate I earn from qualifying purchases.",
};

function escapeHtml(value) {
  return String(value).replace(/[&<>"'{}]/g, (c) => `&#${c.charCodeAt(0)};`);
}

module.exports = function asa2render(eleventyConfig, options = {}) {
  const dataDir = (eleventyConfig.directories && eleventyConfig.directories.data) || "_data";
  const dataFile = () => options.dataFile || path.join(dataDir, "asa2.json");
  let data = null;
  eleventyConfig.on("eleventy.before", () => {
    data = null; // re-read after every export-data
  });
  const load = () => {
    if (data === null) {
      try {
        data = { ...EMPTY, ...JSON.parse(fs.readFileSync(dataFile(), "utf8")) };
      } catch (error) {
        console.warn(`[asa2render] cannot read ${dataFile()}: ${error.message}; run asa2render export-data`);
        data = EMPTY;
      }
    }
    return data;
  };

  const fallback = (store, asin, country, page) => {
    console.warn(`[asa2render] ${asin} (${country}) is not in ${dataFile()}; run asa2render export-data (${page})`);
    // the fallback export-data rendered for this store, with this ASIN in place
    const markup = (store.fallback_html || {})[country];
    if (markup && store.asin_slot) {
      return markup.split(store.asin_slot).join(escapeHtml(asin));
    }
    return `<span class="asa2-fallback asa2-unresolved" data-asa2-asin="${escapeHtml(asin)}" data-asa2-state="fallback">Product unavailable</span>`;
  };

  const pageOf = (self) => (self && self.page && self.page.inputPath) || "";
  // The page's front matter: a plain object in Nunjucks, a liquidjs Context (its `environments`) in Liquid.
  const countryOf = (self) => {
    const ctx = (self && self.ctx) || {};
    return (ctx.environments && ctx.environments.asa2_country) || ctx.asa2_country || "";
  };

  eleventyConfig.addShortcode("asa2", function (...args) {
    let keywords = {};
    const last = args[args.length - 1];
    if (last && typeof last === "object") keywords = args.pop();
    const store = load();
    const asin = String(args[0] || keywords.asin || "").toUpperCase();
    const country = String(args[1] || keywords.country || countryOf(this) || store.default_country || "").toLowerCase();
    const fallbackTemplate = store.default_template || "box";
    const tpl = String(args[2] || keywords.tpl || fallbackTemplate);
    const entry = (store.products[country] || {})[asin];
    if (entry && entry.html) {
      return entry.html[tpl] || entry.html[fallbackTemplate] || fallback(store, asin, country, pageOf(this));
    }
    return fallback(store, asin, country, pageOf(this));
  });

  eleventyConfig.addShortcode("asa2Collection", function (name, tpl) {
    const store = load();
    const entry = store.collections[name];
    const markup = entry && entry.html && (entry.html[tpl || "list"] || entry.html.list);
    if (markup) return markup;
    console.warn(`[asa2render] collection ${name} is not in ${dataFile()}; run asa2render export-data (${pageOf(this)})`);
    return `<span class="asa2-fallback asa2-unresolved" data-asa2-state="fallback">Product unavailable</span>`;
  });

  eleventyConfig.addShortcode("asa2Disclosure", function () {
    return `<p class="asa2-disclosure">${escapeHtml(load().disclosure)}</p>`;
  });

  if (options.stylesheet !== false) {
    const stylesheet = options.stylesheet || "asa2render.css";
    if (fs.existsSync(stylesheet)) eleventyConfig.addPassthroughCopy(stylesheet);
  }
};
