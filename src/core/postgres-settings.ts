/**
 * The rules of the PostgreSQL settings, shared by openStore's settings and the backend's own options.
 * A URL may carry a password, so it is never printed as given: messages, logs and info show redactUrl's form.
 */
const PROTOCOLS = new Set(['postgres:', 'postgresql:']);
/** Query parameters libpq and pg read as secrets. */
const SECRET_PARAMETERS = ['password', 'sslpassword'];
const REDACTED = '***';

/** The URL when the text is a postgres:// or postgresql:// URL with a host, else undefined. */
export function parsePostgresUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return PROTOCOLS.has(url.protocol) && url.hostname !== '' ? url : undefined;
}

/** The URL with every secret replaced by ***, safe for messages, logs and info; text that is no URL is hidden whole. */
export function redactUrl(text: string): string {
  const url = parsePostgresUrl(text);
  if (url === undefined) return '(an invalid PostgreSQL URL)';
  if (url.password !== '') url.password = REDACTED;
  for (const name of SECRET_PARAMETERS) {
    if (url.searchParams.has(name)) url.searchParams.set(name, REDACTED);
  }
  return url.toString();
}

/**
 * A schema name spliced into SQL (identifiers cannot be bound as parameters): lower case, so that it
 * means the same quoted or not, within PostgreSQL's 63 bytes, and outside the reserved pg_ prefix.
 */
export function isSchemaName(name: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name) && !name.startsWith('pg_');
}
