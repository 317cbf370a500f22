/**
 * A whole flow as plain JavaScript statements, for runtimes other than this test process
 * (a page, Bun): they expect `lib` (the package's root entry), `baseUrl` and `account` in
 * scope, and leave `result` with what the tests check.
 */
export const FLOW_SOURCE = `
const session = lib.createGstrSession({
  provider: lib.signzyProvider({ ...account, baseUrl }),
  gstin: '27AAPFU0939F1ZV',
  username: 'portal-user',
});
session.start();
const credentials = await session.submitOtp('575757');
const state = session.state;
await session.logout();
const result = { state, hasToken: credentials.authToken.length > 0, after: session.state };
`;

/** What `result` holds after a flow that went right. */
export const FLOW_DONE = { state: 'authenticated', hasToken: true, after: 'loggedOut' };
