// anthology's search: titles, authors and text, from assets/search-index.js,
// built with the site. Works offline and on any static host. Results are
// built with textContent only, so nothing in the index can become markup.
(function () {
  "use strict";
  var results = document.getElementById("results");
  var index = window.ANTHOLOGY_SEARCH;
  if (!results || !index) { return; }
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var input = document.getElementById("q");
  if (input) { input.value = q; }
  function norm(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var terms = norm(q).split(/\s+/).filter(Boolean);
  if (terms.length === 0) { return; }
  var hits = [];
  index.forEach(function (e) {
    var head = norm(e.t + " " + e.a);
    var body = norm(e.x);
    var score = 0;
    for (var i = 0; i < terms.length; i++) {
      if (head.indexOf(terms[i]) >= 0) { score += 10; }
      else if (body.indexOf(terms[i]) >= 0) { score += 1; }
      else { return; }
    }
    hits.push({ e: e, score: score });
  });
  hits.sort(function (a, b) { return b.score - a.score; });
  if (hits.length === 0) {
    var none = document.createElement("p");
    none.textContent = results.getAttribute("data-none");
    results.appendChild(none);
    return;
  }
  var root = results.getAttribute("data-root") || "";
  var list = document.createElement("ol");
  hits.forEach(function (h) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + h.e.u;
    a.textContent = h.e.t;
    li.appendChild(a);
    li.appendChild(document.createTextNode(" — " + h.e.a));
    list.appendChild(li);
  });
  results.appendChild(list);
})();
