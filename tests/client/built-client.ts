export { CLIENT_DIR as DIST, ensureClientBuilt } from '../helpers/built-assets.js';
