import type { FastifyInstance } from 'fastify';
import { Csrf, FormError } from '../components/layout';
import { Page, formOf, param, safeNext, type WebDeps } from '../page';
import { SESSION_COOKIE, clearCookie, startSession } from '../session';

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token user { username } } }`;
const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { token user { username } } }`;

interface AuthForm {
  username?: string;
  email?: string;
  next: string;
  error?: string;
  field?: string;
}

function LoginForm({ csrf, form }: { csrf: string; form: AuthForm }) {
  return (
    <section class="narrow">
      <h1>Sign in</h1>
      <FormError message={form.error} />
      <form method="post" action="/login" class="stack">
        <Csrf token={csrf} />
        <input type="hidden" name="next" value={form.next} />
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required value={form.username ?? ''} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
      <p>
        No account yet? <a href={`/register?next=${encodeURIComponent(form.next)}`}>Create one</a>.
      </p>
    </section>
  );
}

function RegisterForm({ csrf, form }: { csrf: string; form: AuthForm }) {
  const invalid = (name: string) => (form.field === name ? { 'aria-invalid': true, 'aria-describedby': 'form-error' } : {});
  return (
    <section class="narrow">
      <h1>Create an account</h1>
      {form.error && (
        <p role="alert" class="error" id="form-error">
          {form.error}
        </p>
      )}
      <form method="post" action="/register" class="stack">
        <Csrf token={csrf} />
        <input type="hidden" name="next" value={form.next} />
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required value={form.username ?? ''} {...invalid('username')} />
        <label for="email">E-mail</label>
        <input id="email" name="email" type="email" autocomplete="email" required value={form.email ?? ''} {...invalid('email')} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint" {...invalid('password')} />
        <p class="hint" id="password-hint">
          At least 10 characters.
        </p>
        <button type="submit" class="primary">
          Create account
        </button>
      </form>
      <p>
        Already registered? <a href={`/login?next=${encodeURIComponent(form.next)}`}>Sign in</a>.
      </p>
    </section>
  );
}

/** /login, /register and signing out. */
export function registerAuthPages(fastify: FastifyInstance, deps: WebDeps): void {
  fastify.get('/login', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const next = safeNext(param(request, 'next'));
    return page.render('Sign in', (chrome) => <LoginForm csrf={chrome.csrf} form={{ next }} />);
  });

  fastify.post('/login', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const form = formOf(request);
    const next = safeNext(form.next);
    const result = await page.gql<{ login: { token: string; user: { username: string } } }>(LOGIN, { input: { username: form.username ?? '', password: form.password ?? '' } });
    const error = result.errors[0];
    if (error || !result.data) {
      return page.render('Sign in', (chrome) => <LoginForm csrf={chrome.csrf} form={{ next, username: form.username, error: error?.message ?? 'Sign-in failed' }} />, {
        status: error?.code === 'RATE_LIMITED' ? 429 : 401,
      });
    }
    startSession(request, reply, result.data.login.token);
    return page.redirect(next, `Signed in as ${result.data.login.user.username}.`);
  });

  fastify.get('/register', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const next = safeNext(param(request, 'next'));
    return page.render('Create an account', (chrome) => <RegisterForm csrf={chrome.csrf} form={{ next }} />);
  });

  fastify.post('/register', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const form = formOf(request);
    const next = safeNext(form.next);
    const result = await page.gql<{ register: { token: string; user: { username: string } } }>(REGISTER, {
      input: { username: form.username ?? '', email: form.email ?? '', password: form.password ?? '' },
    });
    const error = result.errors[0];
    if (error || !result.data) {
      return page.render(
        'Create an account',
        (chrome) => <RegisterForm csrf={chrome.csrf} form={{ next, username: form.username, email: form.email, error: error?.message ?? 'Registration failed', field: error?.field }} />,
        { status: error ? (error.code === 'CONFLICT' ? 409 : 400) : 500 },
      );
    }
    startSession(request, reply, result.data.register.token);
    return page.redirect(next, `Welcome, ${result.data.register.user.username}: your account is ready.`);
  });

  fastify.post('/logout', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (await page.actor()) await page.gql(`mutation { logout { ok } }`);
    clearCookie(request, reply, SESSION_COOKIE);
    return page.redirect('/', 'Signed out.');
  });
}
