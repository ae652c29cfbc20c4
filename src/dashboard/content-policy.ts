import { createHash } from 'node:crypto';
import { REFRESH_SCRIPT } from './refresh-script.js';
import { STYLESHEET } from './styles.js';

function sourceHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source).digest('base64')}'`;
}

/**
 * Defence in depth behind escaping: the page may load nothing from anywhere, and may run only its own
 * stylesheet and (when served) its own refresh script, each allowed by its hash. Even markup that slipped
 * through would then neither run nor fetch.
 */
export function contentSecurityPolicy(withRefresh: boolean): string {
  const directives = [
    "default-src 'none'",
    `style-src ${sourceHash(STYLESHEET)}`,
    "base-uri 'none'",
    "form-action 'none'",
    ...(withRefresh ? [`script-src ${sourceHash(REFRESH_SCRIPT)}`, "connect-src 'self'"] : []),
  ];
  return directives.join('; ');
}
