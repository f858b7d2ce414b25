// The pages' one script. Every page works without it; with it: votes without a reload, help
// while writing a report, and keyboard triage in the inbox. It imports nothing.
(() => {
  const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };

  async function postForm(form: HTMLFormElement): Promise<{ ok: boolean; status: number; body: Record<string, unknown> }> {
    const body = new URLSearchParams();
    new FormData(form).forEach((value, key) => {
      if (typeof value === 'string') body.append(key, value);
    });
    const response = await fetch(form.getAttribute("action") ?? location.href, { method: 'POST', headers: JSON_HEADERS, body, credentials: 'same-origin' });
    let parsed: Record<string, unknown> = {};
    try {
      parsed = (await response.json()) as Record<string, unknown>;
    } catch {
      // not JSON: treated as a failure below
    }
    return { ok: response.ok, status: response.status, body: parsed };
  }

  // ---- voting without a reload
  document.querySelectorAll<HTMLFormElement>('form[data-vote]').forEach((form) => {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button');
      const action = form.querySelector<HTMLInputElement>('input[name=intent]');
      const count = form.querySelector('.vote-count');
      if (!button || !action) return form.submit();
      button.disabled = true;
      try {
        const result = await postForm(form);
        if (result.status === 401 && typeof result.body.login === 'string') {
          location.href = result.body.login;
          return;
        }
        if (!result.ok) {
          if (count) count.textContent = String(result.body.error ?? 'Voting failed');
          return;
        }
        const voted = result.body.viewerHasVoted === true;
        button.setAttribute('aria-pressed', voted ? 'true' : 'false');
        action.value = voted ? 'unvote' : 'vote';
        if (count && typeof result.body.label === 'string') count.textContent = result.body.label;
      } finally {
        button.disabled = false;
      }
    });
  });

  // ---- help while writing a report
  const assist = document.querySelector<HTMLFormElement>('form[data-assist]');
  if (assist) {
    let timer: number | undefined;
    let sequence = 0;
    const refresh = async () => {
      const data = new FormData(assist);
      const query = new URLSearchParams();
      for (const key of ['kind', 'title', 'description', 'componentSlug']) {
        const value = data.get(key);
        if (typeof value === 'string') query.set(key, value.slice(0, 2000));
      }
      const mine = ++sequence;
      const response = await fetch(`/new/assist?${query.toString()}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok || mine !== sequence) return;
      const parts = (await response.json()) as Record<string, string>;
      for (const [name, html] of Object.entries(parts)) {
        const region = document.querySelector(`[data-region="${name}"]`);
        // Rendered and escaped by our server; no script in it runs.
        if (region) region.innerHTML = html;
      }
    };
    const schedule = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void refresh(), 250);
    };
    assist.addEventListener('input', schedule);
    assist.addEventListener('change', schedule);
    document.addEventListener('click', (event) => {
      const target = (event.target as HTMLElement | null)?.closest<HTMLElement>('[data-use-component]');
      if (!target) return;
      event.preventDefault();
      const select = assist.querySelector<HTMLSelectElement>('select[name=componentSlug]');
      if (!select) return;
      select.value = target.dataset.useComponent ?? '';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      select.focus();
    });
  }

  // ---- keyboard triage in the inbox
  const inbox = document.querySelector<HTMLElement>('[data-inbox]');
  if (inbox) {
    const rows = () => Array.from(inbox.querySelectorAll<HTMLElement>('[data-inbox-item]'));
    let current = 0;
    const focusRow = (index: number) => {
      const list = rows();
      if (list.length === 0) return;
      current = Math.max(0, Math.min(index, list.length - 1));
      list.forEach((row, i) => row.classList.toggle('current', i === current));
      list[current].focus();
    };
    const row = () => rows()[current];
    const field = <T extends HTMLElement>(name: string) => row()?.querySelector<T>(`[data-field="${name}"]`) ?? null;
    const save = async (form: HTMLFormElement) => {
      const result = await postForm(form);
      const status = form.querySelector('.inbox-result');
      if (!result.ok) {
        if (status) status.textContent = String(result.body.error ?? 'Not saved');
        return;
      }
      const li = form.closest<HTMLElement>('[data-inbox-item]');
      li?.classList.add('done');
      const chosen = form.querySelector<HTMLSelectElement>('select[name=status]');
      if (status) status.textContent = `Saved: ${chosen?.selectedOptions[0]?.textContent ?? 'triaged'}`;
      focusRow(current + 1);
    };
    inbox.querySelectorAll<HTMLFormElement>('form[data-inbox-form]').forEach((form) => {
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const li = form.closest<HTMLElement>('[data-inbox-item]');
        if (li) current = Math.max(0, rows().indexOf(li));
        void save(form);
      });
    });
    inbox.addEventListener('focusin', (event) => {
      const li = (event.target as HTMLElement).closest<HTMLElement>('[data-inbox-item]');
      if (!li) return;
      current = Math.max(0, rows().indexOf(li));
      rows().forEach((r, i) => r.classList.toggle('current', i === current));
    });
    const STATUS: Record<string, string> = { c: 'CONFIRMED', i: 'INCOMPLETE', x: 'WONT_FIX', v: 'INVALID' };
    const IMPORTANCE: Record<string, string> = { '1': 'CRITICAL', '2': 'HIGH', '3': 'MEDIUM', '4': 'LOW', '5': 'WISHLIST' };
    document.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable]')) {
        if (event.key === 'Escape') row()?.focus();
        return;
      }
      const key = event.key;
      if (key === 'j') focusRow(current + 1);
      else if (key === 'k') focusRow(current - 1);
      else if (key === 'o') row()?.querySelector<HTMLAnchorElement>('a')?.click();
      else if (key === 'm') field<HTMLSelectElement>('component')?.focus();
      else if (key === 'u') field<HTMLInputElement>('duplicate')?.focus();
      else if (key in IMPORTANCE) {
        const select = field<HTMLSelectElement>('importance');
        if (select) select.value = IMPORTANCE[key];
      } else if (key in STATUS) {
        const select = field<HTMLSelectElement>('status');
        if (!select) return;
        select.value = STATUS[key];
        if (key === 'i') {
          // Asking for information needs the question: write it, then Enter saves.
          field<HTMLInputElement>('comment')?.focus();
        } else {
          const form = select.form;
          if (form) void save(form);
        }
      } else if (key === 'Enter' && target.matches('[data-inbox-item]')) {
        const form = row()?.querySelector<HTMLFormElement>('form[data-inbox-form]');
        if (form) void save(form);
      } else return;
      event.preventDefault();
    });
    rows()[0]?.classList.add('current');
  }
})();
