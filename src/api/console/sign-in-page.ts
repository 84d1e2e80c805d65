/**
 * The console's sign-in page: the one page served without a session, so it is plain HTML with its styles
 * inline and no script (the console's bundle stays behind the session). Two ways in: the token from the URL
 * `strata serve` printed, or the server's access key pair.
 * @module
 */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 26rem; margin: 8vh auto; background: #fff; padding: 2rem 2.25rem; border-radius: 8px;
         box-shadow: 0 1px 3px rgb(0 0 0 / 0.15); }
  h1 { font-size: 1.4rem; margin: 0 0 0.25rem; }
  h2 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
  p { margin: 0.25rem 0 0.75rem; color: #3c4454; }
  label { display: block; font-weight: 600; margin: 0.6rem 0 0.2rem; }
  input { width: 100%; box-sizing: border-box; font: inherit; padding: 0.45rem 0.6rem; border: 1px solid #8a93a6;
          border-radius: 4px; }
  input:focus-visible, button:focus-visible { outline: 3px solid #2f6fde; outline-offset: 1px; }
  button { margin-top: 0.9rem; font: inherit; font-weight: 600; padding: 0.45rem 1.1rem; border: 0;
           border-radius: 4px; background: #1f5bc4; color: #fff; cursor: pointer; }
  .error { background: #fdecec; color: #8a1c1c; border-left: 4px solid #c62828; padding: 0.5rem 0.75rem; }
  code { font-size: 0.9em; background: #eef0f4; padding: 0.05rem 0.3rem; border-radius: 3px; }
`;

/** The sign-in page, with `error` shown above the forms when a sign-in failed. */
export function signInPage(options: { error?: string; keyPair: boolean }): string {
  const error =
    options.error === undefined ? "" : `<p class="error" role="alert">${escapeHtml(options.error)}</p>`;
  const keyPair = options.keyPair
    ? `<h2>Or with the server's access key pair</h2>
  <form method="post" action="/sign-in">
    <label for="access-key-id">Access key ID</label>
    <input id="access-key-id" name="accessKeyId" autocomplete="username" required>
    <label for="secret-access-key">Secret access key</label>
    <input id="secret-access-key" name="secretAccessKey" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
  </form>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Strata console</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
  <h1>Strata console</h1>
  <p>Open the URL <code>strata serve</code> printed when it started, or get a new one with
  <code>strata console-url</code>.</p>
  ${error}
  <form method="post" action="/sign-in">
    <label for="token">Token</label>
    <input id="token" name="token" autocomplete="off" required>
    <button type="submit">Sign in</button>
  </form>
  ${keyPair}
</main>
</body>
</html>
`;
}
