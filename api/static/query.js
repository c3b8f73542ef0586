// Query page: YASGUI (vendor/yasgui.js, built by frontend/) posting to this origin's /sparql
// with the standard protocol (POST, form-encoded "query"). One tab per example; the example
// buttons select their tab and run it. Nothing here may reach another origin (the page CSP
// forbids it anyway): no endpoint catalogue but ours, no Linked Open Vocabularies look-ups,
// no prefix.cc, no CORS probe, nothing persisted in localStorage.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var Yasgui = window.Yasgui;
  var Yasqe = window.Yasqe;
  var endpoint = new URL(root.getAttribute("data-endpoint"), window.location.href).href;

  // The prefixes the endpoint predeclares (pkg:, id:, rdfs:, skos:, …), from the page.
  var prefixes = {};
  document.querySelectorAll("#prefixes code[data-prefix]").forEach(function (c) {
    prefixes[c.getAttribute("data-prefix")] = c.getAttribute("data-namespace");
  });

  // YASQE's SPARQL mode marks a prefix without a PREFIX line as an error; the endpoint
  // predeclares ours, so the editor starts every parse knowing them (queries stay as
  // written: no PREFIX block is added to what is sent).
  var CodeMirror = Object.getPrototypeOf(Yasqe);
  var sparqlMode = CodeMirror.modes && CodeMirror.modes.sparql11;
  if (sparqlMode) {
    CodeMirror.defineMode("sparql11", function (config, parserConfig) {
      var mode = sparqlMode(config, parserConfig);
      var startState = mode.startState;
      mode.startState = function () {
        var state = startState.apply(this, arguments);
        Object.keys(prefixes).forEach(function (p) { state.prefixes[p] = prefixes[p]; });
        return state;
      };
      return mode;
    });
  }

  // Offline completers only: prefix declarations from YASQE's bundled list and the
  // query's own variables. The class/property completers ask lov.linkeddata.es.
  Yasgui.defaults.yasqe.autocompleters = ["prefixes", "variables"];
  Yasgui.defaults.yasqe.prefixCcApi = null;

  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.example"));
  var yasgui = new Yasgui(root, {
    persistenceId: null, // no localStorage: every visit starts from the examples
    autoAddOnInit: false,
    populateFromUrl: false,
    copyEndpointOnNewTab: true,
    corsProxy: undefined,
    tabName: "查询 Query",
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: []
    },
    yasqe: { value: buttons.length ? buttons[0].getAttribute("data-query") : "" },
    yasr: { prefixes: prefixes, pluginOrder: ["table", "response"], defaultPlugin: "table" }
  });

  buttons.forEach(function (b, i) {
    yasgui.addTab(i === 0, {
      id: b.getAttribute("data-tab"),
      name: b.getAttribute("data-name"),
      yasqe: { value: b.getAttribute("data-query") },
      requestConfig: { endpoint: endpoint, method: "POST" }
    });
    b.addEventListener("click", function () {
      var id = b.getAttribute("data-tab");
      if (!yasgui.getTab(id)) {
        yasgui.addTab(true, {
          id: id,
          name: b.getAttribute("data-name"),
          yasqe: { value: b.getAttribute("data-query") },
          requestConfig: { endpoint: endpoint, method: "POST" }
        });
      }
      yasgui.selectTabId(id);
      var tab = yasgui.getTab(id);
      tab.setQuery(b.getAttribute("data-query"));
      tab.query().catch(function () {}); // YASR shows the problem body
    });
  });
  if (buttons.length) { yasgui.selectTabId(buttons[0].getAttribute("data-tab")); }
  window.policykgYasgui = yasgui; // for the browser tests and the curious
})();
