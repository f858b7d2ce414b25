import type { Browser, Page } from 'playwright-core';
import { createActor, type TestActor } from './support/actors';
import { isolatedContext, launchBrowser, screenshots, seriousViolations } from './support/browser';
import { insertItems } from './support/seed-items';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

/** What the document's focused element is called: its label, aria-label or text. */
const FOCUSED_NAME = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return '';
  const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || '';
  return label.replace(/\\s+/g, ' ').trim();
})()`;

/** Presses Tab until the focused element is called `name` (at most 80 times); fails otherwise. */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(FOCUSED_NAME)) as string;
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

describe('the web pages, page by page', () => {
  let app: TestApp;
  let browser: Browser;
  let reporter: TestActor;
  const numbers: Record<string, number> = {};

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    reporter = await createActor(app, { username: 'seeder' });
    await app.sql(`INSERT INTO release (slug, name) VALUES ('9.0', 'XenServer 9.0'), ('9.1', 'XenServer 9.1'), ('8.4', 'XenServer 8.4')`);
    const seeded: [string, Parameters<typeof insertItems>[1][number]][] = [
      ['waiting', { title: 'Grant table leak waits for its forward', componentSlug: 'xen', upstreamSlug: 'xen-project', reporterId: reporter.userId, status: 'CONFIRMED', forwardState: 'PENDING' }],
      ['sent', { title: 'Scheduler stall already forwarded', componentSlug: 'xen', upstreamSlug: 'xen-project', reporterId: reporter.userId, status: 'CONFIRMED', forwardState: 'FORWARDED' }],
      ['also-affects', { title: 'Installer ships an old microcode, also for Xen', componentSlug: 'installer', upstreamSlug: 'xenserver', reporterId: reporter.userId, status: 'CONFIRMED' }],
      ['elsewhere', { title: 'Hypervisor fix also needed in Debian', componentSlug: 'xen', upstreamSlug: 'xen-project', reporterId: reporter.userId, status: 'CONFIRMED', forwardState: 'FORWARDED' }],
      ['planned-90', { kind: 'FEATURE', title: 'Dark theme for XenCenter', componentSlug: 'xencenter', upstreamSlug: 'xenserver', reporterId: reporter.userId, status: 'PLANNED', votes: 4 }],
      ['planned-90-top', { kind: 'FEATURE', title: 'Console copy and paste', componentSlug: 'xencenter', upstreamSlug: 'xenserver', reporterId: reporter.userId, status: 'PLANNED', votes: 9 }],
      ['planned-91', { kind: 'FEATURE', title: 'IPv6 management network', componentSlug: 'xencenter', upstreamSlug: 'xenserver', reporterId: reporter.userId, status: 'PLANNED', votes: 6 }],
      ['in-progress', { kind: 'FEATURE', title: 'Prometheus metrics endpoint', componentSlug: 'xencenter', upstreamSlug: 'xenserver', reporterId: reporter.userId, status: 'IN_PROGRESS', votes: 3 }],
      ['released', { kind: 'FEATURE', title: 'JSON output for xe', componentSlug: 'xencenter', upstreamSlug: 'xenserver', reporterId: reporter.userId, status: 'FIX_RELEASED', votes: 2 }],
    ];
    const ids = await insertItems(app, seeded.map(([, spec]) => spec));
    for (const [i, [key]] of seeded.entries()) numbers[key] = (await app.sql<{ number: number }>(`SELECT number FROM item WHERE id = $1`, [ids[i]]))[0].number;
    // Forwards beside the routed one: to Xen for an item routed elsewhere, to Debian for one routed to Xen.
    await app.sql(
      `INSERT INTO forward (item_id, upstream_id, kind, state)
       SELECT i.id, u.id, 'ALSO_AFFECTS', 'PENDING' FROM item i, upstream u WHERE (i.number, u.slug) IN (($1, 'xen-project'), ($2, 'debian'))`,
      [numbers['also-affects'], numbers.elsewhere],
    );
    await app.sql(`UPDATE item SET planned_for_id = (SELECT id FROM release WHERE slug = '9.0') WHERE number = ANY($1)`, [[numbers['planned-90'], numbers['planned-90-top']]]);
    await app.sql(`UPDATE item SET planned_for_id = (SELECT id FROM release WHERE slug = '9.1') WHERE number = $1`, [numbers['planned-91']]);
    await app.sql(`UPDATE item SET fixed_in_id = (SELECT id FROM release WHERE slug = '8.4'), planned_for_id = (SELECT id FROM release WHERE slug = '8.4') WHERE number = $1`, [numbers['released']]);
    // The catalogue (releases included) is cached for a second.
    await new Promise((r) => setTimeout(r, 1100));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const titlesIn = async (page: Page, region: string | RegExp) =>
    page.getByRole('region', typeof region === 'string' ? { name: region, exact: true } : { name: region }).getByRole('link', { name: /^#\d+ / }).allTextContents();

  it('shows what an upstream and a component own, their open items and the forwards waiting to be sent', async () => {
    const { context } = await isolatedContext(browser, app.url);
    const page = await context.newPage();
    for (const path of ['/upstreams/xen-project', '/components/xen']) {
      await page.goto(`${app.url}${path}`);
      const waiting = await titlesIn(page, 'Forwards waiting to be sent');
      expect(waiting.join('\n')).toContain(`#${numbers.waiting} Grant table leak waits for its forward`);
      expect(waiting.join('\n')).not.toContain('Scheduler stall already forwarded');
      const open = (await titlesIn(page, /^Open items/)).join('\n');
      expect(open).toContain('Grant table leak');
      expect(open).toContain('Scheduler stall');
    }
    // An upstream's waiting forwards are the ones to it: also-affects ones included, its items' forwards elsewhere not.
    await page.goto(`${app.url}/upstreams/xen-project`);
    const toXen = (await titlesIn(page, 'Forwards waiting to be sent')).join('\n');
    expect(toXen).toContain(`#${numbers['also-affects']} Installer ships an old microcode`);
    expect(toXen).not.toContain('Hypervisor fix also needed in Debian');
    await page.goto(`${app.url}/upstreams/debian`);
    expect((await titlesIn(page, 'Forwards waiting to be sent')).join('\n')).toContain('Hypervisor fix also needed in Debian');
    await page.goto(`${app.url}/upstreams/xen-project`);
    expect(await page.getByRole('region', { name: 'What it owns' }).getByRole('link', { name: /Xen hypervisor|xen/i }).count()).toBeGreaterThan(0);
    await context.close();
  });

  it('shows the roadmap by state, by votes, and per release', async () => {
    const { context } = await isolatedContext(browser, app.url);
    const page = await context.newPage();
    await page.goto(`${app.url}/roadmap`);
    const planned = page.getByRole('region', { name: 'Planned', exact: true });
    const release90 = planned.getByRole('region', { name: 'XenServer 9.0' });
    expect(await release90.getByRole('link', { name: /^#\d+ / }).allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^#${numbers['planned-90-top']} Console copy and paste`)),
      expect.stringMatching(new RegExp(`^#${numbers['planned-90']} Dark theme for XenCenter`)),
    ]);
    expect((await planned.getByRole('region', { name: 'XenServer 9.1' }).allTextContents()).join('')).toContain('IPv6 management network');
    expect((await titlesIn(page, 'In progress')).join('')).toContain('Prometheus metrics endpoint');
    expect((await titlesIn(page, 'Released')).join('')).toContain('JSON output for xe');
    expect((await titlesIn(page, 'Planned')).join('')).not.toContain('Prometheus');
    await context.close();
  });

  it('works from the keyboard alone: sign in, file a bug, vote and comment', async () => {
    const registered = await app.gql(`mutation ($input: RegisterInput!) { register(input: $input) { token } }`, { input: { username: 'kim', email: 'kim@example.org', password: 'kim-password-1' } });
    expect(registered.body.errors).toBeUndefined();
    const { context } = await isolatedContext(browser, app.url);
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    // The first Tab reaches the skip link, which moves focus to the page's content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(FOCUSED_NAME)).toMatch(/skip/i);
    await tabTo(page, 'Username');
    await page.keyboard.type('kim');
    await tabTo(page, 'Password');
    await page.keyboard.type('kim-password-1');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${app.url}/`);

    await page.goto(`${app.url}/new`);
    await tabTo(page, 'Bug');
    await page.keyboard.press('Space');
    await tabTo(page, 'Title');
    await page.keyboard.type('Keyboard filed: xenopsd hangs on VM reboot');
    await tabTo(page, 'Description');
    await page.keyboard.type('Filed without a mouse.');
    await tabTo(page, 'Component');
    await page.keyboard.type('XAPI xenopsd');
    expect(await page.getByRole('combobox', { name: 'Component' }).inputValue()).not.toBe('');
    await tabTo(page, 'File');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/items\/\d+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Keyboard filed: xenopsd hangs on VM reboot');

    await tabTo(page, 'Vote');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Vote', pressed: true }).waitFor();
    await tabTo(page, 'Comment');
    await page.keyboard.type('Posted from the keyboard.');
    await tabTo(page, 'Post comment');
    await page.keyboard.press('Enter');
    await page.locator('.timeline').getByText('Posted from the keyboard.').waitFor();
    await context.close();
  });

  it('has a Search box on every page, results named #N, and no serious axe violation at 375 px, errors included', async () => {
    const { context, outside } = await isolatedContext(browser, app.url, { width: 375 });
    const page = await context.newPage();
    const problems: unknown[] = [];
    const pages: [string, string][] = [
      ['home', '/'],
      ['items', '/items?q=is%3Aopen'],
      ['item', `/items/${numbers.waiting}`],
      ['new-anonymous', '/new'],
      ['login', '/login'],
      ['register', '/register'],
      ['roadmap', '/roadmap'],
      ['upstream', '/upstreams/xen-project'],
      ['component', '/components/xen'],
      ['not-found', '/items/999999'],
      ['bad-query', '/items?q=status%3Anonsense'],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${app.url}${path}`);
      expect({ name, searchboxes: await page.getByRole('searchbox', { name: 'Search', exact: true }).count() }).toEqual({ name, searchboxes: 1 });
      const results = await page.locator('main a[href^="/items/"]').evaluateAll((links) =>
        links.filter((a) => /^\/items\/\d+$/.test(a.getAttribute('href') ?? '') && a.closest('ul.items')).map((a) => ({ href: a.getAttribute('href'), text: (a.textContent ?? '').trim() })),
      );
      for (const link of results) expect(link.text.startsWith(`#${link.href!.split('/').pop()} `)).toBe(true);
      await screenshots(page, `pages-${name}`);
      await page.setViewportSize({ width: 375, height: 800 });
      const violations = await seriousViolations(page);
      if (violations.length) problems.push({ name, violations });
    }
    // A failed sign-in: the error is announced and the page still passes.
    await page.goto(`${app.url}/login`);
    await page.getByLabel('Username').fill('nobody');
    await page.getByLabel('Password').fill('wrong-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await screenshots(page, 'pages-login-failed');
    await page.setViewportSize({ width: 375, height: 800 });
    const failed = await seriousViolations(page);
    if (failed.length) problems.push({ name: 'login-failed', violations: failed });
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });
});
