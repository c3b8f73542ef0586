// Cypher query page: example buttons, JSON parameters, results as a table built with
// textContent only (no HTML from query results). Served from /static: the page CSP runs
// no inline script.
(function () {
  "use strict";
  var form = document.getElementById("form");
  var queryBox = document.getElementById("query");
  var paramBox = document.getElementById("parameters");
  var status = document.getElementById("status");
  var result = document.getElementById("result");

  queryBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.querySelectorAll("button.example").forEach(function (btn) {
    btn.addEventListener("click", function () {
      queryBox.value = btn.getAttribute("data-query");
      paramBox.value = btn.getAttribute("data-parameters");
    });
  });

  function cellText(value) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value !== "object") { return String(value); }
    if (!Array.isArray(value) && value.kind === "node") {
      return "(" + value.labels.map(function (l) { return ":" + l; }).join("") + " " +
        (value.properties.name || value.iri || value.element_id) + ")";
    }
    if (!Array.isArray(value) && value.kind === "relationship") {
      return "-[:" + value.type + " " + JSON.stringify(value.properties) + "]->";
    }
    if (Array.isArray(value) && value.length && value[0] && value[0].kind === "node") {
      return value.map(cellText).join(" ");
    }
    return JSON.stringify(value, null, 1);
  }

  function render(answer) {
    result.replaceChildren();
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    answer.columns.forEach(function (c) {
      var th = document.createElement("th");
      th.textContent = c;
      head.appendChild(th);
    });
    var body = table.createTBody();
    answer.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (v) {
        var td = tr.insertCell();
        var text = cellText(v);
        if (text.indexOf("\n") >= 0) {
          var pre = document.createElement("pre");
          pre.textContent = text;
          td.appendChild(pre);
        } else {
          td.textContent = text;
        }
      });
    });
    result.appendChild(table);
    status.className = ""; status.style.color = "";
    status.textContent = answer.rows.length + " rows · " + answer.elapsed_ms + " ms" +
      (answer.truncated ? " · truncated at " + answer.row_limit + " rows" : "");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params;
    try {
      params = paramBox.value.trim() ? JSON.parse(paramBox.value) : {};
    } catch (e) {
      status.className = "error"; status.style.color = "#a40000";
      status.textContent = "Parameters are not valid JSON: " + e.message;
      return;
    }
    status.className = ""; status.style.color = "";
    status.textContent = "Running…";
    fetch("/cypher", {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify({query: queryBox.value, parameters: params})
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (r) {
      if (r.ok) { render(r.body); return; }
      result.replaceChildren();
      status.className = "error"; status.style.color = "#a40000";
      status.textContent = (r.body.title || "Error") + ": " + (r.body.detail || "");
    }).catch(function (e) {
      status.className = "error"; status.style.color = "#a40000";
      status.textContent = "Request failed: " + e;
    });
  });
})();
