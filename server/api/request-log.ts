import type { RequestHandler } from 'express';

export interface RequestLogger {
  info(obj: object, msg: string): void;
}

/** One log line per request: method, path without the query (it may carry tokens), status, time. Never headers. */
export function requestLog(log: RequestLogger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      log.info(
        {
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          ip: req.ip,
        },
        'request',
      );
    });
    next();
  };
}
