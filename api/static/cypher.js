// Cypher query page: a CodeMirror 6 editor with @neo4j-cypher/codemirror (vendor/
// cypher-editor.js, built by frontend/): syntax, lint and completion of the graph's labels,
// relationship types and property keys, read once through this read-only endpoint
// (db.labels / db.relationshipTypes / db.propertyKeys, allowed by graph/neo4j/guard.py).
// Example buttons, JSON parameters, results as a table built with textContent only (no HTML
// from query results). Served from /static: the page CSP runs no inline script.
(function () {
  "use strict";
  var form = document.getElementById("form");
  var editorBox = document.getElementById("query");
  var paramBox = document.getElementById("parameters");
  var status = document.getElementById("status");
  var schemaStatus = document.getElementById("schema-status");
  var result = document.getElementById("result");

  var editor = window.PolicykgCypherEditor.createCypherEditor(editorBox, {
    value: editorBox.getAttribute("data-value") || "",
    autocomplete: true,
    lint: true,
    lineNumbers: true,
    lineWrapping: true,
    history: true,
    theme: "light",
    tooltipAbsolute: true,
    lineNumberFormatter: function (line) { return String(line); } // not the "$" prompt
  }).editor;
  // @neo4j-cypher/editor-support 1.0.2 starts a label's or relationship type's completion
  // range on its ':' but offers the name without it, so taking "Measure" for "(n:Me" gave
  // "(nMeasure": keep the colon in what is inserted.
  var support = editor.editorSupport;
  var getCompletion = support.getCompletion.bind(support);
  support.getCompletion = function (line, column, doFilter) {
    var completion = getCompletion(line, column, doFilter);
    var doc = editor.codemirror.state.doc;
    if (!completion || !completion.from || completion.from.line > doc.lines) { return completion; }
    if (doc.line(completion.from.line).text.charAt(completion.from.column) === ":") {
      completion.items = completion.items.map(function (item) {
        var named = item.type === "label" || item.type === "relationshipType";
        if (!named || item.content.charAt(0) === ":") { return item; }
        return Object.assign({}, item, {content: ":" + item.content});
      });
    }
    return completion;
  };
  var content = editor.codemirror.contentDOM;
  content.setAttribute("aria-labelledby", "query-label");
  window.policykgCypher = editor; // for the browser tests and the curious

  function queryText() { return editor.codemirror.state.doc.toString(); }

  editor.onKeyDown(function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.querySelectorAll("button.example").forEach(function (btn) {
    btn.addEventListener("click", function () {
      editor.setValue(btn.getAttribute("data-query"));
      paramBox.value = btn.getAttribute("data-parameters");
    });
  });

  function post(query) {
    return fetch("/cypher", {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify({query: query, parameters: {}})
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
      return response.json();
    }).then(function (answer) {
      return answer.rows.map(function (row) { return row[0]; });
    });
  }

  // The schema for completion, from the three read-only procedures. Without Neo4j the page
  // still edits (syntax and keyword completion) and says why labels are missing.
  Promise.all([
    post("CALL db.labels() YIELD label RETURN label ORDER BY label"),
    post("CALL db.relationshipTypes() YIELD relationshipType " +
         "RETURN relationshipType ORDER BY relationshipType"),
    post("CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey ORDER BY propertyKey")
  ]).then(function (lists) {
    editor.setSchema({labels: lists[0], relationshipTypes: lists[1], propertyKeys: lists[2]});
    schemaStatus.textContent = "· 补全 completion: " + lists[0].length + " labels, " +
      lists[1].length + " relationship types, " + lists[2].length + " property keys";
    editorBox.setAttribute("data-schema", "loaded");
  }).catch(function (e) {
    schemaStatus.textContent = "· 无图模式 no schema for completion (" + e.message + ")";
    editorBox.setAttribute("data-schema", "unavailable");
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
      body: JSON.stringify({query: queryText(), parameters: params})
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
