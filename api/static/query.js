// Query page: plain textarea editor, example buttons, results rendered as a table with
// textContent only (no HTML injection from query results).
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  var accept = document.getElementById("accept");
  var status = document.getElementById("status");
  var results = document.getElementById("results");

  document.querySelectorAll("button.example").forEach(function (b) {
    b.addEventListener("click", function () { editor.value = b.dataset.query; run(); });
  });
  editor.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
    if (e.key === "Tab") {
      e.preventDefault();
      var s = editor.selectionStart;
      editor.setRangeText("  ", s, editor.selectionEnd, "end");
    }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });

  // Only http(s) IRIs become links: BIND(IRI("javascript:…")) is a valid IRI that would
  // run script on click. The browser's own URL parser decides the scheme (so case, tabs or
  // leading spaces cannot disguise it); anything it cannot parse stays text.
  function isWebIri(value) {
    try {
      var protocol = new URL(value).protocol;
      return protocol === "http:" || protocol === "https:";
    } catch (e) {
      return false;
    }
  }

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function table(data) {
    var t = document.createElement("table");
    var head = t.createTHead().insertRow();
    if (data.boolean !== undefined) {
      head.appendChild(cell("th", "ASK"));
      t.insertRow().appendChild(cell("td", String(data.boolean)));
      return t;
    }
    data.head.vars.forEach(function (v) { head.appendChild(cell("th", "?" + v)); });
    var body = t.createTBody();
    data.results.bindings.forEach(function (b) {
      var row = body.insertRow();
      data.head.vars.forEach(function (v) {
        var td = row.insertCell();
        var term = b[v];
        if (!term) return;
        if (term.type === "uri" && isWebIri(term.value)) {
          var a = document.createElement("a");
          a.href = term.value; a.textContent = term.value;
          td.appendChild(a);
        } else {
          td.textContent = term.value;
        }
      });
    });
    return t;
  }

  function run() {
    var started = performance.now();
    status.textContent = "运行中 running…";
    results.textContent = "";
    fetch("/sparql", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query", "Accept": accept.value},
      body: editor.value
    }).then(function (r) {
      var ms = Math.round(performance.now() - started);
      var truncated = r.headers.get("X-Result-Truncated");
      var ct = r.headers.get("Content-Type") || "";
      if (!r.ok) {
        return r.json().then(function (p) {
          status.textContent = "错误 " + p.status + " " + p.title;
          results.appendChild(cell("pre", p.detail));
        });
      }
      if (ct.indexOf("sparql-results+json") >= 0) {
        return r.json().then(function (data) {
          var n = data.results ? data.results.bindings.length : 1;
          status.textContent = n + " 行 rows · " + ms + " ms" + (truncated ? " · " + truncated : "");
          results.appendChild(table(data));
        });
      }
      return r.text().then(function (text) {
        status.textContent = ms + " ms" + (truncated ? " · " + truncated : "");
        results.appendChild(cell("pre", text));
      });
    }).catch(function (err) { status.textContent = "网络错误 network error: " + err; });
  }
})();
