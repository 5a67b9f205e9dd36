import { campaignFromPath } from './campaign-from-path.js';
import './components/find-the-others.js';
import './components/fto-network-switch.js';

// The campaign comes from /c/:tag when the server routed us there; otherwise the element's own
// `campaign` attribute stands, and without one the element shows the server's first campaign.
const app = document.querySelector('find-the-others');
const fromPath = campaignFromPath(location.pathname);
if (app && fromPath) app.campaign = fromPath;
// `?network=bluesky` (or `fediverse`) shows one network's people, as the widget's attribute does.
const network = new URLSearchParams(location.search).get('network');
if (app && (network === 'bluesky' || network === 'fediverse')) app.network = network;

app?.addEventListener('fto-campaign-change', (e) => {
  const { campaign, title } = e.detail;
  document.title = `${title ? `${title} · ` : ''}#${campaign} · Find the Others`;
});

// The network switch under the tally: keep the choice in the address, so a shared link shows it.
app?.addEventListener('fto-network-change', (e) => {
  const url = new URL(location.href);
  if (e.detail) url.searchParams.set('network', e.detail);
  else url.searchParams.delete('network');
  history.replaceState(history.state, '', url);
});
