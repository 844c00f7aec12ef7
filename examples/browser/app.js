// The example web client: no framework, no storage. The access token is kept in a variable (gone on
// reload, out of reach of other pages); the refresh token is in the HttpOnly cookie the server sets,
// which this script cannot read. Every request is a JSON POST, which a cross-site form cannot send.
const endpoint = '/graphql';
const state = { access: null, timer: null, refreshes: 0, lateRefreshes: 0 };
const $ = (id) => document.getElementById(id);

async function graphql(query, variables = {}) {
  const headers = { 'content-type': 'application/json' };
  if (state.access) headers.authorization = `Bearer ${state.access}`;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) {
    const error = new Error(body.errors[0].message);
    error.code = body.errors[0].extensions?.code;
    throw error;
  }
  return body.data;
}

/** The token's claims (read for scheduling only: the server verifies tokens, the page never does). */
function claimsOf(token) {
  const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(payload));
}
const expiresAt = (token) => claimsOf(token).exp * 1000;

function show(view, message) {
  $('login').hidden = view !== 'login';
  $('session').hidden = view !== 'session';
  $('status').textContent = message;
  document.body.dataset.view = view;
}

/** Refreshes when half of the access token's lifetime is left, before it expires. */
function scheduleRefresh() {
  clearTimeout(state.timer);
  const left = expiresAt(state.access) - Date.now();
  state.timer = setTimeout(silentRefresh, Math.max(0, left / 2));
  $('access-expires').textContent = new Date(expiresAt(state.access)).toLocaleTimeString();
}

async function useAccessToken(access) {
  state.access = access;
  const { me } = await graphql('{ me { id username } }');
  $('username').textContent = me.username;
  $('user-id').textContent = me.id;
  scheduleRefresh();
  show('session', 'Logged in.');
}

async function silentRefresh() {
  const previous = state.access;
  try {
    const { tokenRefresh } = await graphql('mutation { tokenRefresh { access } }');
    // Late: the server issued the new token when the old one had already expired (by the server's clock).
    if (claimsOf(tokenRefresh.access).iat >= claimsOf(previous).exp) state.lateRefreshes += 1;
    state.refreshes += 1;
    $('refreshes').textContent = `${state.refreshes} (late: ${state.lateRefreshes})`;
    document.body.dataset.refreshes = String(state.refreshes);
    document.body.dataset.lateRefreshes = String(state.lateRefreshes);
    await useAccessToken(tokenRefresh.access);
  } catch (error) {
    loggedOut(`Session ended: ${error.message}`);
  }
}

function loggedOut(message) {
  clearTimeout(state.timer);
  state.access = null;
  show('login', message);
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const { tokenObtainPair } = await graphql(
      'mutation ($username: String!, $password: String!) { tokenObtainPair(username: $username, password: $password) { access } }',
      { username: form.get('username'), password: form.get('password') },
    );
    event.target.reset();
    await useAccessToken(tokenObtainPair.access);
  } catch (error) {
    show('login', `Login failed: ${error.message}`);
  }
});

$('logout').addEventListener('click', async () => {
  try {
    await graphql('mutation { tokenBlacklist { blacklisted } }');
    loggedOut('Logged out.');
  } catch (error) {
    loggedOut(`Logged out here; the server said: ${error.message}`);
  }
});

// On load (and reload): a cookie from an earlier login restores the session without a password.
graphql('mutation { tokenRefresh { access } }').then(
  ({ tokenRefresh }) => useAccessToken(tokenRefresh.access),
  () => loggedOut('Not logged in.'),
);
