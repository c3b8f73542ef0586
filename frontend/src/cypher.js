// The Cypher editor bundle of /cypher: CodeMirror 6 with @neo4j-cypher/codemirror (syntax,
// lint, completion from a schema), exposed as window.PolicykgCypherEditor. The page's own
// logic lives in api/static/cypher.js.
import { createCypherEditor } from "@neo4j-cypher/codemirror";
import "@neo4j-cypher/codemirror/css/cypher-codemirror.css";
import "./cypher-page.css";

window.PolicykgCypherEditor = { createCypherEditor };
