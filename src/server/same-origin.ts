/**
 * The cross-site check a cookie session needs (CSRF): cookies ride along on requests another site
 * makes, so a state-changing request must prove it came from this origin.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * True for safe methods, same-origin browser requests and requests that are not from a browser.
 * Browsers send `Sec-Fetch-Site` and `Origin` on every cross-origin POST/PATCH/DELETE, and neither
 * can be forged by a page; a request with neither is not from a browser and cannot be a forgery.
 * Use it in `authenticate` before reading a session cookie.
 */
export function isSameOriginOrNonBrowser(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return true
  const site = request.headers.get('Sec-Fetch-Site')
  if (site !== null && site !== 'same-origin' && site !== 'none') return false
  const origin = request.headers.get('Origin')
  if (origin === null) return true
  try {
    // The host, not the scheme: behind a proxy that ends TLS the server sees http: for an https: page.
    return new URL(origin).host === new URL(request.url).host
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) is never this site.
    return false
  }
}
