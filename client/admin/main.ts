// The /admin page's entry (vite.admin.config.ts): everything lives in <fto-admin>.
import './fto-admin.js';
