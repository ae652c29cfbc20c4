/**
 * The only script the dashboard ever contains, and only when served: it polls the version URL every two
 * seconds and reloads the page when the token differs from the one the page was rendered with. It reads
 * both from data attributes of <body>, so the script itself is a constant that the content policy allows
 * by its hash, and no data ever has to be escaped for a script context.
 */
export const REFRESH_SCRIPT = `
(() => {
  const { versionUrl, version } = document.body.dataset;
  const poll = async () => {
    try {
      const response = await fetch(versionUrl, { cache: 'no-store' });
      if (response.ok && (await response.text()) !== version) {
        location.reload();
        return;
      }
    } catch {
      // The server may be restarting: keep polling.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
})();
`;
