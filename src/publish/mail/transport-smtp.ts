/**
 * The `smtp` transport: nodemailer's SMTP client, one connection per
 * parallel session (a pool of `pool_size`), each reused for many messages.
 * Messages are prepared bytes, so nodemailer never builds a message, reads
 * a file or fetches a URL here; the pool is herald's own because the ledger
 * has to know exactly which message each reply belongs to.
 *
 * TLS is required (STARTTLS or implicit) unless the config says
 * `allow_plaintext: true`.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpConfig } from '../../config/schema.ts';
import type { PreparedMessage } from './prepare.ts';
import { DeliveryError, type Session, type Transport } from './transport.ts';

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; permanent?: boolean };

const fatalCodes = new Set(['EAUTH', 'ENOAUTH', 'ETLS', 'EREQUIRETLS', 'ECONFIG', 'EOAUTH2']);

/** Certificate problems are configuration problems: retrying cannot fix them. */
const certificateProblem = /certificate|self[- ]signed|CERT_|altname/i;

/** The `smtp` config section and what resolving it needs. */
export interface SmtpTransportOptions {
  smtp: SmtpConfig;
  /** Resolves `ca_file`. */
  cwd: string;
  /** The password, read from the environment variable the config names. */
  password?: string | undefined;
}

function connectionOptions(options: SmtpTransportOptions): SMTPConnection.Options {
  const { smtp } = options;
  const ca = smtp.ca_file ? [readFileSync(path.resolve(options.cwd, smtp.ca_file))] : undefined;
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === 'implicit',
    requireTLS: smtp.tls === 'starttls' && !smtp.allow_plaintext,
    ignoreTLS: smtp.tls === 'none',
    opportunisticTLS: smtp.allow_plaintext,
    name: smtp.helo ?? os.hostname(),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 300_000,
    socketCloseTimeout: 0,
    tls: { minVersion: 'TLSv1.2', ...(ca ? { ca } : {}) },
  };
}

function describe(error: SmtpError): string {
  const text = (error.response ?? error.message).trim();
  return error.code === 'ETLS' ? `TLS could not be started: ${text}` : text;
}

/** A failure before the message was handed over: the session could not be opened. */
function connectFailure(error: SmtpError): DeliveryError {
  if (fatalCodes.has(error.code ?? '') || certificateProblem.test(error.message)) return new DeliveryError('fatal', describe(error));
  return new DeliveryError('transient', describe(error));
}

class SmtpSession implements Session {
  private connection: SMTPConnection | undefined;
  private readonly options: SmtpTransportOptions;

  constructor(options: SmtpTransportOptions) {
    this.options = options;
  }

  private open(): Promise<SMTPConnection> {
    if (this.connection) return Promise.resolve(this.connection);
    const connection = new SMTPConnection(connectionOptions(this.options));
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: SmtpError) => {
        if (settled) return;
        settled = true;
        connection.close();
        reject(connectFailure(error));
      };
      // Errors after the handshake reach the send callback; this keeps them from being unhandled events.
      connection.on('error', (error: SmtpError) => fail(error));
      connection.once('end', () => {
        if (this.connection === connection) this.connection = undefined;
        fail(Object.assign(new Error('connection closed by the server'), { code: 'ECONNECTION' }));
      });
      connection.connect(() => {
        const ready = () => {
          if (settled) return;
          settled = true;
          this.connection = connection;
          resolve(connection);
        };
        const { smtp, password } = this.options;
        if (!smtp.user) return ready();
        connection.login({ user: smtp.user, pass: password ?? '' }, (error) => (error ? fail(error as SmtpError) : ready()));
      });
    });
  }

  private drop(): void {
    const connection = this.connection;
    this.connection = undefined;
    connection?.close();
  }

  async deliver(message: PreparedMessage, envelopeFrom: string, recipient: string): Promise<string> {
    const connection = await this.open();
    return new Promise((resolve, reject) => {
      connection.send({ from: envelopeFrom, to: [recipient] }, message.bytes, (error, info) => {
        if (!error) return resolve(info?.response ?? '250');
        const failure = error as SmtpError;
        if (failure.responseCode !== undefined) {
          const kind = failure.responseCode >= 500 && failure.permanent !== false ? 'permanent' : 'transient';
          const settle = () => reject(new DeliveryError(kind, describe(failure)));
          // 421: the server is closing the connection. Anything else leaves it usable after RSET,
          // which must finish before the next message starts on this connection.
          if (failure.responseCode === 421) {
            this.drop();
            return settle();
          }
          return connection.reset((resetError) => {
            if (resetError) this.drop();
            settle();
          });
        }
        this.drop();
        if (fatalCodes.has(failure.code ?? '')) return reject(new DeliveryError('fatal', describe(failure)));
        // The connection went away mid-transaction: the server may have taken the message.
        reject(new DeliveryError('transient', describe(failure), true));
      });
    });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (!connection) return;
    await new Promise<void>((resolve) => {
      connection.once('end', () => resolve());
      connection.quit();
      setTimeout(resolve, 1000).unref();
    });
  }
}

/** The SMTP transport: `pool_size` sessions, each one reused connection. */
export function smtpTransport(options: SmtpTransportOptions): Transport {
  const { smtp } = options;
  return {
    name: 'smtp',
    target: `${smtp.host}:${smtp.port} (${smtp.tls === 'none' ? 'no TLS' : smtp.tls === 'implicit' ? 'TLS' : smtp.allow_plaintext ? 'STARTTLS if offered' : 'STARTTLS required'})`,
    parallel: smtp.pool_size,
    openSession: () => new SmtpSession(options),
  };
}
