// Search the site's own index (nualod.site.search), offline: every file comes from this site.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script.getAttribute("data-root") + "search/";
  var home = script.getAttribute("data-home");
  var none = script.getAttribute("data-none");
  var short = script.getAttribute("data-short");
  var found = script.getAttribute("data-found");
  var foundOne = script.getAttribute("data-found-one");
  var failed = script.getAttribute("data-failed");
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 30;       // results shown at a time
  var PREFIXED = 50;   // at most so many terms for a word still being typed
  var files = {};
  var meta = null;
  var shown = [];
  var next = 0;
  var asked = [];

  function json(path) {
    if (!files[path]) {
      files[path] = fetch(root + path).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      });
    }
    return files[path];
  }

  // The same cut as nualod.site.search.terms: accents folded, lower case, letters and digits.
  function terms(text) {
    return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase()
      .match(/[0-9a-z]+/g) || [];
  }

  function numbers(gaps, into, score) {
    if (!gaps) return;
    var at = 0;
    gaps.split(",").forEach(function (gap) {
      at += Number(gap);
      if ((into.get(at) || 0) < score) into.set(at, score);
    });
  }

  // A word's practices, scored 2 where it is in the title or place, 1 in the summary only.
  function practices(word, prefix) {
    var key = word.slice(0, 3);
    var scores = new Map();
    if (meta.buckets.indexOf(key) < 0) return Promise.resolve(scores);
    var folder = "terms/" + key[0] + "/";
    return json(folder + "b-" + key + ".json").then(function (bucket) {
      var names = Object.keys(bucket).filter(function (term) {
        return prefix && word.length >= 3 ? term.indexOf(word) === 0 : term === word;
      });
      names.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
      return Promise.all(names.slice(0, PREFIXED).map(function (term) {
        return bucket[term] === 0 ? json(folder + "t-" + term + ".json") : bucket[term];
      }));
    }).then(function (lists) {
      lists.forEach(function (both) {
        numbers(both[0], scores, 2);
        numbers(both[1], scores, 1);
      });
      return scores;
    });
  }

  function record(number) {
    var shards = meta.shards, low = 0, high = shards.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (shards[middle][1] <= number) low = middle; else high = middle - 1;
    }
    var local = number - shards[low][1];
    var name = ("00" + shards[low][0]).slice(-3) + "/" + Math.floor(local / meta.chunk);
    return json("docs/" + name + ".json").then(function (docs) {
      return docs[local % meta.chunk];
    });
  }

  function marked(text) {
    var paragraph = document.createElement("p");
    paragraph.lang = "id";
    text.split(/(\s+)/).forEach(function (piece) {
      var hit = terms(piece).some(function (term) {
        return asked.some(function (word) { return term.indexOf(word) === 0; });
      });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = piece;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(piece));
      }
    });
    return paragraph;
  }

  function showMore() {
    var page = shown.slice(next, next + PAGE);
    next += page.length;
    more.hidden = next >= shown.length;
    return Promise.all(page.map(record)).then(function (records) {
      records.forEach(function (doc) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = home + doc[0];
        link.textContent = doc[1];
        link.lang = "id";
        item.appendChild(link);
        var place = document.createElement("span");
        place.className = "meta";
        place.textContent = doc[2];
        item.appendChild(place);
        item.appendChild(marked(doc[3]));
        list.appendChild(item);
      });
    });
  }

  function run(query) {
    asked = terms(query).filter(function (word, at, all) { return all.indexOf(word) === at; });
    list.textContent = "";
    more.hidden = true;
    if (!asked.length) { status.textContent = none; return; }
    (meta ? Promise.resolve(meta) : json("index.json")).then(function (index) {
      meta = index;
      return Promise.all(asked.map(function (word, at) {
        return practices(word, at === asked.length - 1);
      }));
    }).then(function (maps) {
      maps.sort(function (a, b) { return a.size - b.size; });
      var results = [];
      maps[0].forEach(function (score, number) {
        for (var at = 1; at < maps.length; at++) {
          var other = maps[at].get(number);
          if (!other) return;
          score += other;
        }
        results.push([score, number]);
      });
      results.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      shown = results.map(function (pair) { return pair[1]; });
      next = 0;
      // The count is said once the first results are on the page, not before them.
      return showMore().then(function () {
        // A word under three letters is no prefix (the index is cut by a word's first
        // three): "ko" found nothing where "kota" finds thousands, so the page says why.
        status.textContent = shown.length
          ? shown.length.toLocaleString(document.documentElement.lang) + " " +
            (shown.length === 1 ? foundOne : found)
          : none + (asked.some(function (word) { return word.length < 3; }) ? " " + short : "");
      });
    }).catch(function (error) {
      // In the page's words (a file opened from disk cannot fetch the index); the cause in
      // the console, for whoever looks into it.
      status.textContent = failed;
      console.warn(error);
    });
  }

  // The language switch leads to the same search in the other language, not an empty one.
  var switcher = document.querySelector("a.lang");
  var switchTo = switcher ? switcher.getAttribute("href") : "";
  function keepQuery(query) {
    if (switcher) {
      switcher.setAttribute("href", switchTo + (query ? "?q=" + encodeURIComponent(query) : ""));
    }
  }

  // The keyboard's focus goes to the first of the results added: they come before the
  // button, which is hidden after the last ones (WCAG 2.4.3).
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore().then(function () {
      var added = list.children[first];
      if (added) added.querySelector("a").focus();
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    keepQuery(query);
    run(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; keepQuery(initial); run(initial); }
})();
