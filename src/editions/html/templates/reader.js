// anthology's reader settings and keys. Loaded in the page's head, before
// anything is drawn, so that a remembered theme and text size apply from the
// first frame. The settings work without this script (the style sheet reads
// which radio button is checked); the script remembers them from page to
// page, marks the current entry of the contents in view, and turns the pages
// with the arrow keys.
(function () {
  "use strict";
  var root = document.documentElement;
  var names = ["theme", "size"];
  function load(name) {
    try { return window.localStorage.getItem("anthology-" + name); } catch (e) { return null; }
  }
  function save(name, value) {
    try { window.localStorage.setItem("anthology-" + name, value); } catch (e) { /* private mode: not remembered */ }
  }
  names.forEach(function (name) {
    var value = load(name);
    if (value) { root.setAttribute("data-" + name, value); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    names.forEach(function (name) {
      var chosen = root.getAttribute("data-" + name);
      document.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
        if (chosen) { input.checked = input.value === chosen; }
        input.addEventListener("change", function () {
          root.setAttribute("data-" + name, input.value);
          save(name, input.value);
        });
      });
    });
    var sidebar = document.getElementById("sidebar");
    var here = sidebar && sidebar.querySelector('[aria-current="page"]');
    if (here && sidebar.scrollHeight > sidebar.clientHeight) {
      sidebar.scrollTop = here.offsetTop - sidebar.clientHeight / 3;
    }
  });
  // Left and right arrows: the previous and next texts (the other way round
  // in a right-to-left book), unless a field has the keys.
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var rtl = root.getAttribute("dir") === "rtl";
    var rel = null;
    if (event.key === "ArrowLeft") { rel = rtl ? "next" : "prev"; }
    if (event.key === "ArrowRight") { rel = rtl ? "prev" : "next"; }
    var link = rel && document.querySelector('.pager a[rel="' + rel + '"]');
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });
})();
