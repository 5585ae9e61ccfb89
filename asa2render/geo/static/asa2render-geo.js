/* asa2render-geo.js: sends visitors to their own Amazon store. See asa2render's README, "Geo-targeting". */
(function () {
  "use strict";
  var KEY = "asa2render-geo-store";
  var me = document.currentScript;
  // Countries a bare language ("de", "en") may mean; the time zone breaks the tie.
  var LANG = {de: "de at ch lu li", fr: "fr be ch lu ca", en: "us gb ca au ie nz in sg",
    es: "es mx ar co cl", pt: "br pt", it: "it ch", nl: "nl be", ja: "jp", pl: "pl", sv: "se",
    tr: "tr", ar: "ae sa eg"};
  var ZONES = {};
  ("Berlin de Vienna at Zurich ch Luxembourg lu Vaduz li Paris fr Brussels be Amsterdam nl London gb " +
   "Dublin ie Madrid es Lisbon pt Rome it Warsaw pl Stockholm se Istanbul tr Tokyo jp Singapore sg " +
   "Sydney au Melbourne au Brisbane au Perth au Auckland nz Toronto ca Vancouver ca Mexico_City mx " +
   "Sao_Paulo br Kolkata in Dubai ae Riyadh sa Cairo eg New_York us Chicago us Los_Angeles us")
    .replace(/(\S+) (\S+)/g, function (m, zone, cc) { ZONES[zone] = cc; });
  var table, done;
  var api = window.asa2Geo = {ready: new Promise(function (r) { done = r; }), choose: choose};

  function load() {
    var inline = document.getElementById("asa2render-geo");
    if (inline) return Promise.resolve(JSON.parse(inline.textContent));
    var base = me && me.src ? me.src : location.href;
    var src = new URL((me && me.getAttribute("data-table")) || "asa2render-geo.json", base);
    return fetch(src, {credentials: "same-origin"}).then(function (r) { return r.json(); });
  }

  function saved() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }

  // A country (ISO code) → an offered store, following the fallback map a few steps.
  function storeOf(cc) {
    for (var i = 0; cc && i < 4; i++) {
      var s = cc === "gb" ? "uk" : cc;
      if (table.stores[s]) return s;
      cc = table.fallbacks[cc];
    }
    return null;
  }

  function candidates() {
    var list = [], zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* old */ }
    var here = ZONES[zone.split("/").pop()];
    (navigator.languages || [navigator.language || ""]).forEach(function (tag) {
      var parts = String(tag).toLowerCase().split(/[-_]/);
      var region = parts.slice(1).filter(function (p) { return /^[a-z]{2}$/.test(p); })[0];
      (region ? [region] : (LANG[parts[0]] || "").split(" ")).forEach(function (c) {
        if (c && list.indexOf(c) < 0) list.push(c);
      });
    });
    // The time zone only decides between countries the languages allow.
    if (here && list.indexOf(here) > 0) list.unshift(list.splice(list.indexOf(here), 1)[0]);
    return list;
  }

  function detect() {
    var list = candidates();
    for (var i = 0; i < list.length; i++) if (storeOf(list[i])) return storeOf(list[i]);
    return null;
  }

  function geoip() {
    if (!table.geoip_url) return Promise.resolve(null);
    var stop = new AbortController();
    setTimeout(function () { stop.abort(); }, 1500);
    return fetch(table.geoip_url, {credentials: "omit", signal: stop.signal})
      .then(function (r) { return r.text(); })
      .then(function (text) {
        var m = /"(?:country(?:_?code)?|countryCode)"\s*:\s*"([a-z]{2})"/i.exec(text) ||
          /(?:^|\n)loc=([a-z]{2})/i.exec(text) || /^\s*([a-z]{2})\s*$/i.exec(text);
        return m ? storeOf(m[1].toLowerCase()) : null;
      })
      .catch(function () { return null; });
  }

  function pageStore(host) {
    var rest = host.replace(/^(www\.)?amazon\./, "");
    return {com: "us", "co.uk": "uk", "co.jp": "jp"}[rest] || rest.split(".").pop();
  }

  function target(link, root, store) {
    var url = new URL(link.getAttribute("data-asa2-href") || link.getAttribute("href"), location.href);
    if (!/(^|\.)amazon\./.test(url.hostname) || pageStore(url.hostname) === store) return null;
    var m = /\/(?:dp|gp\/product|gp\/aw\/d)\/([A-Z0-9]{10})/.exec(url.pathname);
    var asin = m ? m[1] : root.getAttribute("data-asa2-asin");
    var entry = table.products[asin];
    var set = root.getAttribute("data-asa2-set") || table.set;
    var tag = (table.tags[set] || {})[store] || table.tags[table.set][store];
    if (!entry || !tag) return null;
    var host = "https://www." + table.stores[store].toLowerCase();
    if ((entry.x || []).indexOf(store) >= 0) return host + "/dp/" + asin + "?tag=" + encodeURIComponent(tag);
    if ((entry.s || []).indexOf(store) >= 0) {
      return host + "/s?k=" + encodeURIComponent(entry.t || asin).replace(/%20/g, "+") +
        "&tag=" + encodeURIComponent(tag);
    }
    return null;
  }

  var PRICES = ".asa2-price,.asa2-list-price,.asa2-savings,.asa2-asof,.asa2-availability";

  function apply(store) {
    var moved = [];
    document.querySelectorAll("a[href][data-asa2-asin],[data-asa2-asin] a[href]").forEach(function (link) {
      var root = link.closest("[data-asa2-asin]");
      var original = link.getAttribute("data-asa2-href");
      var to = store && target(link, root, store);
      if (to) {
        if (!original) link.setAttribute("data-asa2-href", link.getAttribute("href"));
        link.setAttribute("href", to);
        if (moved.indexOf(root) < 0) moved.push(root);
      } else if (original) {
        link.setAttribute("href", original);
        link.removeAttribute("data-asa2-href");
      }
    });
    document.querySelectorAll("[data-asa2-asin]").forEach(function (root) {
      var away = moved.indexOf(root) >= 0, note = root.querySelector(".asa2-geo-price");
      root.querySelectorAll(PRICES).forEach(function (el) {
        // not [hidden]: a stylesheet's display rule would win
        if (el.closest("[data-asa2-asin]") === root) el.style.display = away ? "none" : "";
      });
      var price = root.querySelector(".asa2-price");
      if (away && price && price.closest("[data-asa2-asin]") === root) {
        if (!note) {
          note = document.createElement("span");
          note.className = "asa2-geo-price";
          price.parentNode.insertBefore(note, price);
        }
        note.textContent = table.labels.see_price.replace("Amazon", table.stores[store]);
      } else if (note) {
        note.remove();
      }
    });
    api.store = store;
  }

  function choose(store) {
    if (!table) return api.ready.then(function () { return table && choose(store); });
    try {
      if (store) localStorage.setItem(KEY, store); else localStorage.removeItem(KEY);
    } catch (e) { /* storage blocked: the choice lasts for this page */ }
    return (store && table.stores[store] ? Promise.resolve(store) : pick()).then(apply);
  }

  function pick() {
    var chosen = saved();
    if (chosen && table.stores[chosen]) return Promise.resolve(chosen);
    return geoip().then(function (s) { return s || detect(); });
  }

  function switchers() {
    document.querySelectorAll("[data-asa2-geo-switcher]").forEach(function (box) {
      if (box.querySelector("select")) return;
      var select = document.createElement("select");
      select.setAttribute("aria-label", box.getAttribute("data-label") || table.labels.switcher);
      select.add(new Option(box.getAttribute("data-automatic") || table.labels.automatic, ""));
      Object.keys(table.stores).forEach(function (s) { select.add(new Option(table.stores[s], s)); });
      select.value = saved() || "";
      select.addEventListener("change", function () { choose(select.value); });
      box.appendChild(select);
    });
  }

  load().then(function (data) {
    if (!data || data.version !== 1) return null;
    table = data;
    switchers();
    return pick().then(apply);
  }).catch(function () { /* no table: links keep the page's store */ }).then(function () {
    done(api.store || null);
  });
})();
