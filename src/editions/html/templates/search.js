// anthology's search: titles, authors and text, from assets/search-index.js,
// built with the site. Works offline and on any static host. Results follow
// each key typed in the search field, and the address keeps the query, so a
// result page can be shared and the back button returns to it. Results are
// built with textContent only, so nothing in the index can become markup.
(function () {
  "use strict";
  var results = document.getElementById("results");
  var index = window.ANTHOLOGY_SEARCH;
  if (!results || !index) { return; }
  var root = results.getAttribute("data-root") || "";
  var most = 100;
  // Accents and case are left out on both sides: "elodie" finds Élodie.
  function norm(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  // The text (x) comes folded, each word once: only titles and authors are folded here.
  var entries = index.map(function (e) { return { e: e, head: norm(e.t + " " + e.a), body: e.x }; });
  function search(q) {
    var terms = norm(q).split(/\s+/).filter(Boolean);
    var hits = [];
    if (terms.length > 0) {
      entries.forEach(function (n) {
        var score = 0;
        for (var i = 0; i < terms.length; i++) {
          if (n.head.indexOf(terms[i]) >= 0) { score += 10; }
          else if (n.body.indexOf(terms[i]) >= 0) { score += 1; }
          else { return; }
        }
        hits.push({ e: n.e, score: score });
      });
      // Stable: equal scores keep the book's order.
      hits.sort(function (a, b) { return b.score - a.score; });
    }
    return { terms: terms, hits: hits };
  }
  function show(q) {
    var found = search(q);
    results.textContent = "";
    if (found.terms.length === 0) { return; }
    if (found.hits.length === 0) {
      var none = document.createElement("p");
      none.textContent = results.getAttribute("data-none");
      results.appendChild(none);
      return;
    }
    var list = document.createElement("ol");
    found.hits.slice(0, most).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + h.e.u;
      a.textContent = h.e.t;
      li.appendChild(a);
      var who = document.createElement("span");
      who.className = "authors";
      who.textContent = " — " + h.e.a;
      li.appendChild(who);
      list.appendChild(li);
    });
    results.appendChild(list);
  }
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var input = document.getElementById("q");
  if (input) {
    input.value = q;
    input.addEventListener("input", function () {
      show(input.value);
      var url = new URL(window.location.href);
      if (input.value) { url.searchParams.set("q", input.value); } else { url.searchParams.delete("q"); }
      // A page opened from the disk may not change its address.
      try { window.history.replaceState(null, "", url); } catch (e) { /* kept as it was */ }
    });
    if (!q) { input.focus(); }
  }
  show(q);
})();
