import type { RequestHandler } from 'express';

const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]; // seconds

/** A gauge sample: labels → value. */
export type Gauge = { labels?: Record<string, string>; value: number }[];

export interface MetricsSources {
  /** Read at scrape time: name → help and samples. */
  gauges: () => Record<string, { help: string; samples: Gauge }>;
}

const escapeLabel = (v: string) =>
  v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const fmtLabels = (labels: Record<string, string> = {}) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

/** HTTP counters and a latency histogram, plus gauges read at scrape time, in Prometheus text format 0.0.4. */
export function createMetrics(sources: MetricsSources) {
  const requests = new Map<string, number>();
  const histograms = new Map<string, { counts: number[]; sum: number; n: number }>();

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, not the URL, so a million place ids do not become a million series.
      const route = req.route?.path
        ? `${req.baseUrl}${String(req.route.path)}`
        : res.statusCode === 404
          ? 'unmatched'
          : 'static';
      const key = `${req.method}\u0000${route}\u0000${res.statusCode}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const hkey = `${req.method}\u0000${route}`;
      let h = histograms.get(hkey);
      if (!h) histograms.set(hkey, (h = { counts: buckets.map(() => 0), sum: 0, n: 0 }));
      for (let i = 0; i < buckets.length; i++) if (seconds <= buckets[i]!) h.counts[i]!++;
      h.sum += seconds;
      h.n++;
    });
    next();
  };

  function render(): string {
    const out: string[] = [];
    out.push('# HELP fto_http_requests_total HTTP requests by route and status.');
    out.push('# TYPE fto_http_requests_total counter');
    for (const [key, n] of requests) {
      const [method, route, status] = key.split('\u0000') as [string, string, string];
      out.push(`fto_http_requests_total${fmtLabels({ method, route, status })} ${n}`);
    }
    out.push('# HELP fto_http_request_duration_seconds Time to the last byte of a response.');
    out.push('# TYPE fto_http_request_duration_seconds histogram');
    for (const [key, h] of histograms) {
      const [method, route] = key.split('\u0000') as [string, string];
      buckets.forEach((le, i) =>
        out.push(
          `fto_http_request_duration_seconds_bucket${fmtLabels({ method, route, le: String(le) })} ${h.counts[i]}`,
        ),
      );
      out.push(
        `fto_http_request_duration_seconds_bucket${fmtLabels({ method, route, le: '+Inf' })} ${h.n}`,
      );
      out.push(`fto_http_request_duration_seconds_sum${fmtLabels({ method, route })} ${h.sum}`);
      out.push(`fto_http_request_duration_seconds_count${fmtLabels({ method, route })} ${h.n}`);
    }
    const mem = process.memoryUsage();
    const gauges: Record<string, { help: string; samples: Gauge }> = {
      ...sources.gauges(),
      process_resident_memory_bytes: {
        help: 'Resident memory size in bytes.',
        samples: [{ value: mem.rss }],
      },
      nodejs_heap_used_bytes: {
        help: 'V8 heap in use, bytes.',
        samples: [{ value: mem.heapUsed }],
      },
    };
    for (const [name, g] of Object.entries(gauges)) {
      out.push(`# HELP ${name} ${g.help}`);
      out.push(`# TYPE ${name} gauge`);
      for (const s of g.samples) out.push(`${name}${fmtLabels(s.labels)} ${s.value}`);
    }
    return out.join('\n') + '\n';
  }

  return { middleware, render };
}
