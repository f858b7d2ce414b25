import type { ComponentChildren } from 'preact';

/** What every page shows around its content: who is signed in, the CSRF token, a message. */
export interface Chrome {
  viewer: { username: string; maintainer: boolean } | null;
  csrf: string;
  flash?: string;
  /** The search string to show in the search box. */
  query?: string;
}

export function Layout({ chrome, title, children }: { chrome: Chrome; title: string; children: ComponentChildren }) {
  const viewer = chrome.viewer;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Headwaters`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
        <script src="/assets/site.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            Headwaters
          </a>
          <form role="search" class="search" action="/items" method="get">
            <input type="search" name="q" aria-label="Search" placeholder="is:open live migration" value={chrome.query ?? ''} />
            <button type="submit">Search</button>
          </form>
          <nav aria-label="Main">
            <ul>
              <li>
                <a href="/items?q=is%3Aopen">Items</a>
              </li>
              <li>
                <a href="/roadmap">Roadmap</a>
              </li>
              <li>
                <a href="/new">File a report</a>
              </li>
              {viewer?.maintainer && (
                <li>
                  <a href="/inbox">Inbox</a>
                </li>
              )}
              {viewer ? (
                <>
                  <li>
                    <a href="/notifications">Notifications</a>
                  </li>
                  <li>
                    <a href="/settings" title="Settings">
                      {viewer.username}
                    </a>
                  </li>
                  <li>
                    <form method="post" action="/logout" class="inline">
                      <Csrf token={chrome.csrf} />
                      <button type="submit" class="link">
                        Sign out
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href="/login">Sign in</a>
                  </li>
                  <li>
                    <a href="/register">Register</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {chrome.flash && (
            <p role="status" class="flash">
              {chrome.flash}
            </p>
          )}
          {children}
        </main>
        <footer class="bottom">
          <p>
            Headwaters, the XenServer tracker. Everything here is also in the <a href="/graphql">GraphQL API</a>.
          </p>
        </footer>
      </body>
    </html>
  );
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** An error of a form, announced to screen readers. */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" class="error">
      {message}
    </p>
  );
}

/** Raw HTML that was sanitised on the server (rendered Markdown). */
export function SafeHtml({ html, class: className }: { html: string; class?: string }) {
  return <div class={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
