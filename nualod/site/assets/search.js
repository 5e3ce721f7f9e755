// Search over the site's Pagefind bundles, offline: every file comes from this site.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script.getAttribute("data-root");
  var home = script.getAttribute("data-home");
  var none = script.getAttribute("data-none");
  var found = script.getAttribute("data-found");
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var loaded = null;

  function load() {
    if (!loaded) {
      loaded = fetch(root + "pagefind/bundles.json")
        .then(function (r) { return r.json(); })
        .then(function (bundles) {
          return import(root + bundles[0] + "pagefind.js").then(function (pagefind) {
            return pagefind.options({ basePath: root + bundles[0] }).then(function () {
              return Promise.all(bundles.slice(1).map(function (b) {
                return pagefind.mergeIndex(root + b);
              }));
            }).then(function () { return pagefind; });
          });
        });
    }
    return loaded;
  }

  var total = 0;

  function show(results) {
    list.textContent = "";
    if (!results.length) { status.textContent = none; return; }
    status.textContent = total + " " + found;
    results.forEach(function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var url = data.url.replace(/^\//, "");
      link.href = home + url;
      link.textContent = (data.meta && data.meta.title) || url;
      link.lang = "id";
      item.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = (data.meta && data.meta.place) || "";
      item.appendChild(meta);
      var excerpt = document.createElement("p");
      excerpt.lang = "id";
      excerpt.innerHTML = data.excerpt;
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  function run(query) {
    if (!query) return;
    load().then(function (pagefind) { return pagefind.search(query); })
      .then(function (search) {
        total = search.results.length;
        return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
      })
      .then(show)
      .catch(function (error) { status.textContent = String(error); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    run(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
