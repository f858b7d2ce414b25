import type { Browser, Page } from 'playwright-core';
import { isolatedContext, launchBrowser, screenshots, seriousViolations } from './support/browser';
import { fileBug, suggestFeature } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

/** Registers through the API and returns a signed-in actor for seeding (the browser signs in on its own). */
async function registerUser(app: TestApp, username: string, password: string): Promise<{ userId: number; username: string; token: string }> {
  const response = await app.gql<{ register: { token: string; user: { id: string } } }>(
    `mutation ($input: RegisterInput!) { register(input: $input) { token user { id } } }`,
    { input: { username, email: `${username}@example.org`, password } },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return { userId: 0, username, token: response.body.data!.register.token };
}

async function grantMaintainer(app: TestApp, username: string, upstreamSlug: string): Promise<void> {
  const login = await app.gql<{ login: { token: string } }>(`mutation { login(input: { username: "admin", password: "admin-password-for-tests" }) { token } }`);
  const response = await app.gql(`mutation ($input: GrantRoleInput!) { grantRole(input: $input) { user { username } } }`, { input: { username, role: 'MAINTAINER', upstreamSlug } }, { token: login.body.data!.login.token });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
}

describe('the web pages in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  const checked = new Map<string, { violations: unknown[]; overflowAt375: boolean }>();

  /** axe and both screenshots of the page as it is. */
  async function audit(page: Page, name: string): Promise<void> {
    const violations = await seriousViolations(page);
    const { overflowAt375 } = await screenshots(page, name);
    checked.set(name, { violations, overflowAt375 });
  }

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    const seeder = await registerUser(app, 'seeder', 'seeder-password-1');
    await fileBug(app, seeder, { title: 'xenopsd crashes during live migration of a Windows VM', description: 'Migrating a Windows 10 VM between hosts makes **xenopsd** exit.', componentSlug: 'xapi/xenopsd' });
    await fileBug(app, seeder, { title: 'XenCenter freezes when the pool master reboots', componentSlug: 'xencenter' });
    await suggestFeature(app, seeder, { title: 'Live migration progress in the xe CLI', description: 'Show a percentage.', componentSlug: 'xapi/xe-cli' });
    await registerUser(app, 'maria', 'maria-password-1');
    await grantMaintainer(app, 'maria', 'xapi-project');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lets a reporter file, vote and comment, a maintainer triage from the inbox, and the reporter see it', async () => {
    const { context: reporterContext, outside } = await isolatedContext(browser, app.url);
    const page = await reporterContext.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') cspViolations.push(message.text());
    });

    await page.goto(`${app.url}/`);
    await audit(page, 'home');

    await page.getByRole('link', { name: 'Register' }).click();
    await audit(page, 'register');
    await page.getByLabel('Username').fill('rita');
    await page.getByLabel('E-mail').fill('rita@example.org');
    await page.getByLabel('Password').fill('rita-password-1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${app.url}/`);
    expect(await page.getByRole('status').textContent()).toContain('Welcome, rita');

    await page.getByRole('link', { name: 'File a report' }).first().click();
    await page.waitForURL(`${app.url}/new`);
    await page.getByRole('radiogroup', { name: 'Kind' }).getByRole('radio', { name: 'Bug' }).check();
    await page.getByRole('textbox', { name: 'Title' }).pressSequentially('Live migration of Windows VMs crashes xenopsd');
    const similar = page.getByRole('region', { name: 'Similar reports' });
    await similar.getByRole('link', { name: /^#1 / }).waitFor();
    await page.getByRole('textbox', { name: 'Description' }).fill('Steps:\n\n1. start a Windows VM\n2. `xe vm-migrate`\n\n<script>alert(1)</script>');
    // The API's component suggestions, each one a button that picks the component.
    const suggested = page.getByRole('region', { name: 'Suggested components' });
    await suggested.getByRole('button').first().waitFor();
    const firstSuggestion = await suggested.locator('[data-use-component]').first().getAttribute('data-use-component');
    await suggested.getByRole('button').first().click();
    expect(await page.getByRole('combobox', { name: 'Component' }).inputValue()).toBe(firstSuggestion);
    await page.getByRole('combobox', { name: 'Component' }).selectOption('xapi/xenopsd');
    const routing = page.getByRole('region', { name: 'Routing' });
    await routing.getByText('Xen Project XAPI sub-project').waitFor();
    expect(await routing.textContent()).toContain('inherited from xapi');
    expect(await page.getByRole('region', { name: 'Suggested components' }).isVisible()).toBe(true);
    await audit(page, 'new');
    await page.getByRole('button', { name: 'File', exact: true }).click();
    await page.waitForURL(/\/items\/4$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Live migration of Windows VMs crashes xenopsd');
    expect(await page.getByRole('status').textContent()).toContain('Filed #4: routed to Xen Project XAPI sub-project');
    expect(await page.locator('.markdown').first().innerHTML()).not.toContain('<script');

    const vote = page.getByRole('button', { name: 'Vote' });
    expect(await vote.getAttribute('aria-pressed')).toBe('false');
    await vote.click();
    await page.locator('.vote button[aria-pressed="true"]').waitFor();
    expect(await page.locator('.vote-count').textContent()).toBe('1 vote');
    expect(page.url()).toBe(`${app.url}/items/4`);

    await page.getByRole('textbox', { name: 'Comment' }).fill('It also happens with **Windows Server 2022**.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForURL(`${app.url}/items/4`);
    await page.locator('.timeline .comment strong', { hasText: 'Windows Server 2022' }).waitFor();
    await page.getByLabel('Attach a file').setInputFiles({ name: 'xensource.log', mimeType: 'text/plain', buffer: Buffer.from('xenopsd: segfault at 0 ip 00007f\n') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL(`${app.url}/items/4`);
    expect(await page.getByRole('status').textContent()).toContain('File attached.');
    expect(await page.getByRole('link', { name: 'xensource.log' }).getAttribute('href')).toMatch(/^\/files\/\d+\/xensource\.log$/);
    const download = await page.request.get(`${app.url}${await page.getByRole('link', { name: 'xensource.log' }).getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toContain('attachment; filename="xensource.log"');
    expect(await download.text()).toBe('xenopsd: segfault at 0 ip 00007f\n');
    // The vote survived the reload, counted once.
    expect(await page.getByRole('button', { name: 'Vote' }).getAttribute('aria-pressed')).toBe('true');
    await audit(page, 'item');

    // The maintainer of XAPI triages it from the inbox, with the keyboard.
    const { context: maintainerContext, outside: maintainerOutside } = await isolatedContext(browser, app.url);
    const maintainer = await maintainerContext.newPage();
    await maintainer.goto(`${app.url}/inbox`);
    await maintainer.waitForURL(/\/login\?next=%2Finbox$/);
    await audit(maintainer, 'login');
    await maintainer.getByLabel('Username').fill('maria');
    await maintainer.getByLabel('Password').fill('maria-password-1');
    await maintainer.getByRole('button', { name: 'Sign in' }).click();
    await maintainer.waitForURL(`${app.url}/inbox`);
    const entry = maintainer.locator('[data-inbox-item="4"]');
    await entry.getByRole('link', { name: /^#4 Live migration/ }).waitFor();
    // Oldest first: the seeded xenopsd crash (#1) comes before #4; XenCenter's (#2) is not hers.
    const numbers = await maintainer.locator('[data-inbox-item]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-inbox-item')));
    expect(numbers).toEqual(['1', '3', '4']);
    await audit(maintainer, 'inbox');
    await entry.focus();
    await maintainer.keyboard.press('2');
    await maintainer.keyboard.press('c');
    await entry.getByRole('status').filter({ hasText: 'Saved: Confirm' }).waitFor();

    await maintainer.goto(`${app.url}/items/4`);
    expect(await maintainer.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('CONFIRMED');
    expect(await maintainer.getByRole('combobox', { name: 'Importance' }).inputValue()).toBe('HIGH');
    expect(await maintainer.getByRole('button', { name: 'Save triage' }).isVisible()).toBe(true);
    await audit(maintainer, 'item-maintainer');

    // The reporter sees the change.
    await page.reload();
    const facts = await page.locator('.facts').textContent();
    expect(facts).toContain('Confirmed');
    expect(facts).toContain('High');
    expect(await page.getByRole('combobox', { name: 'Status' }).count()).toBe(0);
    expect(await page.locator('.timeline').textContent()).toMatch(/maria/i);
    // ...and is told: the triage is in the reporter's notifications.
    await page.goto(`${app.url}/notifications`);
    await page.getByRole('link', { name: /^#4 Live migration/ }).first().waitFor();

    // Every other page, for axe and the screenshots.
    for (const [name, path] of [
      ['items', '/items?q=is%3Aopen%20sort%3Avotes-desc'],
      ['roadmap', '/roadmap'],
      ['upstream', '/upstreams/xapi-project'],
      ['component', '/components/xapi/xenopsd'],
      ['settings', '/settings'],
      ['notifications', '/notifications'],
    ] as const) {
      await page.goto(`${app.url}${path}`);
      await audit(page, name);
    }
    await page.goto(`${app.url}/items?q=is%3Aopen`);
    expect(await page.getByRole('link', { name: /^#4 / }).count()).toBe(1);

    expect(outside).toEqual([]);
    expect(maintainerOutside).toEqual([]);
    expect(cspViolations).toEqual([]);
    for (const [name, result] of checked) {
      expect({ name, violations: result.violations }).toEqual({ name, violations: [] });
      expect({ name, overflowAt375: result.overflowAt375 }).toEqual({ name, overflowAt375: false });
    }
    await reporterContext.close();
    await maintainerContext.close();
  });

  it('shows hostile Markdown in descriptions and comments inert', async () => {
    const attacker = await registerUser(app, 'mallory', 'mallory-password-1');
    const payloads = [
      '<script>window.pwned = 1</script>',
      '[click me](javascript:window.pwned=2)',
      '<a href="javascript:window.pwned=3">raw link</a>',
      '<img src=x onerror="window.pwned=4">',
      '<svg onload="window.pwned=5"><script>window.pwned=6</script></svg>',
      '![x](javascript:window.pwned=7)',
      '<iframe src="data:text/html,<script>parent.pwned=8</script>"></iframe>',
    ].join('\n\n');
    const item = await fileBug(app, attacker, { title: 'Hostile markdown', description: payloads });
    const comment = await app.gql(`mutation ($input: CommentInput!) { addComment(input: $input) { comment { id } } }`, { input: { itemId: item.id, body: payloads } }, { token: attacker.token });
    expect(comment.body.errors).toBeUndefined();
    const { context } = await isolatedContext(browser, app.url);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${app.url}/items/${item.number}`);
    const rendered = page.locator('.markdown');
    expect(await rendered.count()).toBe(2);
    for (const html of await rendered.evaluateAll((nodes) => nodes.map((n) => n.innerHTML))) {
      expect(html).not.toMatch(/<(script|img|svg|iframe)\b/i);
      expect(html).toContain('&lt;script&gt;');
    }
    const handlers = await rendered.evaluateAll((nodes) => nodes.flatMap((n) => [...n.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name))).filter((name) => name.startsWith('on')));
    expect(handlers).toEqual([]);
    const hrefs = await page.locator('.markdown a').evaluateAll((links) => links.map((l) => l.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^\s*(javascript|data|vbscript):/i.test(h))).toEqual([]);
    for (const link of await page.locator('.markdown a').all()) await link.click({ modifiers: [], trial: false }).catch(() => undefined);
    await page.goto(`${app.url}/items/${item.number}`);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('reads, files, votes and comments with JavaScript off', async () => {
    const { context, outside } = await isolatedContext(browser, app.url, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    await page.getByRole('searchbox', { name: 'Search' }).fill('live migration is:open');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/items\?q=live\+migration\+is%3Aopen$/);
    await page.getByRole('link', { name: /^#1 xenopsd crashes/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('xenopsd crashes during live migration of a Windows VM');
    expect(await page.locator('.markdown strong').first().textContent()).toBe('xenopsd');

    await page.getByRole('button', { name: 'Vote' }).click();
    await page.waitForURL(/\/login\?next=%2Fitems%2F1$/);
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.getByLabel('Username').fill('nojs');
    await page.getByLabel('E-mail').fill('nojs@example.org');
    await page.getByLabel('Password').fill('nojs-password-1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${app.url}/items/1`);
    await page.getByRole('button', { name: 'Vote' }).click();
    await page.waitForURL(`${app.url}/items/1`);
    expect(await page.getByRole('button', { name: 'Vote' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('textbox', { name: 'Comment' }).fill('Same here, without JavaScript.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.timeline .comment', { hasText: 'Same here, without JavaScript.' }).waitFor();

    await page.goto(`${app.url}/new`);
    await page.getByRole('radio', { name: 'Feature suggestion' }).check();
    await page.getByRole('textbox', { name: 'Title' }).fill('Show live migration progress in XenCenter');
    await page.getByRole('combobox', { name: 'Component' }).selectOption('xencenter');
    await page.getByRole('button', { name: 'Check for similar reports' }).click();
    await page.getByRole('region', { name: 'Similar reports' }).getByRole('link', { name: /^#3 Live migration progress/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Routing' }).textContent()).toContain('xenserver.org');
    // A suggested component is a button that posts the draft back with it chosen.
    const suggestion = page.getByRole('region', { name: 'Suggested components' }).locator('[data-use-component]').first();
    const slug = await suggestion.getAttribute('data-use-component');
    await suggestion.click();
    await page.waitForURL(`${app.url}/new`);
    expect(await page.getByRole('combobox', { name: 'Component' }).inputValue()).toBe(slug);
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Show live migration progress in XenCenter');
    await page.getByRole('combobox', { name: 'Component' }).selectOption('xencenter');
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Show live migration progress in XenCenter');
    expect(await page.getByRole('radio', { name: 'Feature suggestion' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'File', exact: true }).click();
    await page.waitForURL(/\/items\/\d+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Show live migration progress in XenCenter');
    expect(await page.locator('.facts').textContent()).toContain('Feature suggestion');
    expect(outside).toEqual([]);
    await context.close();
  });
});
