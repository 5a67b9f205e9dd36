/** True in the widget build (vite.widget.config.ts), false in the map page's build. */
declare const __FTO_WIDGET__: boolean;
