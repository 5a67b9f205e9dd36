import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

/** A logger that a person can read in a terminal and a machine can parse everywhere else. */
export function createLogger(
  level: string,
  stream: NodeJS.WritableStream = process.stdout,
): Logger {
  const isTty = (stream as NodeJS.WriteStream).isTTY === true;
  const destination = isTty
    ? pretty({
        destination: stream as NodeJS.WritableStream & { fd?: number },
        colorize: true,
        translateTime: 'HH:MM:ss',
        ignore: 'pid,hostname',
        singleLine: true,
      })
    : stream;
  return pino(
    {
      level,
      // Tokens never reach a log line, whatever object they travel in.
      redact: {
        paths: [
          'token',
          '*.token',
          'headers.authorization',
          'req.headers.authorization',
          'authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
