// The embeddable entry (widget.js, widget.classic.js): the same <find-the-others> as the map page,
// talking to the server the script came from unless an element names another with `server`.
import { setDefaultServer } from './api.js';
import './components/find-the-others.js';

// A classic script knows itself as document.currentScript (null for modules) while it runs.
const script = document.currentScript;
setDefaultServer(
  new URL(script instanceof HTMLScriptElement && script.src ? script.src : import.meta.url).origin,
);
