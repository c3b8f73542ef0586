// The YASGUI bundle of /query: the library only, exposed as window.Yasgui (and
// window.Yasqe/window.Yasr, which YASGUI sets itself). The page's own configuration lives
// in api/static/query.js so that it stays readable without a rebuild.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";
import "./yasgui-page.css";

window.Yasgui = Yasgui;
